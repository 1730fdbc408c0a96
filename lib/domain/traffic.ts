import * as v from 'valibot';

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
// CloudWatch alarm names: 1-255 characters, no control characters (PutMetricAlarm AlarmName).
const isAlarmName = (name: string) => name.length >= 1 && name.length <= 255 && [...name].every((char) => char >= ' ');

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

/** What the gate saw of the new group during one bake (CloudWatch, AWS/ApplicationELB, and the named alarms). */
export interface BakeObservation {
  readonly requests: number;
  readonly errors5xx: number;
  /** TargetResponseTime p99 over the bake, in ms; undefined when CloudWatch has no datapoint. */
  readonly p99LatencyMs?: number;
  readonly maxUnhealthyHosts: number;
  /** Names of the manifest's alarms that were in ALARM. */
  readonly alarmsInAlarm: readonly string[];
}

export type BakeVerdict = { readonly passed: true } | { readonly passed: false; readonly reason: string };

/**
 * Too few requests to judge: with fewer than 100 / maxErrorRatePercent requests (100 at the default 1 %), one failed
 * request already decides the rate, so a bake that saw less cannot say the new revision is good. It does not pass.
 */
export function minimumRequests(traffic: Pick<Traffic, 'maxErrorRatePercent'>): number {
  return Math.ceil(100 / Math.max(traffic.maxErrorRatePercent, 0.01));
}

/** The gate's verdict on one bake at `percent`; the reason names the metric or alarm, the value, the threshold and the percent. */
export function judgeBake(traffic: Pick<Traffic, 'maxErrorRatePercent' | 'maxP99LatencyMs'>, percent: number, seen: BakeObservation): BakeVerdict {
  const at = `at ${percent} %`;
  const [alarm] = seen.alarmsInAlarm;
  if (alarm !== undefined) return { passed: false, reason: `alarm ${alarm} was in ALARM ${at}` };
  if (seen.maxUnhealthyHosts > 0) return { passed: false, reason: `UnHealthyHostCount was ${seen.maxUnhealthyHosts}, threshold 0, ${at}` };
  const needed = minimumRequests(traffic);
  if (seen.requests < needed) return { passed: false, reason: `too few requests to judge ${at}: RequestCount ${seen.requests}, at least ${needed} needed for a ${traffic.maxErrorRatePercent} % error threshold` };
  const rate = (seen.errors5xx / seen.requests) * 100;
  if (rate > traffic.maxErrorRatePercent) {
    return { passed: false, reason: `HTTPCode_Target_5XX_Count / RequestCount was ${rate.toFixed(2)} % (${seen.errors5xx} of ${seen.requests}), threshold ${traffic.maxErrorRatePercent} %, ${at}` };
  }
  if (traffic.maxP99LatencyMs !== undefined && seen.p99LatencyMs !== undefined && seen.p99LatencyMs > traffic.maxP99LatencyMs) {
    return { passed: false, reason: `TargetResponseTime p99 was ${Math.round(seen.p99LatencyMs)} ms, threshold ${traffic.maxP99LatencyMs} ms, ${at}` };
  }
  return { passed: true };
}
