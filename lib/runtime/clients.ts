import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { PipelineConfig } from '../config/pipeline-config';
import { createCloudWatchAdapter } from '../aws/cloudwatch';
import { createEcrAdapter } from '../aws/ecr';
import { createEcsAdapter } from '../aws/ecs';
import { createElbAdapter } from '../aws/elbv2';
import { createSfnAdapter } from '../aws/sfn';
import { ConfigurationError } from '../errors';
import { backoffCeilingMs, SDK_BUDGET, type SdkBudget } from './time-budget';

/**
 * How every Lambda's clients retry and time out (lib/runtime/time-budget.ts): a call, retries included, is over
 * before its Lambda's timeout, and that before its Task's. Set here, not left to AWS_MAX_ATTEMPTS or a config file,
 * so the budget the tests check is the one that runs. A fresh retry strategy per client: it keeps the retry quota.
 */
export function lambdaClientConfig(budget: SdkBudget = SDK_BUDGET) {
  return {
    maxAttempts: budget.maxAttempts,
    // Same retryable errors and retry quota as the standard strategy; our back-off: full jitter below the ceiling.
    retryStrategy: new ConfiguredRetryStrategy(budget.maxAttempts, (retry: number) => Math.floor(Math.random() * backoffCeilingMs(retry, budget))),
    // NodeHttpHandler's options (the SDK builds the handler from them). Without throwOnRequestTimeout a request past
    // requestTimeout is only logged as a warning; socketTimeout bounds a stalled response body the same way.
    requestHandler: {
      connectionTimeout: budget.connectionTimeoutMs,
      requestTimeout: budget.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: budget.requestTimeoutMs,
    },
  };
}

/**
 * The adapters a Lambda builds over real clients, one factory per AWS service. Each function names the ones it
 * calls (`lambdaHandler(makeHandler, (config) => ({ elb: elbAdapter() }))`); the SDK packages declare no side
 * effects, so esbuild leaves every client a function does not call out of its bundle (BENCHMARKS.md).
 */
export const ecsAdapter = (config: PipelineConfig) => createEcsAdapter(new ECSClient(lambdaClientConfig()), config.clusterName);
export const elbAdapter = () => createElbAdapter(new ElasticLoadBalancingV2Client(lambdaClientConfig()));
export const ecrAdapter = () => createEcrAdapter(new ECRClient(lambdaClientConfig()));
export const cloudwatchAdapter = () => createCloudWatchAdapter(new CloudWatchClient(lambdaClientConfig()));
/** A state machine ARN the function needs: missing, it fails at cold start by the variable's name, not at the first call. */
function stateMachineArn(value: string, variable: string): string {
  if (!value.startsWith('arn:')) throw new ConfigurationError(`missing or invalid environment variable ${variable}: expected a state machine ARN`);
  return value;
}

export const rolloutSfnAdapter = (config: PipelineConfig) => createSfnAdapter(new SFNClient(lambdaClientConfig()), stateMachineArn(config.stateMachineArn, 'STATE_MACHINE_ARN'));
export const cutoverSfnAdapter = (config: PipelineConfig) => createSfnAdapter(new SFNClient(lambdaClientConfig()), stateMachineArn(config.cutoverStateMachineArn, 'CUTOVER_STATE_MACHINE_ARN'));
