/** Shared inputs of the CloudWatch conformance tests: an alarm on a target group's 5xx, and three minutes of a custom metric. */
import { PutMetricDataCommand, type MetricAlarm, type MetricDatum, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import type { Backend } from './backends';

/** Whole minutes, so that period boundaries are the same however each implementation aligns them. */
export const START = Date.parse('2026-11-26T08:00:00Z');
export const at = (seconds: number): Date => new Date(START + seconds * 1000);
export const TARGET_GROUP = [{ Name: 'TargetGroup', Value: 'targetgroup/posts/0123456789abcdef' }, { Name: 'LoadBalancer', Value: 'app/demo/0123456789abcdef' }];

export const alarmInput = (overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: 'posts-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: TARGET_GROUP,
  Statistic: 'Sum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  ...overrides,
});

/** The alarm's definition as DescribeAlarms answers it; its state is compared only where a call set it. */
export function definition(alarm: MetricAlarm | undefined) {
  const { StateValue: _value, StateReason: _reason, StateReasonData: _data, StateUpdatedTimestamp: _updated, AlarmConfigurationUpdatedTimestamp: _configured, ...rest } = alarm ?? {};
  return rest;
}

export const latency = (timestamp: Date, value: Partial<MetricDatum>): MetricDatum => ({ MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'posts' }], Timestamp: timestamp, Unit: 'Seconds', ...value });

/** Three minutes of one metric: two single values, Values with Counts, and a statistic set. */
export async function putLatency(backend: Backend): Promise<void> {
  await backend.clients.cloudwatch.send(new PutMetricDataCommand({
    Namespace: 'Rollout',
    MetricData: [
      latency(at(0), { Value: 10 }), latency(at(10), { Value: 30 }), latency(at(120), { Values: [1, 2], Counts: [2, 1] }),
      latency(at(180), { StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 } }),
    ],
  }));
}

export const latencyStat = (stat: string, period = 60, dimensions = [{ Name: 'Service', Value: 'posts' }]) => ({ Metric: { Namespace: 'Rollout', MetricName: 'Latency', Dimensions: dimensions }, Period: period, Stat: stat });
