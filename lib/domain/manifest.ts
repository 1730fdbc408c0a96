import * as v from 'valibot';
import { fargateSizeProblem } from './fargate-sizes';
import { ALL_AT_ONCE, TrafficSchema } from './traffic';

/**
 * The service manifest (services/<name>/service.yml). Defaults are the tutorial's values; limits are
 * AWS's (ELB user guide quotas, botocore elbv2/ecs models), so a manifest that validates here is one
 * AWS accepts.
 */

// Target group names: 1-32 chars, letters, digits, hyphens, no leading/trailing hyphen (elbv2 CreateTargetGroup).
const TARGET_GROUP_NAME = /^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$/;
// ECR repository names: lowercase, digits, '.', '_', '-', '/' separated components, 2-256 chars.
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// ALB path patterns: up to 128 chars of A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & ( ) ! , ; = and * ? wildcards.
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+&()!,;=*?]{0,127}$/;
// HTTP codes 200-499, as a single code, a list "200,202" or a range "200-299" (elbv2 Matcher.HttpCode).
const MATCHER = /^(?:[2-4]\d\d(?:-[2-4]\d\d)?)(?:,[2-4]\d\d(?:-[2-4]\d\d)?)*$/;
// Tags that deploy: Docker tag characters plus EventBridge's wildcard `*` (the rule pattern's `wildcard` filter).
const TAG_PATTERN = /^[\w.*-]{1,128}$/;
// ALB quota ("Quotas for your Application Load Balancers"): at most 5 wildcards per rule, across its condition values.
const MAX_WILDCARDS_PER_RULE = 5;
const wildcardCount = (paths: readonly string[]) => paths.join('').replace(/[^*?]/g, '').length;
// ECS task definition families: up to 255 letters, digits, hyphens, underscores.
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

const int = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const matching = (pattern: RegExp, message: string) => v.pipe(v.string(), v.regex(pattern, message));

export const HealthCheckSchema = v.pipe(
  v.strictObject({
    path: v.optional(matching(/^\/[\x21-\x7e]{0,1023}$/, 'must start with / and be at most 1024 printable characters'), '/'),
    healthyThreshold: v.optional(int(2, 10), 2),
    unhealthyThreshold: v.optional(int(2, 10), 2),
    timeoutSeconds: v.optional(int(2, 120), 5),
    intervalSeconds: v.optional(int(5, 300), 6),
    matcher: v.optional(matching(MATCHER, 'must be HTTP codes between 200 and 499, e.g. 200 or 200-299'), '200'),
  }),
  v.forward(
    v.check((hc) => hc.timeoutSeconds < hc.intervalSeconds, 'timeoutSeconds must be smaller than intervalSeconds (ELB rejects timeout >= interval)'),
    ['timeoutSeconds'],
  ),
);

