/** Metric alarms: PutMetricAlarm, DescribeAlarms, SetAlarmState, DeleteAlarms (CloudWatch API reference). */
import type {
  DeleteAlarmsInput, DescribeAlarmsInput, DescribeAlarmsOutput, MetricAlarm, PutMetricAlarmInput, SetAlarmStateInput, StateValue, Statistic,
} from '@aws-sdk/client-cloudwatch';
import type { EmulatorContext } from '../context';
import { invalidFormat, invalidParameterCombination, invalidParameterValue, resourceNotFound, validationError } from './errors';
import { evaluateAlarm } from './evaluate';
import { isPercentile } from './metrics';
import type { AlarmRecord, TreatMissingData } from './state';

const STATISTICS: readonly Statistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
const OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
const TREATMENTS: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const STATES: readonly StateValue[] = ['INSUFFICIENT_DATA', 'ALARM', 'OK'];
const MINUTE_MS = 60_000;

/** AWS's request validation message for a constraint ("1 validation error detected: Value … at '…' failed to satisfy …"). */
const constraint = (value: string | number | undefined, field: string, rule: string): Error =>
  validationError(`1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${field}' failed to satisfy constraint: ${rule}`);

/**
 * PutMetricAlarm's parameters (API reference): AlarmName 1-255 characters, EvaluationPeriods >= 1, ComparisonOperator
 * and Statistic from their enums, ExtendedStatistic a percentile pNN.NN, Statistic and ExtendedStatistic exclusive,
 * Period 10, 30 or a multiple of 60, DatapointsToAlarm 1..EvaluationPeriods, TreatMissingData one of four options.
 */
