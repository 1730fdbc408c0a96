import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { PipelineConfig } from '../config/pipeline-config';
import { createEcrAdapter } from '../aws/ecr';
import { createEcsAdapter } from '../aws/ecs';
import { createElbAdapter } from '../aws/elbv2';
import { createSfnAdapter } from '../aws/sfn';
import { ConfigurationError } from '../errors';

/**
 * The adapters a Lambda builds over real clients, one factory per AWS service. Each function names the ones it
 * calls (`lambdaHandler(makeHandler, (config) => ({ elb: elbAdapter() }))`); the SDK packages declare no side
 * effects, so esbuild leaves every client a function does not call out of its bundle (BENCHMARKS.md).
 */
export const ecsAdapter = (config: PipelineConfig) => createEcsAdapter(new ECSClient({}), config.clusterName);
export const elbAdapter = () => createElbAdapter(new ElasticLoadBalancingV2Client({}));
export const ecrAdapter = () => createEcrAdapter(new ECRClient({}));
/** A state machine ARN the function needs: missing, it fails at cold start by the variable's name, not at the first call. */
function stateMachineArn(value: string, variable: string): string {
  if (!value.startsWith('arn:')) throw new ConfigurationError(`missing or invalid environment variable ${variable}: expected a state machine ARN`);
  return value;
}

export const rolloutSfnAdapter = (config: PipelineConfig) => createSfnAdapter(new SFNClient({}), stateMachineArn(config.stateMachineArn, 'STATE_MACHINE_ARN'));
export const cutoverSfnAdapter = (config: PipelineConfig) => createSfnAdapter(new SFNClient({}), stateMachineArn(config.cutoverStateMachineArn, 'CUTOVER_STATE_MACHINE_ARN'));
