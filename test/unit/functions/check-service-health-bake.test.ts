/** "Check service health" during a bake (lib/runtime/bake-gate.ts): what it asks CloudWatch, and what it decides. */
import { DescribeAlarmsCommand, GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { makeHandler } from '../../../functions/check-service-health';
import type { Release } from '../../../lib/domain/release';
import { TrafficGateError } from '../../../lib/errors';
import { LISTENER_ARN, NOW, aws, commandsSent, rejectionOf, releaseFor, resetAws, targetGroupArn, testDeps } from './fixtures';

const postsGroup = targetGroupArn('posts');
const gate = { startedAt: '2026-11-26T08:55:00.000Z', waitedSeconds: 30, nextWaitSeconds: 60, healthy: false, polls: 3 };
/** A canary bake at 10 % that began `secondsAgo` before NOW. */
const baking = (secondsAgo: number): Release =>
  releaseFor('posts', {
    targetGroupArn: postsGroup,
    gate,
    shift: { steps: [{ percent: 10, bake: true }, { percent: 100, bake: false }], done: 1, percent: 10, bake: { startedAt: new Date(NOW - secondsAgo * 1000).toISOString(), seconds: 300, checks: 2 } },
    trafficSteps: [{ at: new Date(NOW - secondsAgo * 1000).toISOString(), percent: 10 }],
  });

function givenMetrics(values: Record<string, number[]>): void {
  const results: MetricDataResult[] = Object.entries(values).map(([Id, Values]) => ({ Id, Values, StatusCode: 'Complete' }));
  aws.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: results });
}

