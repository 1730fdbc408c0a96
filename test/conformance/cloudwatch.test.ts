/**
 * CloudWatch: the operations moto implements (metric alarms, and metrics fed by PutMetricData) give the same shapes
 * and error codes on the emulator. What moto does not simulate is checked on the emulator alone, against the cited
 * AWS documentation (cloudwatch-documented-gaps.test.ts); the metrics the emulator derives from traffic are in
 * test/unit/emulator/traffic*.test.ts.
 */
import {
  DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand,
  type MetricDatum, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { TARGET_GROUP, alarmInput, at, definition, latency, latencyStat, putLatency } from './cloudwatch-fixtures';
import { errorName, expectConformance, useBackends } from './harness';

const backends = useBackends();

describe('CloudWatch alarms: emulator agrees with moto', () => {
  it('creates a metric alarm and describes it by name; an unknown name describes nothing', async () => {
    const outcomes = await backends.run(async (backend) => {
      await backend.clients.cloudwatch.send(new PutMetricAlarmCommand(alarmInput()));
      await backend.clients.cloudwatch.send(new PutMetricAlarmCommand(alarmInput({ AlarmName: 'posts-p99', MetricName: 'TargetResponseTime', Statistic: undefined, ExtendedStatistic: 'p99', Threshold: 1.5, DatapointsToAlarm: undefined, TreatMissingData: undefined })));
      const named = await backend.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['posts-5xx'] }));
      const unknown = await backend.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['no-such-alarm'] }));
      const both = await backend.clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['posts-5xx', 'posts-p99', 'no-such-alarm'] }));
      return {
        named: { ...named, MetricAlarms: named.MetricAlarms?.map(definition) },
        unknown,
        both: both.MetricAlarms?.map((alarm) => ({ AlarmName: alarm.AlarmName, Statistic: alarm.Statistic, ExtendedStatistic: alarm.ExtendedStatistic })),
      };
    });
    expectConformance(outcomes, {
      named: {
        CompositeAlarms: [],
        MetricAlarms: [{
          AlarmName: 'posts-5xx', AlarmArn: 'arn:aws:cloudwatch:us-east-1:<account>:alarm:posts-5xx', ActionsEnabled: true, OKActions: [], AlarmActions: [],
          InsufficientDataActions: [], MetricName: 'HTTPCode_Target_5XX_Count', Namespace: 'AWS/ApplicationELB', Statistic: 'Sum', Dimensions: TARGET_GROUP,
          Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching', Metrics: [],
        }],
      },
      unknown: { CompositeAlarms: [], MetricAlarms: [] },
      both: [{ AlarmName: 'posts-5xx', Statistic: 'Sum' }, { AlarmName: 'posts-p99', ExtendedStatistic: 'p99' }],
    });
  });

  it('sets an alarm state by hand, and refuses an unknown alarm, an unknown state and reason data that is not JSON', async () => {
    const outcomes = await backends.run(async (backend) => {
      const cloudwatch = backend.clients.cloudwatch;
      await cloudwatch.send(new PutMetricAlarmCommand(alarmInput()));
      await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'posts-5xx', StateValue: 'ALARM', StateReason: 'rollout --alarm posts-5xx', StateReasonData: '{"by":"test"}' }));
      const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['posts-5xx'] }));
      const inAlarm = await cloudwatch.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }));
      const set = (input: { AlarmName: string; StateValue: string; StateReasonData?: string }) => () =>
        cloudwatch.send(new SetAlarmStateCommand({ ...input, StateValue: input.StateValue as 'OK', StateReason: 'test' }));
      return {
        state: { StateValue: MetricAlarms[0]?.StateValue, StateReason: MetricAlarms[0]?.StateReason, StateReasonData: MetricAlarms[0]?.StateReasonData },
        inAlarm: inAlarm.MetricAlarms?.map((alarm) => alarm.AlarmName),
        unknownAlarm: await errorName(set({ AlarmName: 'no-such-alarm', StateValue: 'ALARM' })),
        unknownState: await errorName(set({ AlarmName: 'posts-5xx', StateValue: 'BROKEN' })),
        notJson: await errorName(set({ AlarmName: 'posts-5xx', StateValue: 'OK', StateReasonData: '{not json' })),
      };
    });
    expectConformance(outcomes, {
      state: { StateValue: 'ALARM', StateReason: 'rollout --alarm posts-5xx', StateReasonData: '{"by":"test"}' },
      inAlarm: ['posts-5xx'],
      unknownAlarm: 'ResourceNotFound',
      unknownState: 'ValidationException',
      notJson: 'InvalidFormatFault',
    });
  });

  it('rejects a PutMetricAlarm with an extended statistic that is not a percentile, or a bad low-sample option', async () => {
    const outcomes = await backends.run(async (backend) => {
      const put = (overrides: Partial<PutMetricAlarmCommandInput>) => () => backend.clients.cloudwatch.send(new PutMetricAlarmCommand(alarmInput(overrides)));
      return {
        notPercentile: await errorName(put({ Statistic: undefined, ExtendedStatistic: 'x99' })),
        lowSampleOption: await errorName(put({ Statistic: undefined, ExtendedStatistic: 'p99', EvaluateLowSampleCountPercentile: 'sometimes' })),
        created: (await backend.clients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms?.length,
      };
    });
    expectConformance(outcomes, { notPercentile: 'InvalidParameterValueException', lowSampleOption: 'ValidationException', created: 0 });
  });
});

