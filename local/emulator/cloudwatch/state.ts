/** CloudWatch's state in the emulator: metric series (datapoints as statistic sets) and metric alarms. */
import type { ComparisonOperator, Dimension, StandardUnit, StateValue, Statistic } from '@aws-sdk/client-cloudwatch';

/**
 * One published datapoint, kept as CloudWatch keeps what PutMetricData sends: a statistic set, plus the values and
 * their counts when they are known (a single Value, Values/Counts, or the emulator's own ALB metrics), which is what
 * percentiles need.
 */
export interface Datapoint {
  timestamp: number;
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  /** [value, count] pairs; absent for a StatisticValues datapoint (no percentiles from it). */
  values?: Array<[number, number]>;
  unit?: StandardUnit;
}

export interface MetricSeries {
  namespace: string;
  metricName: string;
  /** Sorted by name: CloudWatch treats each combination of dimensions as its own metric, in any order. */
  dimensions: Dimension[];
  datapoints: Datapoint[];
}

export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

export interface AlarmRecord {
  name: string;
  arn: string;
  description?: string;
  namespace: string;
  metricName: string;
  /** as given (DescribeAlarms echoes them); the metric they name is found in any order */
  dimensions: Dimension[];
  statistic?: Statistic;
  extendedStatistic?: string;
  period: number;
  unit?: StandardUnit;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: ComparisonOperator;
  treatMissingData?: TreatMissingData;
  evaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
  actionsEnabled: boolean;
  alarmActions: string[];
  okActions: string[];
  insufficientDataActions: string[];
  configurationUpdatedAt: number;
  stateValue: StateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
}

export interface CloudWatchState {
  metrics: Map<string, MetricSeries>;
  alarms: Map<string, AlarmRecord>;
}

export function createCloudWatchState(): CloudWatchState {
  return { metrics: new Map(), alarms: new Map() };
}
