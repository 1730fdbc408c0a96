import * as v from 'valibot';
import { isAlarmName } from './alarm-name';

/**
 * How a service's traffic moves to a new revision (service.yml `traffic`), after its health gate:
 * all at once (today's behaviour), or a canary (a small percent, a bake, then the rest) or linear steps with a bake
 * after each, as AWS CodeDeploy and ECS's own deployments do (ECS developer guide, "Amazon ECS canary deployments",
 * "Amazon ECS linear deployments": canary 0.1-100 % in 0.1 steps, linear steps 3-100 %, bake 0-1440 minutes).
 */
const tenths = (min: number, max: number, what: string) =>
  v.pipe(
    v.number(),
    v.minValue(min, `${what} must be ${min}-${max}`),
    v.maxValue(max, `${what} must be ${min}-${max}`),
    v.check((value) => Math.abs(value * 10 - Math.round(value * 10)) < 1e-9, `${what} must be a multiple of 0.1`),
  );
const whole = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

export const TrafficSchema = v.strictObject({
  strategy: v.optional(v.picklist(['all-at-once', 'canary', 'linear']), 'all-at-once'),
  canaryPercent: v.optional(tenths(0.1, 100, 'canaryPercent'), 10),
  stepPercent: v.optional(tenths(3, 100, 'stepPercent'), 10),
  bakeMinutes: v.optional(whole(0, 1440), 5),
  /** Target 5xx / requests to the new group during a bake, in percent. */
  maxErrorRatePercent: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(100)), 1),
  maxP99LatencyMs: v.optional(whole(1, 600_000)),
  /** Existing CloudWatch alarms: any in ALARM during a bake rolls the step back. */
  alarms: v.optional(v.pipe(v.array(v.pipe(v.string(), v.check(isAlarmName, 'must be a CloudWatch alarm name (1-255 characters)'))), v.maxLength(10, 'at most 10 alarms')), []),
});

export type Traffic = v.InferOutput<typeof TrafficSchema>;

/** all-at-once, as a manifest without a traffic block has it. */
export const ALL_AT_ONCE: Traffic = v.parse(TrafficSchema, {});

/**
 * The percents of the service's traffic on the new revision after each weight change, in order, ending at 100:
 * canary 10 → [10, 100]; linear 25 → [25, 50, 75, 100]; linear 30 → [30, 60, 90, 100]; all-at-once → [100].
 */
export function trafficSteps(traffic: Pick<Traffic, 'strategy' | 'canaryPercent' | 'stepPercent'>): number[] {
  if (traffic.strategy === 'canary') return traffic.canaryPercent >= 100 ? [100] : [traffic.canaryPercent, 100];
  if (traffic.strategy === 'linear') {
    const steps: number[] = [];
    for (let tenthsDone = Math.round(traffic.stepPercent * 10); tenthsDone < 1000; tenthsDone += Math.round(traffic.stepPercent * 10)) steps.push(tenthsDone / 10);
    return [...steps, 100];
  }
  return [100];
}

/**
 * ALB forward weights for `percent` on the new group: weights are integers 0-999 (ELB API, TargetGroupTuple), so a
 * 0.1 % step is 1 against 999. 100 % is the new group alone.
 */
export function weightsFor(percent: number): { newWeight: number; oldWeight: number } {
  if (percent >= 100) return { newWeight: 1, oldWeight: 0 };
  const newWeight = Math.max(1, Math.round(percent * 10));
  return { newWeight, oldWeight: 1000 - newWeight };
}

/**
 * One weight change of a rollout, and whether a bake judges it before the next: the migration's steps per the
 * strategy, no bake after 100 % (the path has left the monolith; nothing further to compare it with). An update of a
 * live service, or a path with nothing to split its traffic with (its rule redirects or answers fixed), goes to
 * 100 % at once, then bakes there when the strategy is progressive: the same gates judge the new revision.
 * bakeMinutes 0 shifts the steps without judging them.
 */
export interface ShiftStep {
  readonly percent: number;
  readonly bake: boolean;
}

export function shiftPlan(traffic: Traffic, splittable: boolean): ShiftStep[] {
  const progressive = traffic.strategy !== 'all-at-once' && traffic.bakeMinutes > 0;
  if (!splittable) return [{ percent: 100, bake: progressive }];
  return trafficSteps(traffic).map((percent) => ({ percent, bake: progressive && percent < 100 }));
}

/** How many bakes a rollout of this manifest may wait out: the migration's (shiftPlan), or the update's one. */
export function plannedBakes(traffic: Traffic): number {
  const migration = shiftPlan(traffic, true).filter((step) => step.bake).length;
  const update = shiftPlan(traffic, false).filter((step) => step.bake).length;
  return Math.max(migration, update);
}

/**
 * ALB publishes its metrics to CloudWatch a minute or more after the minute they describe (ELB user guide, "CloudWatch
 * metrics for your Application Load Balancer": reported at 60-second intervals): the last look of a bake waits one
 * more period, so the bake's last minute is in what it judges.
 */
