/**
 * The traffic model against numbers derived from the ELB user guide ("CloudWatch metrics for your Application Load
 * Balancer", "Health checks for your target groups", "Troubleshoot your Application Load Balancers"): what moto
 * cannot check, because moto has no requests. 20 requests/s is 1200 per minute.
 */
import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DeregisterTargetsCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { T0, MINUTE, groupDimensions, perMinute, postsBehindListener, postsServiceRunning, weighted, dimensionOf } from './traffic-fixtures';

const postsStream = (listenerArn: string, requestsPerSecond = 20) => ({ streams: [{ listenerArn, path: '/api/posts', requestsPerSecond }] });

describe('traffic through the listener: AWS/ApplicationELB metrics per minute', () => {
  it('splits a 90/10 forward at 20 requests/s into RequestCount 1080 and 120, and 1200 for the load balancer', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10) });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const cloudwatch = setup.clients.cloudwatch;
    expect(await perMinute(cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.monolithTargetGroupArn), 'Sum')).toEqual([{ minute: '09:01', value: 1080 }]);
    expect(await perMinute(cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'Sum')).toEqual([{ minute: '09:01', value: 120 }]);
    expect(await perMinute(cloudwatch, 'RequestCount', [{ Name: 'LoadBalancer', Value: dimensionOf.loadBalancer(setup.loadBalancerArn) }], 'Sum')).toEqual([{ minute: '09:01', value: 1200 }]);
    // "Minimum, Maximum, and Average all return 1": one sample per request
    expect(await perMinute(cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'SampleCount')).toEqual([{ minute: '09:01', value: 120 }]);
    expect(await perMinute(cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'Average')).toEqual([{ minute: '09:01', value: 1 }]);
  });

  it('reports nothing for a metric without data: only the exact dimensions published, and no minute not yet over', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10) });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE + 30_000);

    const cloudwatch = setup.clients.cloudwatch;
    const postsOnly = [{ Name: 'TargetGroup', Value: dimensionOf.targetGroup(setup.postsArn) }];
    expect(await perMinute(cloudwatch, 'RequestCount', postsOnly, 'Sum')).toEqual([]);
    expect(await perMinute(cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'Sum', T0, T0 + 2 * MINUTE)).toEqual([{ minute: '09:01', value: 120 }]);
  });

  it('has no RequestCount datapoint (not a 0) for a minute in which a group got no request, while its host counts go on', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 1, posts, 0) });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const posts = groupDimensions(setup.loadBalancerArn, setup.postsArn);
    expect(await perMinute(setup.clients.cloudwatch, 'RequestCount', posts, 'Sum')).toEqual([]);
    expect(await perMinute(setup.clients.cloudwatch, 'HealthyHostCount', posts, 'Average')).toEqual([{ minute: '09:01', value: 2 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'UnHealthyHostCount', posts, 'Maximum')).toEqual([{ minute: '09:01', value: 0 }]);
  });

  it('answers 503 from the load balancer for a group with no registered target: HTTPCode_ELB_5XX_Count, no RequestCount', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 0, posts, 1), postsTargets: 0 });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const loadBalancer = [{ Name: 'LoadBalancer', Value: dimensionOf.loadBalancer(setup.loadBalancerArn) }];
    expect(await perMinute(setup.clients.cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'Sum')).toEqual([]);
    expect(await perMinute(setup.clients.cloudwatch, 'RequestCount', loadBalancer, 'Sum')).toEqual([]);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_ELB_5XX_Count', loadBalancer, 'Sum')).toEqual([{ minute: '09:01', value: 1200 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_ELB_503_Count', loadBalancer, 'Sum')).toEqual([{ minute: '09:01', value: 1200 }]);
  });

  it('answers a fixed-response rule with its status: HTTP_Fixed_Response_Count and HTTPCode_ELB_5XX_Count', async () => {
    const setup = await postsBehindListener({ actions: () => [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain' } }] });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const loadBalancer = [{ Name: 'LoadBalancer', Value: dimensionOf.loadBalancer(setup.loadBalancerArn) }];
    expect(await perMinute(setup.clients.cloudwatch, 'HTTP_Fixed_Response_Count', loadBalancer, 'Sum')).toEqual([{ minute: '09:01', value: 1200 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_ELB_5XX_Count', loadBalancer, 'Sum')).toEqual([{ minute: '09:01', value: 1200 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'RequestCount', loadBalancer, 'Sum')).toEqual([]);
  });

  it('follows a weight change mid-minute: 30 s at 90/10 then 30 s at 50/50 gives 60 + 300 on posts', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10) });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(30_000);
    await setup.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: setup.ruleArn, Actions: weighted(setup.monolithTargetGroupArn, 50, setup.postsArn, 50) }));
    setup.emulator.advance(30_000);

    expect(await perMinute(setup.clients.cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'Sum')).toEqual([{ minute: '09:01', value: 60 + 300 }]);
  });

  it('keeps whole counts over long runs: 0.01 requests/s is 0.6 a minute, 6 over ten minutes, in datapoints of 1 (never one of 0)', async () => {
    const setup = await postsBehindListener({ actions: (_monolith, posts) => [{ Type: 'forward', TargetGroupArn: posts }] });
    setup.emulator.traffic.start(postsStream(setup.listenerArn, 0.01));
    setup.emulator.advance(10 * MINUTE);

    const minutes = await perMinute(setup.clients.cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, setup.postsArn), 'Sum', T0, T0 + 10 * MINUTE);
    expect(minutes.reduce((sum, { value = 0 }) => sum + value, 0)).toBe(6);
    expect(minutes.every(({ value }) => value === 1)).toBe(true);
  });

  it('averages HealthyHostCount over the minute, with its minimum and maximum, when a target leaves half-way', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10) });
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(30_000);
    await setup.clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: setup.postsArn, Targets: [{ Id: 'i-0b000000000000000', Port: 80 }] }));
    setup.emulator.advance(30_000);

    const posts = groupDimensions(setup.loadBalancerArn, setup.postsArn);
    expect(await perMinute(setup.clients.cloudwatch, 'HealthyHostCount', posts, 'Average')).toEqual([{ minute: '09:01', value: 1.5 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HealthyHostCount', posts, 'Minimum')).toEqual([{ minute: '09:01', value: 1 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HealthyHostCount', posts, 'Maximum')).toEqual([{ minute: '09:01', value: 2 }]);
  });
});

