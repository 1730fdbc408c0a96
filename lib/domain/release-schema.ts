import * as z from 'zod/mini';
import { parseInput } from './parse-input';
import type { RuleAction } from './release';

const ActionShape = z.looseObject({ Type: z.string() });
/** A listener action as the steps hand it on (checked for its Type; every other field is carried as is). */
export const RuleActionSchema = z.custom<RuleAction>((value) => ActionShape.safeParse(value).success, { message: 'must be a listener action with a Type' });

const text = (min = 0, max?: number) => z.string().check(...[z.minLength(min), ...(max === undefined ? [] : [z.maxLength(max)])]);

/** An existing group's settings that "Ensure target group" may reconcile: compensation puts them back. */
export const TargetGroupSettingsSchema = z.object({
  healthCheckPath: z.optional(z.string()),
  healthCheckIntervalSeconds: z.optional(z.number()),
  healthCheckTimeoutSeconds: z.optional(z.number()),
  healthyThresholdCount: z.optional(z.number()),
  unhealthyThresholdCount: z.optional(z.number()),
  matcher: z.optional(z.string()),
  deregistrationDelaySeconds: z.optional(z.number()),
});

/** What the world looked like before this execution touched it: compensation restores exactly this. */
export const PriorStateSchema = z.object({
  service: z.object({ exists: z.boolean(), taskDefinitionArn: z.optional(z.string()), desiredCount: z.optional(z.number()) }),
  targetGroupExisted: z.boolean(),
  targetGroup: z.optional(TargetGroupSettingsSchema),
  rule: z.nullable(z.object({ ruleArn: z.string(), actions: z.array(RuleActionSchema) })),
});

export const HealthGateSchema = z.object({
  waitedSeconds: z.number(),
  nextWaitSeconds: z.number(),
  healthy: z.boolean(),
  polls: z.number(),
  lastReason: z.optional(z.string()),
  /** waitedSeconds at which the gate first saw only old tasks draining (see isDraining). */
  drainingSinceSeconds: z.optional(z.number()),
});

/**
 * The one object carried through a rollout, and the one definition of it (its type is inferred from here).
 * Every field is small: never whole SDK responses (Step Functions caps state at 256 KiB).
 */
export const ReleaseSchema = z.object({
  executionName: text(1, 80),
  service: text(1),
  role: z.enum(['monolith', 'microservice']),
  push: z.object({
    id: z.optional(z.string()),
    account: z.string(),
    region: z.string(),
    time: z.string(),
    repository: z.string(),
    digest: z.string().check(z.regex(/^sha256:[a-f0-9]{64}$/)),
    tag: z.optional(z.string()),
  }),
  imageUri: text(1),
  /** The monolith has been cut over already: a push of its repository has nothing to deploy into. */
  retired: z.boolean(),
  /** The service already runs this image, healthy and routed: nothing to roll out (re-delivery or re-run). */
  upToDate: z._default(z.boolean(), false),
  /** The service's lock item (lib/domain/lock-lease.ts), taken and released by the state machine itself. */
  lockKey: text(1, 80),
  /** When the lock this execution takes stops protecting it (ISO-8601 UTC); fixed at "Resolve release". */
  leaseUntil: z.iso.datetime(),
  /** Seconds to wait before asking again for the service's lock when it is held (rollout.asl.yaml). */
  lockWaitSeconds: z.optional(z.number()),
  /** Set under the lock: a newer push of this service (by event time) is already live; this one deploys nothing. */
  superseded: z.optional(z.boolean()),
  /** Recorded under the service lock, before the first change; absent until then (nothing to restore). */
  before: z.optional(PriorStateSchema),
  taskDefinitionArn: z.optional(z.string()),
  targetGroupArn: z.optional(z.string()),
  ruleArn: z.optional(z.string()),
  gate: z.optional(HealthGateSchema),
  /** Set by "Shift traffic": from here on the service's rollout is done and is not undone. */
  live: z.optional(z.boolean()),
  /** Steps that changed something in AWS, in order, for the execution's history. */
  changes: z.array(z.string()),
});

export type Release = z.infer<typeof ReleaseSchema>;
export type PriorState = z.infer<typeof PriorStateSchema>;
export type HealthGate = z.infer<typeof HealthGateSchema>;
export type TargetGroupSettings = z.infer<typeof TargetGroupSettingsSchema>;

export function parseRelease(input: unknown, step: string): Release {
  return parseInput(ReleaseSchema, input, step, 'release.');
}
