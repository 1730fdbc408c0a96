/**
 * Alarm evaluation, by the CloudWatch user guide, "Using Amazon CloudWatch alarms" (Evaluating an alarm) and
 * "Configuring how CloudWatch alarms treat missing data" (How alarm state is evaluated when data is missing):
 * - each datapoint is the alarm's statistic over one Period; the alarm looks at an evaluation range of more
 *   datapoints than EvaluationPeriods (the guide's example retrieves 5 for 3; the emulator takes N + 2);
 * - with at least N existing datapoints in the range, the N most recent are evaluated and TreatMissingData is not used;
 * - with fewer, every existing one is evaluated and the rest are filled per TreatMissingData (breaching /
 *   notBreaching); `missing` and `ignore` fill nothing: the alarm is OK when an evaluated datapoint is within the
 *   threshold and fewer than DatapointsToAlarm breach, and otherwise has too little data (INSUFFICIENT_DATA for
 *   `missing`, the current state kept for `ignore`);
 * - ALARM when at least DatapointsToAlarm (default EvaluationPeriods) evaluated datapoints breach, otherwise OK.
 * One case of the guide's first table is not reproduced: a single breaching datapoint older than the last N periods,
 * with `missing`, is ALARM there and INSUFFICIENT_DATA here.
 */
import type { StateValue } from '@aws-sdk/client-cloudwatch';
import type { EmulatorContext } from '../context';
import { findSeries, periodAggregates, statisticValue } from './metrics';
import type { AlarmRecord, TreatMissingData } from './state';

export type PointClass = 'breaching' | 'notBreaching' | 'missing';

export interface AlarmDecision {
  state: StateValue;
  breaching: number;
  evaluated: number;
}

/** `points`: the evaluation range, oldest first. Returns the new state (the current one when `ignore` keeps it). */
export function decideAlarmState(
  points: readonly PointClass[], evaluationPeriods: number, datapointsToAlarm: number, treatMissingData: TreatMissingData, current: StateValue,
): AlarmDecision {
  const existing = points.filter((point): point is Exclude<PointClass, 'missing'> => point !== 'missing');
  const fill = treatMissingData === 'breaching' || treatMissingData === 'notBreaching' ? treatMissingData : undefined;
  const evaluated = existing.length >= evaluationPeriods
    ? existing.slice(existing.length - evaluationPeriods)
    : [...existing, ...(fill ? Array<typeof fill>(evaluationPeriods - existing.length).fill(fill) : [])];
  const breaching = evaluated.filter((point) => point === 'breaching').length;
  if (breaching >= datapointsToAlarm) return { state: 'ALARM', breaching, evaluated: evaluated.length };
  if (evaluated.some((point) => point === 'notBreaching')) return { state: 'OK', breaching, evaluated: evaluated.length };
  return { state: treatMissingData === 'ignore' ? current : 'INSUFFICIENT_DATA', breaching, evaluated: evaluated.length };
}

export function breaches(alarm: Pick<AlarmRecord, 'comparisonOperator' | 'threshold'>, value: number): boolean {
  switch (alarm.comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= alarm.threshold;
    case 'GreaterThanThreshold':
      return value > alarm.threshold;
    case 'LessThanThreshold':
      return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= alarm.threshold;
    default:
      throw new Error(`emulator does not implement alarm comparison ${String(alarm.comparisonOperator)}`);
  }
}

const EXTRA_POINTS = 2;

/**
 * EvaluateLowSampleCountPercentile `ignore`: a percentile over too few samples is not evaluated (CloudWatch user guide,
 * "Percentile-based alarms and low data samples": fewer than 10 / (1 - p) samples for p of 0.5 and more, 10 / p below).
 */
function tooFewSamples(alarm: AlarmRecord, sampleCount: number): boolean {
  if (alarm.evaluateLowSampleCountPercentile !== 'ignore' || alarm.extendedStatistic === undefined) return false;
  const p = Math.min(Number(alarm.extendedStatistic.slice(1)) / 100, 0.9999);
  return sampleCount < (p >= 0.5 ? 10 / (1 - p) : 10 / p);
}

/** The evaluation range ending at `at`: one value (or none) per period, oldest first. */
function evaluationRange(ctx: EmulatorContext, alarm: AlarmRecord, at: number): Array<number | undefined> {
  const periodMs = alarm.period * 1000;
  const count = alarm.evaluationPeriods + EXTRA_POINTS;
  const start = at - count * periodMs;
  const stat = alarm.extendedStatistic ?? alarm.statistic ?? 'Average';
  const aggregates = periodAggregates(findSeries(ctx.cloudwatch, alarm), start, at, alarm.period, alarm.unit);
  const byPeriod = new Map(aggregates.map(({ timestamp, data }) => [timestamp, tooFewSamples(alarm, data.sampleCount) ? undefined : statisticValue(stat, data)]));
  return Array.from({ length: count }, (_, index) => byPeriod.get(start + index * periodMs));
}

function describeOperator(alarm: AlarmRecord): string {
  return alarm.comparisonOperator.replace(/Threshold$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function evaluateAlarm(ctx: EmulatorContext, alarm: AlarmRecord, at: number): void {
  const values = evaluationRange(ctx, alarm, at);
  const points = values.map((value): PointClass => (value === undefined ? 'missing' : breaches(alarm, value) ? 'breaching' : 'notBreaching'));
  const datapointsToAlarm = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  const decision = decideAlarmState(points, alarm.evaluationPeriods, datapointsToAlarm, alarm.treatMissingData ?? 'missing', alarm.stateValue);
  if (decision.state === alarm.stateValue) return;
  const recent = values.filter((value): value is number => value !== undefined).slice(-alarm.evaluationPeriods);
  alarm.stateValue = decision.state;
  alarm.stateReason = decision.state === 'INSUFFICIENT_DATA'
    ? `Insufficient Data: ${recent.length} datapoints were unknown.`
    : `Threshold Crossed: ${decision.breaching} out of the last ${decision.evaluated} datapoints ${decision.state === 'ALARM' ? 'were' : 'were not'} ${describeOperator(alarm)} the threshold (${alarm.threshold}) (minimum ${datapointsToAlarm} datapoints for OK -> ALARM transition).`;
  alarm.stateReasonData = JSON.stringify({
    version: '1.0', queryDate: new Date(at).toISOString(), startDate: new Date(at - values.length * alarm.period * 1000).toISOString(),
    statistic: alarm.extendedStatistic ?? alarm.statistic, period: alarm.period, recentDatapoints: recent, threshold: alarm.threshold,
  });
  alarm.stateUpdatedAt = at;
}

/** Every alarm, at `at`: the runtime calls this at each minute boundary of virtual time (the emulator's choice of cadence). */
export function evaluateAlarms(ctx: EmulatorContext, at: number): void {
  for (const alarm of ctx.cloudwatch.alarms.values()) evaluateAlarm(ctx, alarm, at);
}