const ManifestFieldsSchema = v.pipe(
  v.strictObject({
    name: matching(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lowercase letters, digits or hyphens'),
    repository: matching(REPOSITORY_NAME, 'must be an ECR repository name (lowercase, 2-256 chars)'),
    role: v.optional(v.picklist(['monolith', 'microservice']), 'microservice'),
    family: v.optional(matching(FAMILY, 'must be 1-255 letters, digits, hyphens or underscores')),
    targetGroupName: v.optional(matching(TARGET_GROUP_NAME, 'must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen')),
    containerPort: v.optional(int(1, 65535), 3000),
    memory: v.optional(int(6, 120 * 1024), 256),
    cpu: v.optional(int(0, 16 * 1024), 256),
    launchType: v.optional(v.picklist(['EC2', 'FARGATE']), 'EC2'),
    networkMode: v.optional(v.picklist(['bridge', 'awsvpc']), 'bridge'),
    desiredCount: v.optional(int(1, 1000), 1),
    paths: v.pipe(
      v.array(v.pipe(v.string(), v.maxLength(128, 'must be at most 128 characters'), v.regex(PATH_PATTERN, 'must start with / and use only characters ALB path patterns allow'))),
      v.minLength(1, 'needs at least one path pattern'),
      v.maxLength(5, 'at most 5 path patterns per rule (ALB condition values limit)'),
      v.check(
        (paths) => wildcardCount(paths) <= MAX_WILDCARDS_PER_RULE,
        (issue) => `at most ${MAX_WILDCARDS_PER_RULE} wildcards (* and ?) per rule across all its paths (ALB quota); found ${wildcardCount(issue.input)}`,
      ),
    ),
    priority: int(1, 50000),
    healthCheck: v.optional(HealthCheckSchema, {}),
    deregistrationDelaySeconds: v.optional(int(0, 3600), 300),
    /** Which tags deploy (EventBridge wildcard patterns such as v*); absent: any tag. An untagged push never deploys. */
    deployTags: v.optional(
      v.pipe(
        v.array(matching(TAG_PATTERN, 'must be an image tag or a pattern with * wildcards, e.g. v* (letters, digits, _ . - *; at most 128)')),
        v.minLength(1, 'needs at least one tag pattern (leave deployTags out to deploy every tag)'),
        v.maxLength(10, 'at most 10 tag patterns'),
      ),
    ),
    healthGateTimeoutSeconds: v.optional(int(30, 3600), 600),
    /**
     * How long ECS ignores a new task's failed ELB health checks (CreateService healthCheckGracePeriodSeconds,
     * 0-2147483647; unset, ECS uses 0 and replaces a task still starting). 60 s: the container's start plus its
     * first check (one interval + timeout, 11 s with the defaults), the value AWS CDK sets for load-balanced services.
     */
    healthCheckGracePeriodSeconds: v.optional(int(0, 2_147_483_647), 60),
    /** How traffic moves to a new revision after the health gate (lib/domain/traffic.ts); absent: all at once. */
    traffic: v.optional(TrafficSchema, ALL_AT_ONCE),
  }),
  v.forward(
    v.check((manifest) => manifest.launchType !== 'FARGATE' || manifest.networkMode === 'awsvpc', 'FARGATE requires networkMode awsvpc'),
    ['networkMode'],
  ),
  v.forward(
    v.check(
      (manifest) => manifest.launchType !== 'FARGATE' || fargateSizeProblem(manifest.cpu, manifest.memory) === undefined,
      (issue) => `${fargateSizeProblem(issue.input.cpu, issue.input.memory)} (ECS "Task CPU and memory")`,
    ),
    ['memory'],
  ),
  v.forward(
    v.check((manifest) => manifest.targetGroupName !== undefined || TARGET_GROUP_NAME.test(manifest.name), 'is used as the target group name and must fit its rules'),
    ['name'],
  ),
  // The monolith's pushes are rolling updates with no traffic step of their own: a traffic block would be ignored.
  v.forward(
    v.check((manifest) => manifest.role !== 'monolith' || JSON.stringify(manifest.traffic) === JSON.stringify(ALL_AT_ONCE), 'applies to microservices only: the monolith is updated in place and never shifts traffic'),
    ['traffic'],
  ),
);

export const ManifestSchema = v.pipe(
  ManifestFieldsSchema,
  v.transform((manifest) => ({
    ...manifest,
    family: manifest.family ?? manifest.name,
    targetGroupName: manifest.targetGroupName ?? manifest.name,
  })),
);

/**
 * The service's second (alternate) target group, which ECS's own blue/green, canary and linear deployments need
 * (loadBalancers[].advancedConfiguration.alternateTargetGroupArn): `<targetGroupName>-g`, its name trimmed to ELB's
 * 32 characters. The two groups swap roles on every ECS deployment.
 */
export function alternateTargetGroupName(manifest: Pick<Manifest, 'targetGroupName'>): string {
  return `${manifest.targetGroupName.slice(0, 30).replace(/-+$/, '')}-g`;
}

export type ManifestInput = v.InferInput<typeof ManifestSchema>;
export type Manifest = v.InferOutput<typeof ManifestSchema>;
export type HealthCheck = Manifest['healthCheck'];