describe('check-service-health during a bake', () => {
  beforeEach(() => resetAws());

  it('asks CloudWatch for the new group\'s 5xx, requests, p99 and unhealthy hosts at 60 s periods, from the bake\'s first minute', async () => {
    // Prepare
    givenMetrics({ requests: [120, 120], errors: [], p99: [0.02, 0.03], unhealthy: [0, 0] });

    // Act: 150 s into a 300 s bake (NOW is 09:05:00, the bake began 09:02:30)
    const result = await makeHandler(testDeps())(baking(150));

    // Assess
    const dimensions = [{ Name: 'TargetGroup', Value: postsGroup.slice(postsGroup.lastIndexOf(':') + 1) }, { Name: 'LoadBalancer', Value: LISTENER_ARN.split(':listener/')[1]?.split('/').slice(0, 3).join('/') }];
    expect(aws.cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: new Date('2026-11-26T09:02:00.000Z'),
      EndTime: new Date('2026-11-26T09:05:00.000Z'),
      MetricDataQueries: [
        { Id: 'requests', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: dimensions }, Period: 60, Stat: 'Sum' } },
        { Id: 'errors', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: dimensions }, Period: 60, Stat: 'Sum' } },
        { Id: 'p99', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: dimensions }, Period: 60, Stat: 'p99' } },
        { Id: 'unhealthy', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount', Dimensions: dimensions }, Period: 60, Stat: 'Maximum' } },
      ],
    });
    // no alarms named in the tutorial's manifest: no DescribeAlarms; no ECS or ELB call during a bake
    expect(commandsSent()).toEqual(['GetMetricDataCommand']);
    // 240 requests so far is enough to pass at the end, but a look during the bake never passes: wait out the rest
    expect(result.gate).toMatchObject({ healthy: false, nextWaitSeconds: 60 });
    expect(result.shift?.bake?.checks).toBe(3);
  });

  it('reads up to the end of the current minute, so a look in the middle of a minute includes its partial datapoint', async () => {
    // Prepare
    givenMetrics({ requests: [120], errors: [] });

    // Act: 09:05:30, the bake began 09:03:00
    await makeHandler({ ...testDeps(), now: () => NOW + 30_000 })(baking(120));

    // Assess
    expect(aws.cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, { StartTime: new Date('2026-11-26T09:03:00.000Z'), EndTime: new Date('2026-11-26T09:06:00.000Z') });
  });

  it('passes at the end of the bake with enough requests under the error threshold: healthy, the bake closed', async () => {
    // Prepare
    givenMetrics({ requests: [120, 120, 120, 120, 120], errors: [1], p99: [0.02], unhealthy: [0] });

    // Act
    // the last look comes a CloudWatch period (60 s) after the 300 s bake
    const result = await makeHandler(testDeps())(baking(360));

    // Assess
    expect(result.gate).toMatchObject({ healthy: true, nextWaitSeconds: 0 });
    expect(result.shift).toEqual({ steps: [{ percent: 10, bake: true }, { percent: 100, bake: false }], done: 1, percent: 10 });
  });

  it('trips during the bake on a 5xx rate over the threshold: TrafficGateError naming the metric, the value, the threshold and the percent', async () => {
    // Prepare
    givenMetrics({ requests: [120, 120], errors: [60, 60], p99: [0.02], unhealthy: [0] });

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(baking(120)));

    // Assess
    expect(error).toBeInstanceOf(TrafficGateError);
    expect(error.message).toBe('traffic gate for posts: HTTPCode_Target_5XX_Count / RequestCount was 50.00 % (120 of 240), threshold 1 %, at 10 %, 120 s into a 300 s bake');
  });

  it('does not judge the rate from too few requests during the bake, but fails the bake that ends with too few', async () => {
    // Prepare
    givenMetrics({ requests: [3], errors: [3] });

    // Act
    const during = await makeHandler(testDeps())(baking(60));
    const atEnd = await rejectionOf(makeHandler(testDeps())(baking(360)));

    // Assess
    expect(during.gate?.healthy).toBe(false);
    expect(atEnd).toBeInstanceOf(TrafficGateError);
    expect(atEnd.message).toMatch(/^traffic gate for posts: too few requests to judge at 10 %: RequestCount 3, at least 100 needed/);
  });

  it('counts unhealthy hosts only from the first whole minute of the bake: the minute before holds the target still starting', async () => {
    // Prepare: the bake began 09:02:30; the 09:02 minute saw the target unhealthy before the health gate passed
    const minute = (hhmm: string) => new Date(`2026-11-26T${hhmm}:00.000Z`);
    aws.cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'requests', Values: [60, 120, 120, 120, 120], Timestamps: [minute('09:02'), minute('09:03'), minute('09:04'), minute('09:05'), minute('09:06')] },
        { Id: 'unhealthy', Values: [1, 0, 0, 0, 0], Timestamps: [minute('09:02'), minute('09:03'), minute('09:04'), minute('09:05'), minute('09:06')] },
      ],
    });
    const deps = { ...testDeps(), now: () => NOW + 210_000 };

    // Act: the bake's last look (09:08:30: 300 s of bake and a 60 s CloudWatch period)
    const passed = await makeHandler(deps)(baking(150));
    aws.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'requests', Values: [540] }, { Id: 'unhealthy', Values: [0, 1], Timestamps: [minute('09:02'), minute('09:04')] }] });
    const tripped = await rejectionOf(makeHandler(deps)(baking(150)));

    // Assess
    expect(passed.gate?.healthy).toBe(true);
    expect(tripped.message).toMatch(/UnHealthyHostCount was 1, threshold 0, at 10 %/);
  });

  it('asks for the manifest\'s alarms by name and trips on one in ALARM', async () => {
    // Prepare
    givenMetrics({ requests: [600], errors: [] });
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'posts-5xx', StateValue: 'ALARM' }, { AlarmName: 'posts-cpu', StateValue: 'OK' }] });
    const deps = testDeps();
    const catalog = { ...deps.config.catalog, services: deps.config.catalog.services.map((m) => (m.name === 'posts' ? { ...m, traffic: { ...m.traffic, alarms: ['posts-cpu', 'posts-5xx'] } } : m)) };

    // Act
    const error = await rejectionOf(makeHandler({ ...deps, config: { ...deps.config, catalog } })(baking(60)));

    // Assess
    expect(aws.cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNames: ['posts-cpu', 'posts-5xx'] });
    expect(error.message).toBe('traffic gate for posts: alarm posts-5xx was in ALARM at 10 %, 60 s into a 300 s bake');
  });
});
