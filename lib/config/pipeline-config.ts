import { z } from 'zod';
import { ConfigurationError } from '../errors';
import { buildCatalog, type Catalog } from '../domain/catalog';

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
  readonly lockTableName: string;
  readonly stateMachineArn: string;
  /** How cut-over drops the monolith's traffic: a fixed 503 response, or forward to an empty target group. */
  readonly cutoverMode: 'fixed-response' | 'drop-target-group';
  readonly dropTargetGroupArn?: string;
  /** Subnets and security groups for awsvpc services (Fargate). */
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly catalog: Catalog;
}

const EnvSchema = z.object({
  CLUSTER_NAME: z.string().min(1),
  LISTENER_ARN: z.string().startsWith('arn:'),
  VPC_ID: z.string().startsWith('vpc-'),
  EXECUTION_ROLE_ARN: z.string().startsWith('arn:'),
  TASK_ROLE_ARN: z.string().startsWith('arn:').optional().or(z.literal('').transform(() => undefined)),
  LOCK_TABLE_NAME: z.string().min(3),
  STATE_MACHINE_ARN: z.string().default(''),
  CUTOVER_MODE: z.enum(['fixed-response', 'drop-target-group']).default('fixed-response'),
  DROP_TARGET_GROUP_ARN: z.string().optional().or(z.literal('').transform(() => undefined)),
  SUBNETS: z.string().default(''),
  SECURITY_GROUPS: z.string().default(''),
  SERVICE_CATALOG: z.string().min(2),
});

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

/** Fails at cold start, naming the variable, when the environment is incomplete. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PipelineConfig {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigurationError(`missing or invalid environment variable ${String(issue?.path[0])}: ${issue?.message}`);
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
    lockTableName: vars.LOCK_TABLE_NAME,
    stateMachineArn: vars.STATE_MACHINE_ARN,
    cutoverMode: vars.CUTOVER_MODE,
    dropTargetGroupArn: vars.DROP_TARGET_GROUP_ARN,
    subnets: list(vars.SUBNETS),
    securityGroups: list(vars.SECURITY_GROUPS),
    catalog: buildCatalog(manifests.map((content: unknown, index: number) => ({ file: `SERVICE_CATALOG[${index}]`, content }))),
  };
}
