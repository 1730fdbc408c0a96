import * as v from 'valibot';
import { ConfigurationError } from '../errors';
import { buildCatalog, type Catalog } from '../domain/catalog';
import { schemaIssues } from '../domain/parse-input';
import { bundledManifests } from './bundled-catalog';

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
  /**
   * The role ECS assumes to move the production rule's weights in its own canary / linear / blue-green deployment
   * (loadBalancers[].advancedConfiguration.roleArn). Unset: an update of a live service is a rolling update and a bake.
   */
  readonly ecsInfrastructureRoleArn?: string;
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

const arn = () => v.pipe(v.string(), v.startsWith('arn:'));

const EnvSchema = v.object({
  CLUSTER_NAME: v.pipe(v.string(), v.minLength(1)),
  LISTENER_ARN: arn(),
  VPC_ID: v.pipe(v.string(), v.startsWith('vpc-')),
  EXECUTION_ROLE_ARN: arn(),
  TASK_ROLE_ARN: v.optional(arn()),
  ECS_INFRASTRUCTURE_ROLE_ARN: v.optional(v.pipe(v.string(), v.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'an IAM role ARN (arn:aws:iam::<account>:role/<name>)'))),
  STATE_MACHINE_ARN: v.optional(v.string(), ''),
  CUTOVER_STATE_MACHINE_ARN: v.optional(v.string(), ''),
  CUTOVER_MODE: v.optional(v.picklist(['fixed-response', 'drop-target-group']), 'fixed-response'),
  DROP_TARGET_GROUP_ARN: v.optional(v.string()),
  SUBNETS: v.optional(v.string(), ''),
  SECURITY_GROUPS: v.optional(v.string(), ''),
  /** Only where no catalog was compiled in (a handler run outside its bundle); a bundle's own catalog wins. */
  SERVICE_CATALOG: v.optional(v.pipe(v.string(), v.minLength(2))),
});

/** An optional parameter left empty in serverless.yml (`dropTargetGroupArn: ''`) arrives as an empty variable: unset. */
const withoutEmpty = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

/** The manifests: compiled into the bundle, or else from SERVICE_CATALOG. */
function manifestsFrom(json: string | undefined, bundled: unknown): { manifests: unknown[]; source: string } {
  if (bundled !== undefined) {
    if (!Array.isArray(bundled)) throw new ConfigurationError('invalid bundled catalog: not a list of manifests (re-run sls package)');
    return { manifests: bundled, source: 'bundled catalog' };
  }
  if (json === undefined) throw new ConfigurationError('missing environment variable SERVICE_CATALOG: no catalog was compiled into this bundle either');
  let manifests: unknown;
  try {
    manifests = JSON.parse(json);
  } catch {
    throw new ConfigurationError('invalid environment variable SERVICE_CATALOG: not JSON');
  }
  if (!Array.isArray(manifests)) throw new ConfigurationError('invalid environment variable SERVICE_CATALOG: not a JSON array');
  return { manifests, source: 'SERVICE_CATALOG' };
}

/** Fails at cold start, naming the variable, when the environment is incomplete. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, bundled: unknown = bundledManifests): PipelineConfig {
  const result = v.safeParse(EnvSchema, withoutEmpty(env));
  if (!result.success) {
    const [issue] = schemaIssues(result.issues, { root: '(environment)' });
    throw new ConfigurationError(`missing or invalid environment variable ${issue?.field}: ${issue?.message}`);
  }
  const vars = result.output;
  const { manifests, source } = manifestsFrom(vars.SERVICE_CATALOG, bundled);
  if (vars.CUTOVER_MODE === 'drop-target-group' && !vars.DROP_TARGET_GROUP_ARN) {
    throw new ConfigurationError('missing environment variable DROP_TARGET_GROUP_ARN: required when CUTOVER_MODE is drop-target-group');
  }
  return {
    clusterName: vars.CLUSTER_NAME,
    listenerArn: vars.LISTENER_ARN,
    vpcId: vars.VPC_ID,
    executionRoleArn: vars.EXECUTION_ROLE_ARN,
    taskRoleArn: vars.TASK_ROLE_ARN,
    ...(vars.ECS_INFRASTRUCTURE_ROLE_ARN ? { ecsInfrastructureRoleArn: vars.ECS_INFRASTRUCTURE_ROLE_ARN } : {}),
    stateMachineArn: vars.STATE_MACHINE_ARN,
    cutoverStateMachineArn: vars.CUTOVER_STATE_MACHINE_ARN,
    cutoverMode: vars.CUTOVER_MODE,
    dropTargetGroupArn: vars.DROP_TARGET_GROUP_ARN,
    subnets: list(vars.SUBNETS),
    securityGroups: list(vars.SECURITY_GROUPS),
    catalog: buildCatalog(manifests.map((content: unknown, index: number) => ({ file: `${source}[${index}]`, content }))),
  };
}
