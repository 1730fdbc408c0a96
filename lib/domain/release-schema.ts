import * as v from 'valibot';
import { DIGEST } from './push-event';
import { parseInput, text, utcInstant } from './parse-input';
import type { RuleAction } from './release';

/** A listener action as the steps hand it on, whole, as AWS answered it (checked for its Type; every other field is carried as is). */
export const RuleActionSchema = v.custom<RuleAction>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { Type?: unknown }).Type === 'string',
  'must be a listener action with a Type',
);

/** An existing group's settings that "Ensure target group" may reconcile: compensation puts them back. */
export const TargetGroupSettingsSchema = v.object({
  healthCheckPath: v.optional(v.string()),
  healthCheckIntervalSeconds: v.optional(v.number()),
  healthCheckTimeoutSeconds: v.optional(v.number()),
  healthyThresholdCount: v.optional(v.number()),
  unhealthyThresholdCount: v.optional(v.number()),
  matcher: v.optional(v.string()),
  deregistrationDelaySeconds: v.optional(v.number()),
});

/** What the world looked like before this execution touched it: compensation restores exactly this. */
export const PriorStateSchema = v.object({
  service: v.object({
    exists: v.boolean(),
    taskDefinitionArn: v.optional(v.string()),
    desiredCount: v.optional(v.number()),
    /** ECS's value before the rollout (0 when it was never set): "Deploy service" may change it. */
    healthCheckGracePeriodSeconds: v.optional(v.number()),
  }),
  targetGroupExisted: v.boolean(),
  /** Whether the service's alternate group existed (absent in a record made before there was one: left alone). */
  alternateTargetGroupExisted: v.optional(v.boolean()),
  targetGroup: v.optional(TargetGroupSettingsSchema),
  rule: v.nullable(v.object({ ruleArn: v.string(), actions: v.array(RuleActionSchema) })),
});

export const HealthGateSchema = v.object({
  /** When "Deploy service" finished (ISO-8601 UTC): the gate's timeout counts from here, checks and retries included. */
  startedAt: utcInstant(),
  /** Seconds from startedAt to the last check, by the clock (lib/domain/health.ts, gateElapsedSeconds). */
  waitedSeconds: v.number(),
  nextWaitSeconds: v.number(),
  healthy: v.boolean(),
  polls: v.number(),
  lastReason: v.optional(v.string()),
  /** waitedSeconds at which the gate first saw only old tasks draining (see isDraining). */
  drainingSinceSeconds: v.optional(v.number()),
});

/** A bake under way: judged by "Check service health" until `seconds` have passed since `startedAt`. */
export const BakeSchema = v.object({
  startedAt: utcInstant(),
  seconds: v.number(),
  checks: v.number(),
  /** The group the bake judges: the one serving the service's share (after ECS's own deployments, maybe its alternate). */
  targetGroupArn: v.optional(v.string()),
});

/** The service's traffic moving to the new revision ("Shift traffic"; lib/domain/traffic.ts, shiftPlan). */
export const ShiftSchema = v.object({
  /** The weight changes planned at the first shift, in order, each with whether a bake judges it. */
  steps: v.array(v.object({ percent: v.number(), bake: v.boolean() })),
  /** How many of them are made. */
  done: v.number(),
  /** Percent of the service's traffic on the new revision now. */
  percent: v.number(),
  bake: v.optional(BakeSchema),
});

/**
 * An update of a live service through ECS's own deployment (lib/domain/ecs-update.ts), watched by "Check service
 * health" (lib/runtime/ecs-deployment-watch.ts) to its end.
 */
export const EcsDeploymentSchema = v.object({
  arn: v.string(),
  strategy: v.picklist(['CANARY', 'LINEAR', 'BLUE_GREEN']),
  /** The group ECS registers the new revision's tasks in (the one not serving when the deployment began). */
  greenTargetGroupArn: v.string(),
  /** When the pipeline asked for it (UpdateService): the gate's metrics window starts at this minute. */
  startedAt: utcInstant(),
  /** The percent of the service's traffic on the new revision at the last look (read from the production rule). */
  percent: v.number(),
  /** Set when the pipeline's own gate tripped and asked ECS to roll back (StopServiceDeployment ROLLBACK). */
  rollbackReason: v.optional(v.string()),
  /** When a look first saw all of the service's traffic on the new revision. */
  fullAt: v.optional(utcInstant()),
  /** The pipeline's last look (one CloudWatch period after fullAt) passed. */
  judged: v.optional(v.boolean()),
  checks: v.number(),
});