export const METRICS_SETTLE_SECONDS = 60;

/**
 * At most this many looks per rollout: each look is a Wait, a Task and a Choice (about 9 history events), and a
 * Standard execution's history holds 25,000 events (Step Functions quotas); a failure past it would skip Compensate.
 */
export const MAX_LOOKS_PER_ROLLOUT = 1000;

/**
 * Seconds between the gate's looks during a bake: a fifth of the bake, at least one CloudWatch period (60 s) and at
 * most 5 minutes, and far enough apart that all the rollout's bakes take at most MAX_LOOKS_PER_ROLLOUT looks. A
 * 5-minute bake is 6 looks (the last one METRICS_SETTLE_SECONDS after it), a day's bake about 290.
 */
export function bakeCheckSeconds(traffic: Traffic, remainingSeconds: number): number {
  const bakeSeconds = traffic.bakeMinutes * 60;
  const spread = Math.ceil((plannedBakes(traffic) * (bakeSeconds + METRICS_SETTLE_SECONDS)) / MAX_LOOKS_PER_ROLLOUT);
  const every = Math.max(spread, Math.min(300, Math.max(60, Math.ceil(bakeSeconds / 5))));
  return Math.max(0, Math.min(every, Math.ceil(remainingSeconds)));
}

/** What the gate saw of the new group during one bake (CloudWatch, AWS/ApplicationELB, and the named alarms). */
export interface BakeObservation {
  readonly requests: number;
  readonly errors5xx: number;
  /** TargetResponseTime p99 over the bake, in ms (the worst minute's); undefined when CloudWatch has no datapoint. */
  readonly p99LatencyMs?: number;
  readonly maxUnhealthyHosts: number;
  /** Names of the manifest's alarms that were in ALARM. */
  readonly alarmsInAlarm: readonly string[];
  /** Names of the manifest's alarms CloudWatch does not have: nothing could be judged by them. */
  readonly alarmsMissing?: readonly string[];
}

export type BakeVerdict = { readonly passed: true } | { readonly passed: false; readonly reason: string } | { readonly passed: undefined };

/**
 * Too few requests to judge: with fewer than 100 / maxErrorRatePercent requests (100 at the default 1 %), one failed
 * request already decides the rate, so a bake that saw less cannot say the new revision is good. It does not pass.
 */
export function minimumRequests(traffic: Pick<Traffic, 'maxErrorRatePercent'>): number {
  return Math.ceil(100 / Math.max(traffic.maxErrorRatePercent, 0.01));
}

/**
 * The gate's verdict on a bake at `percent`, so far (`final` false: a look during the bake, which only trips, never
 * passes) or at its end. The reason names the metric or alarm, the value, the threshold and the percent.
 */
export function judgeBake(traffic: Pick<Traffic, 'maxErrorRatePercent' | 'maxP99LatencyMs'>, percent: number, seen: BakeObservation, final = true): BakeVerdict {
  const at = `at ${percent} %`;
  const [alarm] = seen.alarmsInAlarm;
  if (alarm !== undefined) return { passed: false, reason: `alarm ${alarm} was in ALARM ${at}` };
  const [missing] = seen.alarmsMissing ?? [];
  if (missing !== undefined) return { passed: false, reason: `alarm ${missing} does not exist in CloudWatch (named in traffic.alarms), ${at}` };
  if (seen.maxUnhealthyHosts > 0) return { passed: false, reason: `UnHealthyHostCount was ${seen.maxUnhealthyHosts}, threshold 0, ${at}` };
  const needed = minimumRequests(traffic);
  const rate = seen.requests > 0 ? (seen.errors5xx / seen.requests) * 100 : 0;
  if (seen.requests >= needed && rate > traffic.maxErrorRatePercent) {
    return { passed: false, reason: `HTTPCode_Target_5XX_Count / RequestCount was ${rate.toFixed(2)} % (${seen.errors5xx} of ${seen.requests}), threshold ${traffic.maxErrorRatePercent} %, ${at}` };
  }
  // Like the rate, p99 is judged only over enough requests: one slow request in a quiet minute is not a p99.
  if (seen.requests >= needed && traffic.maxP99LatencyMs !== undefined && seen.p99LatencyMs !== undefined && seen.p99LatencyMs > traffic.maxP99LatencyMs) {
    return { passed: false, reason: `TargetResponseTime p99 was ${Math.round(seen.p99LatencyMs)} ms, threshold ${traffic.maxP99LatencyMs} ms, ${at}` };
  }
  if (!final) return { passed: undefined };
  if (seen.requests < needed) return { passed: false, reason: `too few requests to judge ${at}: RequestCount ${seen.requests}, at least ${needed} needed for a ${traffic.maxErrorRatePercent} % error threshold` };
  return { passed: true };
}
