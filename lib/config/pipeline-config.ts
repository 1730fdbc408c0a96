import * as z from 'zod/mini';
import { ConfigurationError } from '../errors';
import { buildCatalog, type Catalog } from '../domain/catalog';
import { schemaIssues } from '../domain/parse-input';

/**
 * The existing environment the pipeline deploys into, read from Lambda environment variables
 * (set by serverless.yml from its parameters) or built directly by the local runner.
 */
export interface PipelineConfig {
  readonly clusterName: string;
  readonly listenerArn: string;
  readonly vpcId: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn?: string;
  /** The rollout state machine (the starter's), and the cut-over's (started by "Start cut-over if due"). */
  readonly stateMachineArn: string;
  readonly cutoverStateMachineArn: string;
  /** How cut-over drops the monolith's traffic: a fixed 503 response, or forward to an empty target group. */
  readonly cutoverMode: 'fixed-response' | 'drop-target-group';
  readonly dropTargetGroupArn?: string;
  /** Subnets and security groups for awsvpc services (Fargate). */
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly catalog: Catalog;
}

// An optional parameter left empty in serverless.yml (`dropTargetGroupArn: ''`) arrives as an empty variable.
const emptyAsUndefined = z.pipe(z.literal(''), z.transform(() => undefined));

const EnvSchema = z.object({
  CLUSTER_NAME: z.string().check(z.minLength(1)),
  LISTENER_ARN: z.string().check(z.startsWith('arn:')),
  VPC_ID: z.string().check(z.startsWith('vpc-')),
  EXECUTION_ROLE_ARN: z.string().check(z.startsWith('arn:')),
  TASK_ROLE_ARN: z.union([z.optional(z.string().check(z.startsWith('arn:'))), emptyAsUndefined]),
  STATE_MACHINE_ARN: z._default(z.string(), ''),
  CUTOVER_STATE_MACHINE_ARN: z._default(z.string(), ''),
  CUTOVER_MODE: z._default(z.enum(['fixed-response', 'drop-target-group']), 'fixed-response'),
  DROP_TARGET_GROUP_ARN: z.union([z.optional(z.string()), emptyAsUndefined]),
  SUBNETS: z._default(z.string(), ''),
  SECURITY_GROUPS: z._default(z.string(), ''),
  SERVICE_CATALOG: z.string().check(z.minLength(2)),
});

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

/** Fails at cold start, naming the variable, when the environment is incomplete. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PipelineConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const [issue] = schemaIssues(result.error, { root: '(environment)' });
    throw new ConfigurationError(`missing or invalid environment variable ${issue?.field}: ${issue?.message}`);
  }
  const vars = result.data;
  let manifests: unknown;
  try {
    manifests = JSON.parse(vars.SERVICE_CATALOG);
  } catch {
    throw new ConfigurationError('invalid environment variable SERVICE_CATALOG: not JSON');
  }
  if (!Array.isArray(manifests)) throw new ConfigurationError('invalid environment variable SERVICE_CATALOG: not a JSON array');
  if (vars.CUTOVER_MODE === 'drop-target-group' && !vars.DROP_TARGET_GROUP_ARN) {
    throw new ConfigurationError('missing environment variable DROP_TARGET_GROUP_ARN: required when CUTOVER_MODE is drop-target-group');
  }
  return {
    clusterName: vars.CLUSTER_NAME,
    listenerArn: vars.LISTENER_ARN,
    vpcId: vars.VPC_ID,
    executionRoleArn: vars.EXECUTION_ROLE_ARN,
    taskRoleArn: vars.TASK_ROLE_ARN,
    stateMachineArn: vars.STATE_MACHINE_ARN,
    cutoverStateMachineArn: vars.CUTOVER_STATE_MACHINE_ARN,
    cutoverMode: vars.CUTOVER_MODE,
    dropTargetGroupArn: vars.DROP_TARGET_GROUP_ARN,
    subnets: list(vars.SUBNETS),
    securityGroups: list(vars.SECURITY_GROUPS),
    catalog: buildCatalog(manifests.map((content: unknown, index: number) => ({ file: `SERVICE_CATALOG[${index}]`, content }))),
  };
}
