import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import type { PipelineConfig } from '../config/pipeline-config';
import { createCloudWatchAdapter, type CloudWatchAdapter } from '../aws/cloudwatch';
import { createEcrAdapter, type EcrAdapter } from '../aws/ecr';
import { createEcsAdapter, type EcsAdapter } from '../aws/ecs';
import { createElbAdapter, type ElbAdapter } from '../aws/elbv2';
import { createSfnAdapter, type SfnAdapter } from '../aws/sfn';

export interface AwsClients {
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecr: ECRClient;
  readonly sfn: SFNClient;
  readonly cloudwatch: CloudWatchClient;
}

/**
 * Everything a handler may touch, injected. Each handler declares the part it uses (HandlerDeps<'elb'>, …):
 * tests and the local runner pass all of it, a Lambda builds only that part (lib/runtime/lambda.ts).
 */
export interface Deps {
  readonly config: PipelineConfig;
  readonly ecs: EcsAdapter;
  readonly elb: ElbAdapter;
  readonly ecr: EcrAdapter;
  /** The rollout state machine (the starter starts it) and the cut-over's. */
  readonly sfn: SfnAdapter;
  readonly cutoverSfn: SfnAdapter;
  /** The bake gate's reads: the new group's metrics and the manifest's alarms. */
  readonly cloudwatch: CloudWatchAdapter;
  readonly logger: Logger;
  readonly now: () => number;
}

export function createDeps(clients: AwsClients, config: PipelineConfig, options: { logger?: Logger; now?: () => number } = {}): Deps {
  return {
    config,
    ecs: createEcsAdapter(clients.ecs, config.clusterName),
    elb: createElbAdapter(clients.elbv2),
    ecr: createEcrAdapter(clients.ecr),
    sfn: createSfnAdapter(clients.sfn, config.stateMachineArn),
    cutoverSfn: createSfnAdapter(clients.sfn, config.cutoverStateMachineArn),
    cloudwatch: createCloudWatchAdapter(clients.cloudwatch),
    logger: options.logger ?? new Logger({ serviceName: 'rollout' }),
    now: options.now ?? (() => Date.now()),
  };
}
