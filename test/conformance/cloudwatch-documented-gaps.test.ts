/**
 * What moto 5.2.5 does not simulate of CloudWatch, checked on the emulator alone against AWS's documentation. Each test
 * names the gap; the comment above it cites the page.
 */
import { DescribeAlarmsCommand, GetMetricDataCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { createEmulatorBackend, type EmulatorBackend } from './backends';
import { alarmInput, at, latencyStat, putLatency } from './cloudwatch-fixtures';
import { errorName } from './harness';

describe('where moto does not simulate CloudWatch: checked against AWS documentation', () => {
  let backend: EmulatorBackend;
  beforeEach(() => {
    backend = createEmulatorBackend();
  });
  afterEach(() => backend.close());

  // API_PutMetricAlarm.html: "When this operation creates an alarm, the alarm state is immediately set to
  // INSUFFICIENT_DATA. The alarm is then evaluated" (no data, missing data `missing`: it stays there); "When you
  // update an existing alarm, its state is left unchanged". moto 5.2.5 starts every alarm OK.
  it('starts a new alarm INSUFFICIENT_DATA and keeps the state of an alarm it updates (moto: OK)', async () => {
    const cloudwatch = backend.clients.cloudwatch;
    await cloudwatch.send(new PutMetricAlarmCommand(alarmInput({ TreatMissingData: undefined })));
    const created = (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['posts-5xx'] }))).MetricAlarms?.[0];
    expect(created).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' });
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'posts-5xx', StateValue: 'ALARM', StateReason: 'by hand' }));
    await cloudwatch.send(new PutMetricAlarmCommand(alarmInput({ TreatMissingData: undefined, Threshold: 50 })));
    expect((await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['posts-5xx'] }))).MetricAlarms?.[0]).toMatchObject({ StateValue: 'ALARM', Threshold: 50 });
  });

  // API_PutMetricAlarm.html, Request Parameters: EvaluationPeriods minimum 1; ComparisonOperator and TreatMissingData
  // from their valid values; Period 10, 30 or a multiple of 60; a metric alarm names Statistic or ExtendedStatistic,
  // not both; DatapointsToAlarm at most EvaluationPeriods ("M out of N"). moto 5.2.5 accepts all of these.
  it('rejects PutMetricAlarm parameters outside their documented values (moto accepts them)', async () => {
    const put = (overrides: Partial<PutMetricAlarmCommandInput>) => () => backend.clients.cloudwatch.send(new PutMetricAlarmCommand(alarmInput(overrides)));
    expect({
      evaluationPeriods0: await errorName(put({ EvaluationPeriods: 0, DatapointsToAlarm: undefined })),
      unknownOperator: await errorName(put({ ComparisonOperator: 'Bigger' as never })),
      unknownTreatment: await errorName(put({ TreatMissingData: 'sometimes' })),
      period45: await errorName(put({ Period: 45 })),
      bothStatistics: await errorName(put({ ExtendedStatistic: 'p99' })),
      noStatistic: await errorName(put({ Statistic: undefined })),
      moreDatapointsThanPeriods: await errorName(put({ DatapointsToAlarm: 4 })),
      created: (await backend.clients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms?.length,
    }).toEqual({
      evaluationPeriods0: 'ValidationException', unknownOperator: 'ValidationException', unknownTreatment: 'ValidationException', period45: 'ValidationException',
      bothStatistics: 'InvalidParameterCombinationException', noStatistic: 'InvalidParameterCombinationException', moreDatapointsThanPeriods: 'ValidationException', created: 0,
    });
  });

  // ELB user guide, "CloudWatch metrics for your Application Load Balancer": "CloudWatch treats each unique combination
  // of dimensions as a separate metric ... You must specify the same dimensions that were used when the metrics were
  // created." moto 5.2.5 answers a query without dimensions with the data of every combination.
  it('answers a query only from the exact dimensions it names (moto: a query without dimensions matches all)', async () => {
    await putLatency(backend);
    const { MetricDataResults = [] } = await backend.clients.cloudwatch.send(new GetMetricDataCommand({
      StartTime: at(0), EndTime: at(300), MetricDataQueries: [{ Id: 'none', MetricStat: latencyStat('Sum', 60, []) }, { Id: 'exact', MetricStat: latencyStat('Sum', 300) }],
    }));
    expect(MetricDataResults.map(({ Id, Values }) => ({ Id, Values }))).toEqual([{ Id: 'none', Values: [] }, { Id: 'exact', Values: [64] }]);
  });

  // CloudWatch user guide, "CloudWatch statistics definitions": percentiles come from the values published (Values/
  // Counts, or single values), not from statistic sets. moto 5.2.5 returns no value for pNN.
  it('computes percentiles from published values, and none from a statistic set (moto: none at all)', async () => {
    await putLatency(backend);
    const { Datapoints = [] } = await backend.clients.cloudwatch.send(new GetMetricStatisticsCommand({
      Namespace: 'Rollout', MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: 'posts' }], StartTime: at(0), EndTime: at(300), Period: 60, ExtendedStatistics: ['p50', 'p99'],
    }));
    expect(Datapoints.map(({ Timestamp, ExtendedStatistics }) => ({ minute: Timestamp?.toISOString().slice(11, 16), ExtendedStatistics }))).toEqual([
      { minute: '08:00', ExtendedStatistics: { p50: 10, p99: 30 } },
      { minute: '08:02', ExtendedStatistics: { p50: 1, p99: 2 } },
      { minute: '08:03', ExtendedStatistics: undefined },
    ]);
  });

  // API_PutMetricData.html, Namespace: "Namespaces beginning with AWS/ are reserved for use by Amazon Web Services
  // products." moto 5.2.5 accepts them.
  it('refuses custom data in an AWS/ namespace (moto accepts it)', async () => {
    const put = () => backend.clients.cloudwatch.send(new PutMetricDataCommand({ Namespace: 'AWS/ApplicationELB', MetricData: [{ MetricName: 'RequestCount', Value: 1 }] }));
    expect(await errorName(put)).toBe('InvalidParameterValueException');
  });
});