describe('faulty and slow images', () => {
  const image = 'registry.example/posts:2';

  it('answers half the requests of a faulty image with 5xx: HTTPCode_Target_5XX_Count 60 of 120, while its targets stay healthy', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10), postsTargets: 0 });
    setup.emulator.traffic.markImageFaulty(image);
    await postsServiceRunning(setup, image);
    setup.emulator.advance(MINUTE);
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const posts = groupDimensions(setup.loadBalancerArn, setup.postsArn);
    const minute = { start: T0 + MINUTE, end: T0 + 2 * MINUTE };
    expect(await perMinute(setup.clients.cloudwatch, 'RequestCount', posts, 'Sum', minute.start, minute.end)).toEqual([{ minute: '09:02', value: 120 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_Target_5XX_Count', posts, 'Sum', minute.start, minute.end)).toEqual([{ minute: '09:02', value: 60 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_Target_2XX_Count', posts, 'Sum', minute.start, minute.end)).toEqual([{ minute: '09:02', value: 60 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HealthyHostCount', posts, 'Minimum', minute.start, minute.end)).toEqual([{ minute: '09:02', value: 2 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_Target_5XX_Count', groupDimensions(setup.loadBalancerArn, setup.monolithTargetGroupArn), 'Sum', minute.start, minute.end)).toEqual([]);
  });

  it('adds the latency of a slow image to TargetResponseTime: average and p99 in seconds, per group and for the load balancer', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10), postsTargets: 0 });
    setup.emulator.traffic.markImageSlow(image);
    await postsServiceRunning(setup, image);
    setup.emulator.advance(MINUTE);
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const { start, end } = { start: T0 + MINUTE, end: T0 + 2 * MINUTE };
    const posts = groupDimensions(setup.loadBalancerArn, setup.postsArn);
    expect(await perMinute(setup.clients.cloudwatch, 'TargetResponseTime', posts, 'p99', start, end)).toEqual([{ minute: '09:02', value: 2.02 }]);
    expect(await perMinute(setup.clients.cloudwatch, 'TargetResponseTime', groupDimensions(setup.loadBalancerArn, setup.monolithTargetGroupArn), 'p99', start, end)).toEqual([{ minute: '09:02', value: 0.02 }]);
    // the load balancer: 1080 answers in 0.02 s and 120 in 2.02 s; p90 is the 1080th, p99 the 1188th
    const { Datapoints = [] } = await setup.clients.cloudwatch.send(new GetMetricStatisticsCommand({
      Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: [{ Name: 'LoadBalancer', Value: dimensionOf.loadBalancer(setup.loadBalancerArn) }],
      StartTime: new Date(start), EndTime: new Date(end), Period: 60, Statistics: ['Average', 'SampleCount'], ExtendedStatistics: ['p90', 'p99'],
    }));
    expect(Datapoints).toEqual([{ Timestamp: new Date(start), Unit: 'Seconds', SampleCount: 1200, Average: expect.closeTo((1080 * 0.02 + 120 * 2.02) / 1200, 9), ExtendedStatistics: { p90: 0.02, p99: 2.02 } }]);
  });

  it('fails open into a group whose targets all fail their checks: its requests reach them and answer 5xx', async () => {
    const setup = await postsBehindListener({ actions: (monolith, posts) => weighted(monolith, 90, posts, 10), postsTargets: 0 });
    setup.emulator.markImageUnhealthy(image);
    await postsServiceRunning(setup, image, 1);
    setup.emulator.traffic.start(postsStream(setup.listenerArn));
    setup.emulator.advance(MINUTE);

    const posts = groupDimensions(setup.loadBalancerArn, setup.postsArn);
    const requests = await perMinute(setup.clients.cloudwatch, 'RequestCount', posts, 'Sum');
    expect(requests).toEqual([{ minute: '09:01', value: expect.any(Number) }]);
    expect(requests[0]?.value).toBeGreaterThan(0);
    expect(await perMinute(setup.clients.cloudwatch, 'HTTPCode_Target_5XX_Count', posts, 'Sum')).toEqual(requests);
    expect(await perMinute(setup.clients.cloudwatch, 'HealthyHostCount', posts, 'Maximum')).toEqual([{ minute: '09:01', value: 0 }]);
  });
});