describe('CloudWatch metrics fed by PutMetricData: emulator agrees with moto', () => {
  it('aggregates values, values with counts and statistic sets per period in GetMetricStatistics', async () => {
    const outcomes = await backends.run(async (backend) => {
      await putLatency(backend);
      return backend.clients.cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: 'Rollout', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'posts' }], StartTime: at(0), EndTime: at(300), Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
      }));
    });
    expectConformance(outcomes, {
      Label: 'Latency',
      Datapoints: [
        { Timestamp: '<date>', SampleCount: 2, Sum: 40, Average: 20, Minimum: 10, Maximum: 30, Unit: 'Seconds' },
        { Timestamp: '<date>', SampleCount: 3, Sum: 4, Average: 4 / 3, Minimum: 1, Maximum: 2, Unit: 'Seconds' },
        { Timestamp: '<date>', SampleCount: 4, Sum: 20, Average: 5, Minimum: 2, Maximum: 8, Unit: 'Seconds' },
      ],
    });
  });

  it('answers GetMetricData MetricStat queries per period, newest first unless asked, without the ReturnData=false ones', async () => {
    const outcomes = await backends.run(async (backend) => {
      await putLatency(backend);
      const query = (scanBy?: 'TimestampAscending') => backend.clients.cloudwatch.send(new GetMetricDataCommand({
        StartTime: at(0), EndTime: at(300), ...(scanBy ? { ScanBy: scanBy } : {}),
        MetricDataQueries: [
          { Id: 'sum', MetricStat: latencyStat('Sum') },
          { Id: 'avg', Label: 'two-minute average', MetricStat: latencyStat('Average', 120) },
          { Id: 'other', MetricStat: latencyStat('Sum', 60, [{ Name: 'Service', Value: 'users' }]) },
          { Id: 'hidden', MetricStat: latencyStat('Maximum'), ReturnData: false },
        ],
      }));
      const results = (answer: Awaited<ReturnType<typeof query>>) => answer.MetricDataResults?.map((result) => ({ ...result, Timestamps: result.Timestamps?.map((time) => time.toISOString()) }));
      return { ascending: results(await query('TimestampAscending')), descending: results(await query()) };
    });
    expectConformance(outcomes, {
      ascending: [
        { Id: 'sum', Label: 'Latency Sum', Timestamps: ['2026-11-26T08:00:00.000Z', '2026-11-26T08:02:00.000Z', '2026-11-26T08:03:00.000Z'], Values: [40, 4, 20], StatusCode: 'Complete' },
        { Id: 'avg', Label: 'two-minute average', Timestamps: ['2026-11-26T08:00:00.000Z', '2026-11-26T08:02:00.000Z'], Values: [20, 24 / 7], StatusCode: 'Complete' },
        { Id: 'other', Label: 'Latency Sum', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
      descending: [
        { Id: 'sum', Label: 'Latency Sum', Timestamps: ['2026-11-26T08:03:00.000Z', '2026-11-26T08:02:00.000Z', '2026-11-26T08:00:00.000Z'], Values: [20, 4, 40], StatusCode: 'Complete' },
        { Id: 'avg', Label: 'two-minute average', Timestamps: ['2026-11-26T08:02:00.000Z', '2026-11-26T08:00:00.000Z'], Values: [24 / 7, 20], StatusCode: 'Complete' },
        { Id: 'other', Label: 'Latency Sum', Timestamps: [], Values: [], StatusCode: 'Complete' },
      ],
    });
  });

  it('refuses bad time ranges, queries without MetricStat, missing statistics and malformed datapoints with the AWS error codes', async () => {
    const outcomes = await backends.run(async (backend) => {
      const cloudwatch = backend.clients.cloudwatch;
      const data = (start: Date, end: Date, queries = [{ Id: 'sum', MetricStat: latencyStat('Sum') }]) => () =>
        cloudwatch.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: queries }));
      const statistics = (start: Date, end: Date, stats: Array<'Sum'>) => () =>
        cloudwatch.send(new GetMetricStatisticsCommand({ Namespace: 'Rollout', MetricName: 'Latency', StartTime: start, EndTime: end, Period: 60, Statistics: stats }));
      const put = (datum: Partial<MetricDatum>) => () => cloudwatch.send(new PutMetricDataCommand({ Namespace: 'Rollout', MetricData: [latency(at(0), datum)] }));
      return {
        dataEndBeforeStart: await errorName(data(at(300), at(0))),
        dataEmptyRange: await errorName(data(at(0), at(0))),
        dataWithoutMetricStat: await errorName(data(at(0), at(300), [{ Id: 'sum' } as never])),
        statisticsWithoutStatistic: await errorName(statistics(at(0), at(300), [])),
        statisticsEndBeforeStart: await errorName(statistics(at(300), at(0), ['Sum'])),
        valueNaN: await errorName(put({ Value: Number.NaN })),
        valueAndValues: await errorName(put({ Value: 1, Values: [1] })),
        countsOfAnotherLength: await errorName(put({ Values: [1, 2], Counts: [1] })),
        statisticSetWithoutMaximum: await errorName(put({ StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1 } as never })),
      };
    });
    expectConformance(outcomes, {
      dataEndBeforeStart: 'ValidationException',
      dataEmptyRange: 'ValidationException',
      dataWithoutMetricStat: 'ValidationException',
      statisticsWithoutStatistic: 'InvalidParameterCombinationException',
      statisticsEndBeforeStart: 'InvalidParameterValueException',
      valueNaN: 'InvalidParameterValueException',
      valueAndValues: 'InvalidParameterValueException',
      countsOfAnotherLength: 'InvalidParameterValueException',
      statisticSetWithoutMaximum: 'InvalidParameterValueException',
    });
  });
});
