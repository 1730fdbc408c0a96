import { createCloudFormationAdapter } from '../../lib/aws/cloudformation';
import { configFromEnv, type PipelineConfig } from '../../lib/config/pipeline-config';
import type { Catalog } from '../../lib/domain/catalog';
import { isCutoverName } from '../../lib/domain/cutover-name';
import { ConfigurationError } from '../../lib/errors';
import { DEFAULT_STACK, stateMachineArnOf, type AwsAccountOptions, type AwsSession } from '../aws-context';
import { UsageError } from '../usage-error';

/**
 * The deployed stack's outputs the CLI reads (serverless.yml, resources.Outputs; the state machine ARNs are
 * serverless-step-functions' own outputs). RolloutEnvironment holds the functions' environment variables as JSON,
 * validated here by the code that validates them at a Lambda's cold start (lib/config/pipeline-config.ts).
 */
export const STACK_OUTPUTS = {
  rollout: 'RolloutStateMachineArn',
  cutover: 'CutoverStateMachineArn',
  environment: 'RolloutEnvironment',
  lockTable: 'RolloutLockTableName',
} as const;

type Outputs = Record<string, string>;

async function readStack(session: AwsSession, stack: string, why: string): Promise<Outputs> {
  const outputs = await createCloudFormationAdapter(session.cloudFormation)
    .stackOutputs(stack)
    .catch((error: unknown) => session.explain(error));
  if (!outputs) {
    throw new UsageError(`stack ${stack} not found in ${session.region}: ${why}, or pass --stack NAME (sls deploy names it ecs-rollout-<stage>) or --region`);
  }
  return outputs;
}

/** RolloutEnvironment: the functions' environment variables, as JSON. */
function environmentVariables(outputs: Outputs, stack: string, instead: string): Record<string, unknown> {
  const text = output(outputs, stack, STACK_OUTPUTS.environment, instead);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new UsageError(`stack ${stack}: output ${STACK_OUTPUTS.environment} is not a JSON object`);
}

function output(outputs: Outputs, stack: string, key: string, instead: string): string {
  const value = outputs[key];
  if (!value) throw new UsageError(`stack ${stack} has no output ${key}: deploy it again with this version (sls deploy), or pass ${instead}`);
  return value;
}

/** The rollout state machine: --state-machine-arn, $ROLLOUT_STATE_MACHINE_ARN, or the stack's output. */
export async function rolloutStateMachineArn(session: AwsSession, options: AwsAccountOptions, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const given = options.stateMachineArn ?? env.ROLLOUT_STATE_MACHINE_ARN;
  if (given) {
    stateMachineArnOf(given, options.stateMachineArn ? '--state-machine-arn' : 'ROLLOUT_STATE_MACHINE_ARN');
    return given;
  }
  const stack = options.stack ?? DEFAULT_STACK;
  const outputs = await readStack(session, stack, 'pass --state-machine-arn ARN (sls info lists it)');
  return output(outputs, stack, STACK_OUTPUTS.rollout, '--state-machine-arn');
}

/** What `status` reads: the cluster, the listener and the rollout state machine. */
export type StatusEnvironment = Pick<PipelineConfig, 'clusterName' | 'listenerArn' | 'stateMachineArn' | 'catalog'> & { readonly cutoverStateMachineArn?: string };

/** The deployed environment and the stack's outputs it came from. */
async function deployedEnvironment(session: AwsSession, options: AwsAccountOptions, catalog: Catalog, why: string): Promise<{ config: PipelineConfig; outputs: Outputs; stack: string }> {
  const stack = options.stack ?? DEFAULT_STACK;
  const outputs = await readStack(session, stack, why);
  const variables = environmentVariables(outputs, stack, '--stack NAME of a stack deployed by this version');
  let deployed: PipelineConfig;
  try {
    deployed = configFromEnv(variables as NodeJS.ProcessEnv, []);
  } catch (error) {
    if (error instanceof ConfigurationError) throw new UsageError(`stack ${stack}: output ${STACK_OUTPUTS.environment}: ${error.message}`);
    throw error;
  }
  const config = {
    ...deployed,
    clusterName: options.cluster ?? deployed.clusterName,
    listenerArn: options.listenerArn ?? deployed.listenerArn,
    stateMachineArn: options.stateMachineArn ?? output(outputs, stack, STACK_OUTPUTS.rollout, '--state-machine-arn'),
    cutoverStateMachineArn: outputs[STACK_OUTPUTS.cutover] ?? '',
    catalog,
  };
  return { config, outputs, stack };
}

