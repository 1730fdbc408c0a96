import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { configFromEnv, type PipelineConfig } from '../config/pipeline-config';
import { createEcrAdapter, type EcrAdapter } from '../aws/ecr';
import { createEcsAdapter, type EcsAdapter } from '../aws/ecs';
import { createElbAdapter, type ElbAdapter } from '../aws/elbv2';
import { createLockAdapter, type LockAdapter } from '../aws/lock';
import { createSfnAdapter, type SfnAdapter } from '../aws/sfn';

export interface AwsClients {
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecr: ECRClient;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
}

/** Everything a handler touches, injected: tests and the local runner pass their own. */
export interface Deps {
  readonly config: PipelineConfig;
  readonly ecs: EcsAdapter;
  readonly elb: ElbAdapter;
  readonly ecr: EcrAdapter;
  readonly locks: LockAdapter;
  readonly sfn: SfnAdapter;
  readonly logger: Logger;
  readonly now: () => number;
}

export function createDeps(clients: AwsClients, config: PipelineConfig, options: { logger?: Logger; now?: () => number } = {}): Deps {
  return {
    config,
    ecs: createEcsAdapter(clients.ecs, config.clusterName),
    elb: createElbAdapter(clients.elbv2),
    ecr: createEcrAdapter(clients.ecr),
    locks: createLockAdapter(clients.dynamodb, config.lockTableName),
    sfn: createSfnAdapter(clients.sfn, config.stateMachineArn),
    logger: options.logger ?? new Logger({ serviceName: 'rollout' }),
    now: options.now ?? (() => Date.now()),
  };
}

/** One logger per Lambda process; the handler's middleware adds the invocation's context to it. */
export const processLogger = new Logger({ serviceName: 'rollout' });

let processDeps: Deps | undefined;

/** Real clients, created once per Lambda process; configuration read (and checked) on first use. */
export function defaultDeps(): Deps {
  if (!processDeps) {
    const config = configFromEnv();
    processDeps = createDeps(
      { ecs: new ECSClient({}), elbv2: new ElasticLoadBalancingV2Client({}), ecr: new ECRClient({}), dynamodb: new DynamoDBClient({}), sfn: new SFNClient({}) },
      config,
      { logger: processLogger },
    );
  }
  return processDeps;
}
