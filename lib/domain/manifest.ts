import * as z from 'zod/mini';

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
// ECS task definition families: up to 255 letters, digits, hyphens, underscores.
const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;

const int = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const matching = (pattern: RegExp, message: string) => z.string().check(z.regex(pattern, message));

export const HealthCheckSchema = z
  .strictObject({
    path: z._default(matching(/^\/[\x21-\x7e]{0,1023}$/, 'must start with / and be at most 1024 printable characters'), '/'),
    healthyThreshold: z._default(int(2, 10), 2),
    unhealthyThreshold: z._default(int(2, 10), 2),
    timeoutSeconds: z._default(int(2, 120), 5),
    intervalSeconds: z._default(int(5, 300), 6),
    matcher: z._default(matching(MATCHER, 'must be HTTP codes between 200 and 499, e.g. 200 or 200-299'), '200'),
  })
  .check(
    z.refine((hc) => hc.timeoutSeconds < hc.intervalSeconds, {
      message: 'timeoutSeconds must be smaller than intervalSeconds (ELB rejects timeout >= interval)',
      path: ['timeoutSeconds'],
    }),
  );

const ManifestFieldsSchema = z
  .strictObject({
    name: matching(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lowercase letters, digits or hyphens'),
    repository: matching(REPOSITORY_NAME, 'must be an ECR repository name (lowercase, 2-256 chars)'),
    role: z._default(z.enum(['monolith', 'microservice']), 'microservice'),
    family: z.optional(matching(FAMILY, 'must be 1-255 letters, digits, hyphens or underscores')),
    targetGroupName: z.optional(matching(TARGET_GROUP_NAME, 'must be 1-32 letters, digits or hyphens, not starting or ending with a hyphen')),
    containerPort: z._default(int(1, 65535), 3000),
    memory: z._default(int(6, 120 * 1024), 256),
    cpu: z._default(int(0, 16 * 1024), 256),
    launchType: z._default(z.enum(['EC2', 'FARGATE']), 'EC2'),
    networkMode: z._default(z.enum(['bridge', 'awsvpc']), 'bridge'),
    desiredCount: z._default(int(1, 1000), 1),
    paths: z
      .array(z.string().check(z.maxLength(128, 'must be at most 128 characters'), z.regex(PATH_PATTERN, 'must start with / and use only characters ALB path patterns allow')))
      .check(z.minLength(1, 'needs at least one path pattern'), z.maxLength(5, 'at most 5 path patterns per rule (ALB condition values limit)')),
    priority: int(1, 50000),
    healthCheck: z._default(HealthCheckSchema, {
      path: '/',
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      timeoutSeconds: 5,
      intervalSeconds: 6,
      matcher: '200',
    }),
    deregistrationDelaySeconds: z._default(int(0, 3600), 300),
    healthGateTimeoutSeconds: z._default(int(30, 3600), 600),
  })
  .check(
    z.superRefine((manifest, ctx) => {
      if (manifest.launchType === 'FARGATE' && manifest.networkMode !== 'awsvpc') {
        ctx.addIssue({ code: 'custom', path: ['networkMode'], message: 'FARGATE requires networkMode awsvpc' });
      }
      if (!manifest.targetGroupName && !TARGET_GROUP_NAME.test(manifest.name)) {
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'is used as the target group name and must fit its rules' });
      }
    }),
  );

export const ManifestSchema = z.pipe(
  ManifestFieldsSchema,
  z.transform((manifest: z.output<typeof ManifestFieldsSchema>) => ({
    ...manifest,
    family: manifest.family ?? manifest.name,
    targetGroupName: manifest.targetGroupName ?? manifest.name,
  })),
);

export type ManifestInput = z.input<typeof ManifestSchema>;
export type Manifest = z.output<typeof ManifestSchema>;
export type HealthCheck = Manifest['healthCheck'];