function validateAlarm(input: PutMetricAlarmInput): void {
  const name = input.AlarmName;
  if (name === undefined || name.length < 1 || name.length > 255) throw constraint(name, 'alarmName', 'Member must have length between 1 and 255');
  if (input.Metrics !== undefined || input.ThresholdMetricId !== undefined) throw new Error('emulator does not implement cloudwatch:PutMetricAlarm with Metrics (metric math or anomaly detection)');
  if (input.ExtendedStatistic !== undefined && !isPercentile(input.ExtendedStatistic)) {
    throw invalidParameterValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
  }
  if (input.EvaluateLowSampleCountPercentile !== undefined && !['evaluate', 'ignore'].includes(input.EvaluateLowSampleCountPercentile)) {
    throw validationError(`Option ${input.EvaluateLowSampleCountPercentile} is not supported. Supported options for parameter EvaluateLowSampleCountPercentile are evaluate and ignore.`);
  }
  if (input.EvaluationPeriods === undefined || input.EvaluationPeriods < 1) throw constraint(input.EvaluationPeriods, 'evaluationPeriods', 'Member must have value greater than or equal to 1');
  if (!(OPERATORS as readonly string[]).includes(input.ComparisonOperator ?? '')) {
    throw constraint(input.ComparisonOperator, 'comparisonOperator', `Member must satisfy enum value set: [${OPERATORS.join(', ')}]`);
  }
  if (input.Statistic !== undefined && !STATISTICS.includes(input.Statistic)) throw constraint(input.Statistic, 'statistic', `Member must satisfy enum value set: [${STATISTICS.join(', ')}]`);
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw invalidParameterCombination('Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
  }
  const period = input.Period;
  if (period === undefined || !(period === 10 || period === 30 || (Number.isInteger(period) && period > 0 && period % 60 === 0))) {
    throw validationError(`The parameter Period must be 10, 30 or a multiple of 60, got ${String(period)}.`);
  }
  if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > input.EvaluationPeriods)) {
    throw validationError('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  }
  if (input.TreatMissingData !== undefined && !(TREATMENTS as readonly string[]).includes(input.TreatMissingData)) {
    throw validationError(`Option ${input.TreatMissingData} is not supported. Supported options for parameter TreatMissingData are missing, ignore, breaching and notBreaching.`);
  }
  if (input.Threshold === undefined || Number.isNaN(input.Threshold)) throw constraint(input.Threshold, 'threshold', 'Member must not be null');
}

/** "When this operation creates an alarm, the alarm state is immediately set to INSUFFICIENT_DATA. The alarm is then
 * evaluated … When you update an existing alarm, its state is left unchanged" (PutMetricAlarm). */
export function putMetricAlarm(ctx: EmulatorContext, input: PutMetricAlarmInput): object {
  validateAlarm(input);
  const name = input.AlarmName ?? '';
  const existing = ctx.cloudwatch.alarms.get(name);
  const now = ctx.simulatedUntil;
  const alarm: AlarmRecord = {
    name, arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`,
    ...(input.AlarmDescription !== undefined ? { description: input.AlarmDescription } : {}),
    namespace: input.Namespace ?? '', metricName: input.MetricName ?? '', dimensions: (input.Dimensions ?? []).map(({ Name, Value }) => ({ Name, Value })),
    ...(input.Statistic !== undefined ? { statistic: input.Statistic } : {}),
    ...(input.ExtendedStatistic !== undefined ? { extendedStatistic: input.ExtendedStatistic } : {}),
    period: input.Period ?? 60, ...(input.Unit !== undefined ? { unit: input.Unit } : {}),
    evaluationPeriods: input.EvaluationPeriods ?? 1, ...(input.DatapointsToAlarm !== undefined ? { datapointsToAlarm: input.DatapointsToAlarm } : {}),
    threshold: input.Threshold ?? 0, comparisonOperator: input.ComparisonOperator ?? 'GreaterThanThreshold',
    ...(input.TreatMissingData !== undefined ? { treatMissingData: input.TreatMissingData as TreatMissingData } : {}),
    ...(input.EvaluateLowSampleCountPercentile !== undefined ? { evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile as 'evaluate' | 'ignore' } : {}),
    actionsEnabled: input.ActionsEnabled ?? true, alarmActions: [...(input.AlarmActions ?? [])], okActions: [...(input.OKActions ?? [])],
    insufficientDataActions: [...(input.InsufficientDataActions ?? [])], configurationUpdatedAt: now,
    stateValue: existing?.stateValue ?? 'INSUFFICIENT_DATA', stateReason: existing?.stateReason ?? 'Unchecked: Initial alarm creation',
    ...(existing?.stateReasonData !== undefined ? { stateReasonData: existing.stateReasonData } : {}),
    stateUpdatedAt: existing?.stateUpdatedAt ?? now,
  };
  ctx.cloudwatch.alarms.set(name, alarm);
  // evaluated from the last whole minute: the emulator's metrics are published per completed minute
  if (!existing) evaluateAlarm(ctx, alarm, Math.floor(now / MINUTE_MS) * MINUTE_MS);
  return {};
}

function toMetricAlarm(alarm: AlarmRecord): MetricAlarm {
  return {
    AlarmName: alarm.name, AlarmArn: alarm.arn, ...(alarm.description !== undefined ? { AlarmDescription: alarm.description } : {}),
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt), ActionsEnabled: alarm.actionsEnabled,
    OKActions: [...alarm.okActions], AlarmActions: [...alarm.alarmActions], InsufficientDataActions: [...alarm.insufficientDataActions],
    StateValue: alarm.stateValue, StateReason: alarm.stateReason, ...(alarm.stateReasonData !== undefined ? { StateReasonData: alarm.stateReasonData } : {}),
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt), MetricName: alarm.metricName, Namespace: alarm.namespace,
    ...(alarm.statistic !== undefined ? { Statistic: alarm.statistic } : {}), ...(alarm.extendedStatistic !== undefined ? { ExtendedStatistic: alarm.extendedStatistic } : {}),
    Dimensions: alarm.dimensions.map(({ Name, Value }) => ({ Name, Value })), Period: alarm.period, ...(alarm.unit !== undefined ? { Unit: alarm.unit } : {}),
    EvaluationPeriods: alarm.evaluationPeriods, ...(alarm.datapointsToAlarm !== undefined ? { DatapointsToAlarm: alarm.datapointsToAlarm } : {}),
    Threshold: alarm.threshold, ComparisonOperator: alarm.comparisonOperator,
    ...(alarm.treatMissingData !== undefined ? { TreatMissingData: alarm.treatMissingData } : {}),
    ...(alarm.evaluateLowSampleCountPercentile !== undefined ? { EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile } : {}),
    Metrics: [],
  };
}

/** DescribeAlarms by AlarmNames, AlarmNamePrefix or StateValue; an unknown name simply matches nothing. */
export function describeAlarms(ctx: EmulatorContext, input: DescribeAlarmsInput): DescribeAlarmsOutput {
  const names = input.AlarmNames ?? [];
  const alarms = [...ctx.cloudwatch.alarms.values()].filter((alarm) =>
    (names.length === 0 || names.includes(alarm.name))
    && (input.AlarmNamePrefix === undefined || alarm.name.startsWith(input.AlarmNamePrefix))
    && (input.StateValue === undefined || alarm.stateValue === input.StateValue));
  const metricAlarmsWanted = input.AlarmTypes === undefined || input.AlarmTypes.includes('MetricAlarm');
  return { MetricAlarms: metricAlarmsWanted ? alarms.map(toMetricAlarm) : [], CompositeAlarms: [] };
}

/** "This temporary state change lasts only until the next alarm comparison occurs" (CloudWatch user guide). */
export function setAlarmState(ctx: EmulatorContext, input: SetAlarmStateInput): object {
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw invalidFormat('Unknown');
    }
  }
  const alarm = ctx.cloudwatch.alarms.get(input.AlarmName ?? '');
  if (!alarm) throw resourceNotFound(`set alarm state: alarm ${String(input.AlarmName)} does not exist`);
  if (!STATES.includes(input.StateValue as StateValue)) {
    throw constraint(input.StateValue, 'stateValue', `Member must satisfy enum value set: [${STATES.join(', ')}]`);
  }
  alarm.stateValue = input.StateValue as StateValue;
  alarm.stateReason = input.StateReason ?? '';
  if (input.StateReasonData !== undefined) alarm.stateReasonData = input.StateReasonData;
  else delete alarm.stateReasonData;
  alarm.stateUpdatedAt = ctx.simulatedUntil;
  return {};
}

export function deleteAlarms(ctx: EmulatorContext, input: DeleteAlarmsInput): object {
  for (const name of input.AlarmNames ?? []) ctx.cloudwatch.alarms.delete(name);
  return {};
}