/** One weight change, as `trafficSteps` reports it: when, and the percent on the new revision after it. */
export const TrafficStepSchema = v.object({ at: utcInstant(), percent: v.number() });

/**
 * The one object carried through a rollout, and the one definition of it (its type is inferred from here).
 * Every field is small: never whole SDK responses (Step Functions caps state at 256 KiB).
 */
export const ReleaseSchema = v.object({
  executionName: text(1, 80),
  service: text(1),
  role: v.picklist(['monolith', 'microservice']),
  push: v.object({
    id: v.optional(v.string()),
    account: v.string(),
    region: v.string(),
    time: v.string(),
    repository: v.string(),
    digest: v.pipe(v.string(), v.regex(DIGEST, 'must be sha256: followed by 64 lowercase hex characters')),
    tag: v.optional(v.string()),
  }),
  imageUri: text(1),
  /** The monolith has been cut over already: a push of its repository has nothing to deploy into. */
  retired: v.boolean(),
  /** The service already runs this image, healthy and routed: nothing to roll out (re-delivery or re-run). */
  upToDate: v.optional(v.boolean(), false),
  /** The service's lock item (lib/domain/lock-lease.ts), taken and released by the state machine itself. */
  lockKey: text(1, 80),
  /** When the lock this execution takes stops protecting it (ISO-8601 UTC); fixed at "Resolve release". */
  leaseUntil: utcInstant(),
  /** Seconds to wait before asking again for the service's lock when it is held (rollout.asl.yaml). */
  lockWaitSeconds: v.optional(v.number()),
  /** Set under the lock: a newer push of this service (by event time) is already live; this one deploys nothing. */
  superseded: v.optional(v.boolean()),
  /** Recorded under the service lock, before the first change; absent until then (nothing to restore). */
  before: v.optional(PriorStateSchema),
  /**
   * Recorded with it: of the groups the service's rule will forward to, those whose target stickiness is on. A forward
   * to several groups must then enable group stickiness (lib/domain/listener-actions.ts, groupStickiness).
   */
  stickyTargetGroups: v.optional(v.array(v.object({ targetGroupArn: v.string(), durationSeconds: v.number() }))),
  taskDefinitionArn: v.optional(v.string()),
  targetGroupArn: v.optional(v.string()),
  /** The service's alternate group (ECS's blue/green family of deployments), set by "Ensure target group". */
  alternateTargetGroupArn: v.optional(v.string()),
  ruleArn: v.optional(v.string()),
  gate: v.optional(HealthGateSchema),
  shift: v.optional(ShiftSchema),
  ecsDeployment: v.optional(EcsDeploymentSchema),
  /** Why an update of a live service is ECS's rolling update plus a bake, not ECS's own canary/linear/blue-green. */
  rollingBecause: v.optional(v.string()),
  /** Every weight change this execution made on the service's rule, in order (compensation adds the last, 0). */
  trafficSteps: v.optional(v.array(TrafficStepSchema)),
  /** Set by "Shift traffic": from here on the service's rollout is done and is not undone. */
  live: v.optional(v.boolean()),
  /** Steps that changed something in AWS, in order, for the execution's history. */
  changes: v.array(v.string()),
});

export type Release = v.InferOutput<typeof ReleaseSchema>;
export type PriorState = v.InferOutput<typeof PriorStateSchema>;
export type HealthGate = v.InferOutput<typeof HealthGateSchema>;
export type Shift = v.InferOutput<typeof ShiftSchema>;
export type EcsDeployment = v.InferOutput<typeof EcsDeploymentSchema>;
export type TrafficStep = v.InferOutput<typeof TrafficStepSchema>;
export type TargetGroupSettings = v.InferOutput<typeof TargetGroupSettingsSchema>;

export function parseRelease(input: unknown, step: string): Release {
  return parseInput(ReleaseSchema, input, step, 'release.');
}