/**
 * Everything the workflow's handlers read from their environment: the stack's RolloutEnvironment output, with
 * --cluster, --listener-arn and --state-machine-arn taking precedence.
 */
export async function pipelineConfig(session: AwsSession, options: AwsAccountOptions, catalog: Catalog): Promise<PipelineConfig> {
  return (await deployedEnvironment(session, options, catalog, 'plan --aws reads the deployed environment (VPC, roles, cut-over mode) from it')).config;
}

/** What `abort` works with: the handlers' environment (compensation runs on it), the lock table, and the state machine that ran NAME. */
export interface AbortEnvironment {
  readonly config: PipelineConfig;
  readonly lockTableName: string;
  readonly stateMachineArn: string;
}

/**
 * From the stack: its environment and lock table. The state machine that ran NAME: --state-machine-arn; else, for a
 * cut-over's name (`cutover-<24 hex>-<n>`), the stack's cut-over state machine; else $ROLLOUT_STATE_MACHINE_ARN or the
 * stack's rollout state machine.
 */
export async function abortEnvironment(session: AwsSession, options: AwsAccountOptions, catalog: Catalog, name: string, env: NodeJS.ProcessEnv = process.env): Promise<AbortEnvironment> {
  const { config, outputs, stack } = await deployedEnvironment(session, options, catalog, 'abort reads the deployed environment (lock table, VPC, cluster, listener) from it');
  const lockTableName = output(outputs, stack, STACK_OUTPUTS.lockTable, '--stack NAME of a stack deployed by this version');
  if (options.stateMachineArn) return { config, lockTableName, stateMachineArn: options.stateMachineArn };
  if (isCutoverName(name)) return { config, lockTableName, stateMachineArn: output(outputs, stack, STACK_OUTPUTS.cutover, '--state-machine-arn ARN of the cut-over state machine') };
  return { config, lockTableName, stateMachineArn: env.ROLLOUT_STATE_MACHINE_ARN ?? config.stateMachineArn };
}

/** `status`: from the three flags when all are given (no stack needed), else the stack fills in the rest. */
export async function statusEnvironment(session: AwsSession, options: AwsAccountOptions, catalog: Catalog): Promise<StatusEnvironment> {
  const { cluster, listenerArn, stateMachineArn } = options;
  if (cluster && listenerArn && stateMachineArn) return { clusterName: cluster, listenerArn, stateMachineArn, catalog };
  const stack = options.stack ?? DEFAULT_STACK;
  const outputs = await readStack(session, stack, 'pass --cluster, --listener-arn and --state-machine-arn');
  const deployed = (name: 'CLUSTER_NAME' | 'LISTENER_ARN'): string => {
    const value = environmentVariables(outputs, stack, '--cluster, --listener-arn and --state-machine-arn')[name];
    if (typeof value !== 'string' || !value) throw new UsageError(`stack ${stack}: output ${STACK_OUTPUTS.environment} has no ${name}`);
    return value;
  };
  return {
    clusterName: cluster ?? deployed('CLUSTER_NAME'),
    listenerArn: listenerArn ?? deployed('LISTENER_ARN'),
    stateMachineArn: stateMachineArn ?? output(outputs, stack, STACK_OUTPUTS.rollout, '--state-machine-arn'),
    ...(outputs[STACK_OUTPUTS.cutover] ? { cutoverStateMachineArn: outputs[STACK_OUTPUTS.cutover] } : {}),
    catalog,
  };
}
