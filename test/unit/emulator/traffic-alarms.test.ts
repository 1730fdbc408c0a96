/**
 * CloudWatch alarms in the emulator: the state decision against the tables of the CloudWatch user guide ("How alarm
 * state is evaluated when data is missing"), and alarms evaluated every minute from the metrics the traffic produces.
 */
import { DescribeAlarmsCommand, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEmulator } from '../../../local/emulator';
import { decideAlarmState, type PointClass } from '../../../local/emulator/cloudwatch/evaluate';
import type { TreatMissingData } from '../../../local/emulator/cloudwatch/state';
import { MINUTE, groupDimensions, postsBehindListener, postsServiceRunning, weighted } from './traffic-fixtures';

/** '0 - X - X' as the guide writes a range, oldest first: 0 not breaching, X breaching, - missing. */
const range = (text: string): PointClass[] => text.split(' ').map((point) => (point === 'X' ? 'breaching' : point === '0' ? 'notBreaching' : 'missing'));
const TREATMENTS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const RETAIN = 'Retain current state';

describe('alarm state when data is missing (CloudWatch user guide tables)', () => {
  // First table: Datapoints to Alarm and Evaluation Periods both 3; columns MISSING, IGNORE, BREACHING, NOT BREACHING.
  it.each([
    ['0 - X - X', ['OK', 'OK', 'OK', 'OK']],
    ['0 - - - -', ['OK', 'OK', 'OK', 'OK']],
    ['- - - - -', ['INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK']],
    ['0 X X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['- - - - X', ['INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK']],
    // the guide has ALARM for MISSING here; the emulator does not reproduce that one case (evaluate.ts)
    ['X - - - -', ['INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK']],
  ])('3 out of 3: %s gives %j', (points, expected) => {
    for (const [index, treat] of TREATMENTS.entries()) {
      const decided = decideAlarmState(range(points), 3, 3, treat, 'OK').state;
      const kept = decideAlarmState(range(points), 3, 3, treat, 'ALARM').state;
      expect({ treat, state: expected[index] === RETAIN && decided === 'OK' && kept === 'ALARM' ? RETAIN : decided }).toEqual({ treat, state: expected[index] });
    }
  });

  // Second table: a 2 out of 3 alarm.
  it.each([
    ['0 - X - X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['0 0 X 0 X', ['ALARM', 'ALARM', 'ALARM', 'ALARM']],
    ['0 - X - -', ['OK', 'OK', 'ALARM', 'OK']],
    ['- - - - 0', ['OK', 'OK', 'ALARM', 'OK']],
    ['- - - - X', ['INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK']],
  ])('2 out of 3: %s gives %j', (points, expected) => {
    for (const [index, treat] of TREATMENTS.entries()) {
      const decided = decideAlarmState(range(points), 3, 2, treat, 'OK').state;
      const kept = decideAlarmState(range(points), 3, 2, treat, 'ALARM').state;
      expect({ treat, state: expected[index] === RETAIN && decided === 'OK' && kept === 'ALARM' ? RETAIN : decided }).toEqual({ treat, state: expected[index] });
    }
  });
});

async function alarmState(cloudwatch: CloudWatchClient, name: string) {
  const { MetricAlarms = [] } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return { state: MetricAlarms[0]?.StateValue, reason: MetricAlarms[0]?.StateReason };
}

describe('alarms evaluated every minute from the traffic metrics', () => {
  const image = 'registry.example/posts:2';

  it('is OK, then ALARM on a faulty canary (2 of 3 minutes over 10 errors), then OK once its weight is 0 and the errors leave the range', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10), postsTargets: 0 });
    setup.emulator.traffic.markImageFaulty(image);
    await postsServiceRunning(setup, image);
    setup.emulator.advance(MINUTE);
    const cloudwatch = setup.clients.cloudwatch;
    await cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'posts-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: groupDimensions(setup.loadBalancerArn, setup.postsArn),
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    // notBreaching fills the missing minutes: the new alarm is OK at once
    expect(await alarmState(cloudwatch, 'posts-5xx')).toEqual({ state: 'OK', reason: expect.stringMatching(/^Threshold Crossed: 0 out of the last 3 datapoints/) });

    setup.emulator.traffic.start({ streams: [{ listenerArn: setup.listenerArn, path: '/api/posts', requestsPerSecond: 20 }] });
    setup.emulator.advance(MINUTE);
    expect((await alarmState(cloudwatch, 'posts-5xx')).state).toBe('OK');
    setup.emulator.advance(MINUTE);
    expect(await alarmState(cloudwatch, 'posts-5xx')).toEqual({ state: 'ALARM', reason: expect.stringMatching(/^Threshold Crossed: 2 out of the last 3 datapoints were greater than the threshold \(10\)/) });

    // "alarms may repeatedly re-evaluate the last set of data points for a period of time after the metric has stopped
    // flowing": the two breaching minutes stay in the 5-minute evaluation range until 09:08
    await setup.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: setup.ruleArn, Actions: weighted(setup.monolithTargetGroupArn, 1, setup.postsArn, 0) }));
    setup.emulator.advance(3 * MINUTE);
    expect((await alarmState(cloudwatch, 'posts-5xx')).state).toBe('ALARM');
    setup.emulator.advance(MINUTE);
    expect(await alarmState(cloudwatch, 'posts-5xx')).toEqual({ state: 'OK', reason: expect.stringMatching(/^Threshold Crossed: 1 out of the last 3 datapoints were not greater than the threshold/) });
  });

  it('starts an alarm INSUFFICIENT_DATA when its metric has no data and missing data is "missing"', async () => {
    const setup = await postsBehindListener();
    await setup.clients.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'posts-p99', Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: groupDimensions(setup.loadBalancerArn, setup.postsArn),
      ExtendedStatistic: 'p99', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }));
    setup.emulator.advance(5 * MINUTE);
    expect(await alarmState(setup.clients.cloudwatch, 'posts-p99')).toEqual({ state: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' });
  });

  it('keeps a SetAlarmState only until the next evaluation, unless the alarm ignores missing data', async () => {
    const setup = await postsBehindListener();
    const cloudwatch = setup.clients.cloudwatch;
    const alarm = (name: string, treat: TreatMissingData) => cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Rollout', MetricName: 'Nothing', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: treat,
    }));
    await alarm('transient', 'notBreaching');
    await alarm('held', 'ignore');
    for (const name of ['transient', 'held']) await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'set by a test' }));
    expect(await alarmState(cloudwatch, 'transient')).toEqual({ state: 'ALARM', reason: 'set by a test' });

    setup.emulator.advance(MINUTE);
    expect((await alarmState(cloudwatch, 'transient')).state).toBe('OK');
    expect(await alarmState(cloudwatch, 'held')).toEqual({ state: 'ALARM', reason: 'set by a test' });
  });

  // CloudWatch user guide, "Percentile-based alarms and low data samples": with `ignore`, a p99 over fewer than
  // 10 / (1 - 0.99) = 1000 samples is not evaluated; with `evaluate` it is.
  it('leaves a p99 alarm over too few samples unevaluated when EvaluateLowSampleCountPercentile is ignore', async () => {
    const emulator = createEmulator();
    const { cloudwatch } = emulator.clients();
    const alarm = (name: string, lowSamples: 'ignore' | 'evaluate') => cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Rollout', MetricName: 'Latency', ExtendedStatistic: 'p99', EvaluateLowSampleCountPercentile: lowSamples,
      Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }));
    await alarm('few-ignored', 'ignore');
    await alarm('few-evaluated', 'evaluate');
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'Rollout', MetricData: [{ MetricName: 'Latency', Values: [2], Counts: [999] }] }));
    emulator.advance(MINUTE);

    expect((await alarmState(cloudwatch, 'few-ignored')).state).toBe('INSUFFICIENT_DATA');
    expect((await alarmState(cloudwatch, 'few-evaluated')).state).toBe('ALARM');
  });
});
