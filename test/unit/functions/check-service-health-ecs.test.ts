/**
 * "Check service health" while ECS runs its own CANARY / LINEAR / BLUE_GREEN deployment (release.ecsDeployment,
 * lib/runtime/ecs-deployment-watch.ts): what it reads, when it asks ECS to roll back, and what it decides.
 */
import { GetMetricDataCommand, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { DescribeServiceDeploymentsCommand, StopServiceDeploymentCommand, type ServiceDeployment } from '@aws-sdk/client-ecs';
import { makeHandler } from '../../../functions/check-service-health';
import type { Release } from '../../../lib/domain/release';
import type { EcsDeployment } from '../../../lib/domain/release-schema';
import { ServiceUnhealthyError, TrafficGateError } from '../../../lib/errors';
import {
  ACCOUNT,
  CLUSTER,
  NOW,
  REGION,
  aws,
  defaultRule,
  forward,
  givenRules,
  pathRule,
  rejectionOf,
  releaseFor,
  resetAws,
  taskDefinitionArn,
  targetGroupArn,
  testConfig,
  testDeps,
} from './fixtures';

const postsGroup = targetGroupArn('posts');
const postsGreen = targetGroupArn('posts-g');
const monolithGroup = targetGroupArn('api');
const deploymentArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/posts/0c6ff1f3a3e94d4b`;
const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString();
const gate = { startedAt: at(240), waitedSeconds: 180, nextWaitSeconds: 60, healthy: false, polls: 3 };
/** posts' canary (10 %, 5 min bakes): 600 s gate + (5 + 5) min of bakes + 300 s drain + 300 s. */
const LIMIT_SECONDS = 1800;

/** A release "Deploy service" handed on for ECS's CANARY deployment onto the alternate group, begun `secondsAgo` before NOW. */
const watching = (secondsAgo = 240, tracked: Partial<EcsDeployment> = {}, overrides: Partial<Release> = {}): Release =>
  releaseFor('posts', {
    taskDefinitionArn: taskDefinitionArn('posts', 8),
    targetGroupArn: postsGroup,
    alternateTargetGroupArn: postsGreen,
    gate,
    ecsDeployment: { arn: deploymentArn, strategy: 'CANARY', greenTargetGroupArn: postsGreen, startedAt: at(secondsAgo), percent: 0, checks: 2, ...tracked },
    ...overrides,
  });

function givenDeployment(deployment: Omit<ServiceDeployment, 'serviceDeploymentArn'>): void {
  aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn, ...deployment }], failures: [] });
}

/** The production rule with `green` of 1000 on the alternate group (ECS writes the weights as it shifts). */
function givenGreenWeight(green: number): void {
  givenRules(pathRule(1, ['/api/posts*'], forward([postsGroup, 1000 - green], [postsGreen, green])), pathRule(99, ['/api*'], forward([monolithGroup, 1])), defaultRule(forward([monolithGroup, 1])));
}

function givenMetrics(values: Record<string, number[]>): void {
  const results: MetricDataResult[] = Object.entries(values).map(([Id, Values]) => ({ Id, Values, StatusCode: 'Complete' }));
  aws.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: results });
}

const healthyMetrics = { requests: [120, 120, 120], errors: [], p99: [0.02], unhealthy: [0] };

describe('check-service-health during ECS\'s own deployment', () => {
  beforeEach(() => {
    resetAws();
    aws.ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: deploymentArn });
  });

  it('waits a CloudWatch period while ECS bakes the canary at 10 % with healthy metrics, recording the 10 % step', async () => {
    // Prepare
    givenDeployment({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    givenGreenWeight(100);
    givenMetrics(healthyMetrics);

    // Act
    const result = await makeHandler(testDeps())(watching(240));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [deploymentArn] });
    // the green group's metrics, from the minute ECS's deployment began
    expect(aws.cloudwatch).toHaveReceivedCommandWith(GetMetricDataCommand, {
      StartTime: new Date(at(240)),
      EndTime: new Date(NOW),
      MetricDataQueries: expect.arrayContaining([
        expect.objectContaining({
          Id: 'errors',
          MetricStat: expect.objectContaining({
            Metric: expect.objectContaining({ MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: expect.arrayContaining([{ Name: 'TargetGroup', Value: postsGreen.slice(postsGreen.lastIndexOf(':') + 1) }]) }),
          }),
        }),
      ]),
    });
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
    expect(result.gate).toEqual({ ...gate, healthy: false, polls: 4, nextWaitSeconds: 60, lastReason: "ECS's CANARY deployment IN_PROGRESS, BAKE_TIME: 10 % on the new revision, 360 requests, 0 5xx so far" });
    expect(result.trafficSteps).toEqual([{ at: new Date(NOW).toISOString(), percent: 10 }]);
    expect(result.ecsDeployment).toMatchObject({ percent: 10, checks: 3, judged: false });
    expect(result.ecsDeployment?.rollbackReason).toBeUndefined();
    expect(result.live).toBeUndefined();
  });

  it('asks ECS to roll back (StopServiceDeployment ROLLBACK) when the 5xx rate trips during the canary, and keeps watching', async () => {
    // Prepare
    givenDeployment({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    givenGreenWeight(100);
    givenMetrics({ requests: [120, 120], errors: [60, 60], p99: [0.02], unhealthy: [0] });

    // Act
    const result = await makeHandler(testDeps())(watching(240));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandTimes(StopServiceDeploymentCommand, 1);
    expect(aws.ecs).toHaveReceivedCommandWith(StopServiceDeploymentCommand, { serviceDeploymentArn: deploymentArn, stopType: 'ROLLBACK' });
    expect(result.ecsDeployment?.rollbackReason).toBe(
      "HTTPCode_Target_5XX_Count / RequestCount was 50.00 % (120 of 240), threshold 1 %, at 10 %, 240 s into ECS's CANARY deployment",
    );
    expect(result.gate).toMatchObject({ healthy: false, nextWaitSeconds: 60 });
  });

  it('only waits while ECS rolls back: no second StopServiceDeployment, no metrics read', async () => {
    // Prepare
    givenDeployment({ status: 'ROLLBACK_IN_PROGRESS' });
    givenGreenWeight(0);
    givenMetrics(healthyMetrics);
    const reason = "HTTPCode_Target_5XX_Count / RequestCount was 50.00 % (120 of 240), threshold 1 %, at 10 %, 180 s into ECS's CANARY deployment";

    // Act
    const result = await makeHandler(testDeps())(watching(240, { rollbackReason: reason, percent: 10 }, { trafficSteps: [{ at: at(120), percent: 10 }] }));

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
    expect(aws.cloudwatch).not.toHaveReceivedCommand(GetMetricDataCommand);
    expect(result.gate).toMatchObject({ healthy: false, nextWaitSeconds: 60, lastReason: `ECS is rolling back (ROLLBACK_IN_PROGRESS): ${reason}` });
    expect(result.ecsDeployment?.rollbackReason).toBe(reason);
    // ECS has put the weights back: the traffic is off the new revision again
    expect(result.trafficSteps).toEqual([{ at: at(120), percent: 10 }, { at: new Date(NOW).toISOString(), percent: 0 }]);
  });

  it('fails with TrafficGateError naming its own reason and ECS\'s ROLLBACK_SUCCESSFUL once the rollback it asked for is done', async () => {
    // Prepare
    givenDeployment({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'Service deployment rolled back because of a stop request.' });
    givenGreenWeight(0);
    const reason = "HTTPCode_Target_5XX_Count / RequestCount was 50.00 % (120 of 240), threshold 1 %, at 10 %, 180 s into ECS's CANARY deployment";

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(watching(240, { rollbackReason: reason, percent: 10 })));

    // Assess
    expect(error).toBeInstanceOf(TrafficGateError);
    expect(error.message).toContain(reason);
    expect(error.message).toContain('ROLLBACK_SUCCESSFUL');
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
  });

  it('fails with TrafficGateError naming the alarm when ECS rolled back on one of the manifest\'s alarms', async () => {
    // Prepare
    givenDeployment({ status: 'ROLLBACK_SUCCESSFUL', alarms: { status: 'TRIGGERED', alarmNames: ['x'], triggeredAlarmNames: ['x'] } });
    givenGreenWeight(0);

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(watching(240)));

    // Assess
    expect(error).toBeInstanceOf(TrafficGateError);
    expect(error.message).toBe('traffic gate for posts: ECS ended the service deployment ROLLBACK_SUCCESSFUL (alarms in ALARM: x)');
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
  });

  it('fails with ServiceUnhealthyError when ECS\'s circuit breaker rolled the deployment back', async () => {
    // Prepare
    givenDeployment({ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'Service deployment rolled back because the circuit breaker threshold was exceeded.', deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 } });
    givenGreenWeight(0);

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(watching(240)));

    // Assess
    expect(error).toBeInstanceOf(ServiceUnhealthyError);
    expect(error.message).toBe('health gate for posts: ECS ended the service deployment ROLLBACK_SUCCESSFUL: Service deployment rolled back because the circuit breaker threshold was exceeded');
  });

  it('passes when ECS finished with enough requests and no errors on the new revision: healthy, live, last step 100 %', async () => {
    // Prepare
    givenDeployment({ status: 'SUCCESSFUL' });
    givenGreenWeight(1000);
    givenMetrics(healthyMetrics);

    // Act
    const result = await makeHandler(testDeps())(watching(700, { percent: 10 }, { trafficSteps: [{ at: at(400), percent: 10 }] }));

    // Assess
    expect(result.gate).toMatchObject({ healthy: true, nextWaitSeconds: 0, polls: 4, lastReason: "ECS's CANARY deployment succeeded: 360 requests, 0 5xx on the new revision" });
    expect(result.live).toBe(true);
    expect(result.trafficSteps?.at(-1)).toEqual({ at: new Date(NOW).toISOString(), percent: 100 });
    expect(result.ecsDeployment).toMatchObject({ percent: 100, judged: true, fullAt: new Date(NOW).toISOString() });
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
  });

  it('fails with TrafficGateError when ECS finished with too few requests to judge, without asking ECS to roll back', async () => {
    // Prepare
    givenDeployment({ status: 'SUCCESSFUL' });
    givenGreenWeight(1000);
    givenMetrics({ requests: [30], errors: [] });

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(watching(700, { percent: 10 })));

    // Assess
    expect(error).toBeInstanceOf(TrafficGateError);
    expect(error.message).toBe(
      "traffic gate for posts: too few requests to judge at 100 %: RequestCount 30, at least 100 needed for a 1 % error threshold, 700 s into ECS's CANARY deployment (after ECS had finished it)",
    );
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
  });

  it('asks ECS to roll back a deployment still IN_PROGRESS past its limit, saying it did not finish', async () => {
    // Prepare
    givenDeployment({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    givenGreenWeight(100);
    givenMetrics(healthyMetrics);

    // Act
    const result = await makeHandler(testDeps())(watching(LIMIT_SECONDS + 100));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(StopServiceDeploymentCommand, { serviceDeploymentArn: deploymentArn, stopType: 'ROLLBACK' });
    expect(result.ecsDeployment?.rollbackReason).toBe(`ECS's deployment did not finish in ${LIMIT_SECONDS} s, ${LIMIT_SECONDS + 100} s into ECS's CANARY deployment`);
    expect(result.gate).toMatchObject({ healthy: false, nextWaitSeconds: 60 });
  });

  it('does not roll back a deployment still IN_PROGRESS just under its limit', async () => {
    // Prepare
    givenDeployment({ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    givenGreenWeight(100);
    givenMetrics(healthyMetrics);

    // Act
    const result = await makeHandler(testDeps())(watching(LIMIT_SECONDS));

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
    expect(result.ecsDeployment?.rollbackReason).toBeUndefined();
  });

  it('ends with TrafficGateError when ECS finished the deployment before it took the rollback the gate asked for', async () => {
    // Prepare
    givenDeployment({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' });
    givenGreenWeight(1000);

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(watching(600, { rollbackReason: 'alarm x was in ALARM at 10 %' })));

    // Assess
    expect(error).toBeInstanceOf(TrafficGateError);
    expect(error.message).toBe('traffic gate for posts: alarm x was in ALARM at 10 %; ECS had finished the deployment before it could roll it back');
    expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
  });

  it('passes an all-at-once (BLUE_GREEN) update that ECS finished without judging its request count: like the migration, its looks only trip', async () => {
    // Prepare: posts with no traffic block (all at once), 3 requests in all
    const config = testConfig();
    const services = config.catalog.services.map((m) => (m.name === 'posts' ? { ...m, traffic: { ...m.traffic, strategy: 'all-at-once' as const } } : m));
    givenDeployment({ status: 'SUCCESSFUL' });
    givenGreenWeight(1000);
    givenMetrics({ requests: [3], errors: [], p99: [0.02], unhealthy: [0] });

    // Act
    const result = await makeHandler(testDeps({ ...config, catalog: { ...config.catalog, services } }))(watching(600, { strategy: 'BLUE_GREEN', percent: 100, fullAt: at(300) }));

    // Assess
    expect(result.live).toBe(true);
    expect(result.gate).toMatchObject({ healthy: true, nextWaitSeconds: 0 });
  });

  it('spreads its looks for a long deployment so that a rollout makes at most 1,000 (a day\'s canary bake)', async () => {
    // Prepare
    const config = testConfig();
    const services = config.catalog.services.map((m) => (m.name === 'posts' ? { ...m, traffic: { ...m.traffic, bakeMinutes: 1440 } } : m));
    givenDeployment({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP' });
    givenGreenWeight(0);

    // Act
    const result = await makeHandler(testDeps({ ...config, catalog: { ...config.catalog, services } }))(watching(60));

    // Assess: 600 s gate + (1440 + 1440) min of bakes + 300 s drain + 300 s = 174,000 s, over 1,000 looks
    expect(result.gate?.nextWaitSeconds).toBe(174);
  });
});
