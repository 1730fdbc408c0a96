/**
 * `--alarm NAME` (ScenarioOptions.alarms): the alarm exists in the emulator's CloudWatch and is in ALARM before the
 * first event, and stays there however long the run's virtual time goes on, evaluated every minute.
 */
import { DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { LocalPipeline } from '../../local/runner/pipeline';
import { FORCED_ALARM_METRIC, runScenario, ScenarioError } from '../../local/runner/scenario';

const HOUR = 3_600_000;
const UNMATCHED = { label: 'delete-posts', event: { source: 'aws.ecr', 'detail-type': 'ECR Image Action', detail: { 'action-type': 'DELETE', result: 'SUCCESS', 'repository-name': 'posts' } } };

async function alarms(pipeline: LocalPipeline, names: string[]): Promise<MetricAlarm[]> {
  const { MetricAlarms = [] } = await pipeline.emulator.clients().cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));
  return MetricAlarms;
}

describe('scenario: --alarm puts a CloudWatch alarm in ALARM for the whole run', () => {
  it("is in ALARM from the run's start, after the run, and 12 virtual hours of evaluations later", async () => {
    // Prepare
    const seen: Record<string, MetricAlarm[]> = {};
    let start = 0;
    let later = 0;

    // Act
    const report = await runScenario([UNMATCHED], {
      alarms: ['posts-5xx', 'Users: p99 > 2 s'],
      onSettled: async (pipeline) => {
        start = pipeline.clockAtStart;
        seen.afterRun = await alarms(pipeline, ['posts-5xx', 'Users: p99 > 2 s']);
        // A control: the same alarm, set to ALARM the same way, but with TreatMissingData `missing`. The minutes'
        // evaluations (no datapoint, ever) move it to INSUFFICIENT_DATA; `ignore` is what keeps the forced ones.
        const cloudwatch = pipeline.emulator.clients().cloudwatch;
        await cloudwatch.send(new PutMetricAlarmCommand({
          AlarmName: 'control', ...FORCED_ALARM_METRIC, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'missing',
        }));
        await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'control', StateValue: 'ALARM', StateReason: 'control' }));
        await pipeline.time.advance(12 * HOUR);
        later = pipeline.time.now();
        seen.later = await alarms(pipeline, ['posts-5xx', 'Users: p99 > 2 s', 'control']);
      },
    });

    // Assess
    expect(later - start).toBeGreaterThanOrEqual(12 * HOUR);
    expect(seen.afterRun?.[0]?.StateUpdatedTimestamp?.getTime()).toBeLessThanOrEqual(start);
    const forced = { StateValue: 'ALARM', StateReason: expect.stringContaining('rollout --alarm'), TreatMissingData: 'ignore', ...FORCED_ALARM_METRIC };
    expect(seen.afterRun).toMatchObject([{ AlarmName: 'posts-5xx', ...forced }, { AlarmName: 'Users: p99 > 2 s', ...forced }]);
    expect(seen.later).toMatchObject([
      { AlarmName: 'posts-5xx', ...forced, StateUpdatedTimestamp: seen.afterRun?.[0]?.StateUpdatedTimestamp },
      { AlarmName: 'Users: p99 > 2 s', ...forced },
      { AlarmName: 'control', StateValue: 'INSUFFICIENT_DATA', StateReason: expect.stringMatching(/^Insufficient Data/) },
    ]);
    // creating them is the environment's doing, not the pipeline's: not in the report's calls
    expect(Object.keys(report.awsCalls)).not.toEqual(expect.arrayContaining(['PutMetricAlarm']));
    expect(Object.keys(report.awsCalls)).not.toEqual(expect.arrayContaining(['SetAlarmState']));
  });

  it('refuses a name CloudWatch would refuse before anything runs', async () => {
    // Act, Assess
    await expect(runScenario([], { alarms: ['ok', ''] })).rejects.toThrow(new ScenarioError('invalid --alarm "": an alarm name is 1-255 characters, got 0'));
    await expect(runScenario([], { alarms: ['posts\t5xx'] })).rejects.toThrow(new ScenarioError('invalid --alarm "posts\\t5xx": an alarm name has no control characters'));
  });
});
