/**
 * ECS's own CANARY, LINEAR and BLUE_GREEN deployments on virtual time, driven through the SDK clients: the weights ECS
 * writes on the production listener rule, the lifecycle stages, the requests the traffic model routes by those
 * weights, the old tasks kept through the bake time, and the end state (developer guide: "Amazon ECS canary
 * deployments", "Amazon ECS linear deployments", "Amazon ECS blue/green deployments").
 */
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { shiftSteps } from '../../../local/emulator/runtime/blue-green';
import { weightsFor } from '../../../local/emulator/runtime/listener-rule-weights';
import { blueGreenSetup, MINUTE } from './blue-green-fixtures';
import { groupDimensions, perMinute } from './traffic-fixtures';

const START = Date.parse('2026-11-26T09:00:00Z');
const at = (ms: number): string => new Date(START + ms).toISOString();
/** The rolling service is steady at 09:01:00; v2's tasks start 10 s after UpdateService and are healthy 11 s later. */
const HEALTHY_AFTER = 21_000;
const DRAIN = 300_000;

describe('CANARY: canaryPercent, canary bake time, then 100 %', () => {
  it('routes 10 % to the new revision for 5 minutes, bakes 3 minutes with the old tasks running, then cleans them up', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    setup.emulator.traffic.start({ streams: [{ listenerArn: setup.listenerArn, path: '/api/posts', requestsPerSecond: 100 }] });
    const arn = await setup.deployV2({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 }, bakeTimeInMinutes: 3 });

    expect(await setup.deployment(arn)).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP', startedAt: new Date(at(MINUTE)) });
    expect(await setup.weights()).toEqual({ blue: 1, green: 0 });
    setup.emulator.advance(HEALTHY_AFTER - 1);
    expect((await setup.deployment(arn))?.lifecycleStage).toBe('SCALE_UP');
    expect(await setup.targetStates(setup.greenArn)).toEqual(['initial', 'initial']);

    setup.emulator.advance(1);
    expect(await setup.targetStates(setup.greenArn)).toEqual(['healthy', 'healthy']);
    expect(await setup.weights()).toEqual({ blue: 90, green: 10 });
    const canary = await setup.deployment(arn);
    expect(canary).toMatchObject({ lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT', targetServiceRevision: { requestedProductionTrafficWeight: 10, runningTaskCount: 2 } });
    expect(canary?.sourceServiceRevisions?.[0]).toMatchObject({ requestedProductionTrafficWeight: 90, runningTaskCount: 2 });

    setup.emulator.advance(5 * MINUTE - 1);
    expect(await setup.weights()).toEqual({ blue: 90, green: 10 });
    setup.emulator.advance(1);
    expect(await setup.weights()).toEqual({ blue: 0, green: 100 });
    expect((await setup.deployment(arn))?.lifecycleStage).toBe('BAKE_TIME');

    // The traffic model routed the requests by those weights: 09:02-09:03 lies wholly in the canary phase.
    const minute = START + 2 * MINUTE;
    const requests = async (groupArn: string, from: number) => (await perMinute(setup.clients.cloudwatch, 'RequestCount', groupDimensions(setup.loadBalancerArn, groupArn), 'Sum', from))[0]?.value;
    expect({ blue: await requests(setup.blueArn, minute), green: await requests(setup.greenArn, minute) }).toEqual({ blue: 5400, green: 600 });

    // Bake time: both revisions run; the old tasks stay registered and healthy, with no production traffic.
    setup.emulator.advance(3 * MINUTE - 1);
    expect(await setup.targetStates(setup.blueArn)).toEqual(['healthy', 'healthy']);
    expect((await setup.deployment(arn))?.sourceServiceRevisions?.[0]?.runningTaskCount).toBe(2);
    expect(await requests(setup.blueArn, START + 7 * MINUTE)).toBeUndefined();
    setup.emulator.advance(1);
    const cleanUp = await setup.deployment(arn);
    expect(cleanUp).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'CLEAN_UP', sourceServiceRevisions: [{ runningTaskCount: 0 }] });
    expect(await setup.targetStates(setup.blueArn)).toEqual(['draining', 'draining']);

    setup.emulator.advance(DRAIN);
    const finished = await setup.deployment(arn);
    expect(finished).toMatchObject({ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP', finishedAt: new Date(at(MINUTE + HEALTHY_AFTER + 8 * MINUTE + DRAIN)) });
    expect(finished?.alarms).toEqual({ status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] });
    const service = await setup.service();
    expect(service).toMatchObject({ taskDefinition: setup.v2, runningCount: 2, currentServiceDeployment: arn });
    expect(service?.deployments?.map(({ status, taskDefinition, rolloutState }) => ({ status, taskDefinition, rolloutState })))
      .toEqual([{ status: 'PRIMARY', taskDefinition: setup.v2, rolloutState: 'COMPLETED' }]);
    expect(await setup.targetStates(setup.blueArn)).toEqual([]);
    expect((await setup.list()).map(({ status }) => status)).toEqual(['SUCCESSFUL', 'SUCCESSFUL']);
  });
});

describe('LINEAR: stepPercent steps with stepBakeTimeInMinutes between them', () => {
  it('shifts 25 % every 2 minutes, with no step bake after 100 %', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    const arn = await setup.deployV2({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 1 });
    setup.emulator.advance(HEALTHY_AFTER);
    const seen: Array<{ green: number | undefined; stage: string | undefined; weight: number | undefined }> = [];
    for (let minute = 0; minute < 8; minute += 1) {
      const deployment = await setup.deployment(arn);
      seen.push({ green: (await setup.weights()).green, stage: deployment?.lifecycleStage, weight: deployment?.targetServiceRevision?.requestedProductionTrafficWeight });
      setup.emulator.advance(MINUTE);
    }
    expect(seen).toEqual([
      { green: 25, stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 25 }, { green: 25, stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 25 },
      { green: 50, stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 50 }, { green: 50, stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 50 },
      { green: 75, stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 75 }, { green: 75, stage: 'PRODUCTION_TRAFFIC_SHIFT', weight: 75 },
      { green: 100, stage: 'BAKE_TIME', weight: 100 }, { green: 100, stage: 'CLEAN_UP', weight: 100 },
    ]);
    expect(await setup.weights()).toEqual({ blue: 0, green: 100 });
    setup.emulator.advance(DRAIN);
    expect((await setup.deployment(arn))?.status).toBe('SUCCESSFUL');
  });
});

describe('BLUE_GREEN: all at once, bake time, then the next deployment goes the other way', () => {
  it('shifts 100 % once the new tasks are healthy, keeps the old ones through the bake time, and swaps the groups next time', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    const arn = await setup.deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 });
    setup.emulator.advance(HEALTHY_AFTER);
    expect(await setup.weights()).toEqual({ blue: 0, green: 100 });
    expect((await setup.deployment(arn))?.lifecycleStage).toBe('BAKE_TIME');
    setup.emulator.advance(10 * MINUTE - 1);
    expect((await setup.service())?.deployments?.map(({ status, runningCount }) => ({ status, runningCount }))).toEqual([
      { status: 'PRIMARY', runningCount: 2 }, { status: 'ACTIVE', runningCount: 2 },
    ]);
    setup.emulator.advance(1 + DRAIN);
    expect((await setup.deployment(arn))?.status).toBe('SUCCESSFUL');

    // The green group serves now: the next deployment registers in the blue group and shifts traffic back to it.
    const { service } = await setup.clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: setup.v1 }));
    const next = service?.currentServiceDeployment ?? '';
    expect(next).not.toBe(arn);
    setup.emulator.advance(HEALTHY_AFTER);
    expect(await setup.targetStates(setup.blueArn)).toEqual(['healthy', 'healthy']);
    expect(await setup.weights()).toEqual({ blue: 100, green: 0 });
    setup.emulator.advance(10 * MINUTE + DRAIN);
    expect(await setup.deployment(next)).toMatchObject({ status: 'SUCCESSFUL', sourceServiceRevisions: [{ arn: (await setup.deployment(arn))?.targetServiceRevision?.arn }] });
    expect(await setup.targetStates(setup.greenArn)).toEqual([]);
    expect((await setup.service())?.taskDefinition).toBe(setup.v1);
  });
});

describe('rollback on a CloudWatch alarm, and on the circuit breaker', () => {
  async function faultyCanary() {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    setup.emulator.traffic.start({ streams: [{ listenerArn: setup.listenerArn, path: '/api/posts', requestsPerSecond: 100 }] });
    setup.emulator.traffic.markImageFaulty('sha256:2222', 0.5);
    await setup.clients.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'posts-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: [{ Name: 'LoadBalancer', Value: setup.loadBalancerArn.split(':loadbalancer/')[1] }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
      Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    return setup;
  }
  const canaryWithAlarms = { strategy: 'CANARY' as const, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 }, bakeTimeInMinutes: 5, alarms: { alarmNames: ['posts-5xx'], enable: true, rollback: true } };

  it('rolls back when the alarm goes into ALARM during the canary: weights back, new tasks stopped, PRIMARY on the old revision', async () => {
    const setup = await faultyCanary();
    const arn = await setup.deployV2(canaryWithAlarms);
    expect((await setup.deployment(arn))?.alarms).toEqual({ status: 'MONITORING', alarmNames: ['posts-5xx'], triggeredAlarmNames: [] });
    setup.emulator.advance(HEALTHY_AFTER);
    expect(await setup.weights()).toEqual({ blue: 90, green: 10 });

    // 39 s at 10 rps, half of them 5xx: the 09:01 datapoint is 195 > 10; CloudWatch evaluates at 09:02:00 and ECS reacts.
    setup.emulator.advance(MINUTE - HEALTHY_AFTER - 1);
    expect((await setup.deployment(arn))?.status).toBe('IN_PROGRESS');
    setup.emulator.advance(1);
    const rolling = await setup.deployment(arn);
    expect(rolling).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS', statusReason: 'ECS deployment alarms: posts-5xx in ALARM state.',
      alarms: { status: 'TRIGGERED', alarmNames: ['posts-5xx'], triggeredAlarmNames: ['posts-5xx'] },
      rollback: { reason: 'ECS deployment alarms: posts-5xx in ALARM state.', startedAt: new Date(at(2 * MINUTE)), serviceRevisionArn: rolling?.sourceServiceRevisions?.[0]?.arn },
    });
    expect(await setup.weights()).toEqual({ blue: 100, green: 0 });
    expect(await setup.targetStates(setup.greenArn)).toEqual(['draining', 'draining']);
    const service = await setup.service();
    expect(service?.taskDefinition).toBe(setup.v1);
    expect(service?.deployments?.map(({ status, taskDefinition, rolloutState }) => ({ status, taskDefinition, rolloutState }))).toEqual([
      { status: 'PRIMARY', taskDefinition: setup.v1, rolloutState: 'COMPLETED' }, { status: 'ACTIVE', taskDefinition: setup.v2, rolloutState: 'FAILED' },
    ]);

    setup.emulator.advance(DRAIN);
    expect(await setup.deployment(arn)).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', finishedAt: new Date(at(2 * MINUTE + DRAIN)) });
    expect((await setup.service())?.deployments?.map(({ status, taskDefinition }) => ({ status, taskDefinition }))).toEqual([{ status: 'PRIMARY', taskDefinition: setup.v1 }]);
    expect(await setup.targetStates(setup.greenArn)).toEqual([]);
    expect((await setup.list(['ROLLBACK_SUCCESSFUL'])).map(({ serviceDeploymentArn }) => serviceDeploymentArn)).toEqual([arn]);
  });

  it('rolls back during the bake time too (SetAlarmState ALARM), after production has fully shifted', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    await setup.clients.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'latency', Namespace: 'Custom', MetricName: 'Latency', Statistic: 'Average', Period: 60, EvaluationPeriods: 1, Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    const arn = await setup.deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10, alarms: { alarmNames: ['latency'], enable: true, rollback: true } });
    setup.emulator.advance(HEALTHY_AFTER + MINUTE);
    expect(await setup.weights()).toEqual({ blue: 0, green: 100 });
    await setup.clients.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'latency', StateValue: 'ALARM', StateReason: 'test' }));
    expect(await setup.deployment(arn)).toMatchObject({ status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'BAKE_TIME' });
    expect(await setup.weights()).toEqual({ blue: 100, green: 0 });
    expect((await setup.service())?.taskDefinition).toBe(setup.v1);
  });

  it('ignores the alarms for a deployment that starts while one is in ALARM (developer guide) and completes', async () => {
    const setup = await faultyCanary();
    await setup.clients.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'posts-5xx', StateValue: 'ALARM', StateReason: 'still firing from the last deployment' }));
    const arn = await setup.deployV2({ ...canaryWithAlarms, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 });
    expect((await setup.deployment(arn))?.alarms?.status).toBe('DISABLED');
    setup.emulator.advance(HEALTHY_AFTER + MINUTE + DRAIN);
    expect((await setup.deployment(arn))?.status).toBe('SUCCESSFUL');
  });

  it('rolls back a revision whose tasks fail their health checks (circuit breaker) before any traffic moved', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    setup.emulator.markImageUnhealthy('sha256:2222');
    const arn = await setup.deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5, deploymentCircuitBreaker: { enable: true, rollback: true } });
    setup.emulator.advance(MINUTE);
    const failed = await setup.deployment(arn);
    expect(failed).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'SCALE_UP', statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      deploymentCircuitBreaker: { status: 'TRIGGERED', failureCount: 4, threshold: 3 },
    });
    expect(await setup.weights()).toEqual({ blue: 1, green: 0 });
    setup.emulator.advance(DRAIN);
    expect((await setup.deployment(arn))?.status).toBe('ROLLBACK_SUCCESSFUL');
    expect(await setup.targetStates(setup.blueArn)).toEqual(['healthy', 'healthy']);
    expect((await setup.service())?.taskDefinition).toBe(setup.v1);
  });
});

describe('the first deployment, a newer deployment, and DeleteService', () => {
  it('runs CreateService under the strategy too: the tasks register in the alternate group, which then serves', async () => {
    const setup = await blueGreenSetup();
    const created = await setup.createService({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 50, canaryBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 1 });
    const arn = created?.currentServiceDeployment ?? '';
    expect(await setup.deployment(arn)).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP', sourceServiceRevisions: [] });
    setup.emulator.advance(HEALTHY_AFTER);
    expect(await setup.weights()).toEqual({ blue: 50, green: 50 });
    setup.emulator.advance(2 * MINUTE);
    expect(await setup.deployment(arn)).toMatchObject({ status: 'SUCCESSFUL', finishedAt: new Date(at(HEALTHY_AFTER + 2 * MINUTE)) });
    expect(await setup.weights()).toEqual({ blue: 0, green: 100 });
    expect(await setup.targetStates(setup.greenArn)).toEqual(['healthy', 'healthy']);
    expect(await setup.targetStates(setup.blueArn)).toEqual([]);
  });

  it('stops a deployment a newer one replaces: its traffic goes back to blue and the newer one shifts from there', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    const first = await setup.deployV2({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 10 }, bakeTimeInMinutes: 0 });
    setup.emulator.advance(HEALTHY_AFTER);
    expect(await setup.weights()).toEqual({ blue: 90, green: 10 });
    const { service } = await setup.clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: setup.v1, forceNewDeployment: true }));
    const second = service?.currentServiceDeployment ?? '';
    expect(await setup.deployment(first)).toMatchObject({ status: 'STOPPED', statusReason: 'Service deployment stopped: a newer service deployment replaced it.' });
    expect(await setup.weights()).toEqual({ blue: 100, green: 0 });
    expect(await setup.targetStates(setup.greenArn)).toEqual(['draining', 'draining']);
    // the green group is still draining the stopped tasks; the newer deployment's tasks register next to them
    setup.emulator.advance(HEALTHY_AFTER);
    expect(await setup.weights()).toEqual({ blue: 90, green: 10 });
    expect(await setup.deployment(second)).toMatchObject({ status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' });
  });

  it('stops the deployment on DeleteService and drains the service like any other', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    const arn = await setup.deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 30 });
    setup.emulator.advance(HEALTHY_AFTER);
    await setup.clients.ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: 'posts', force: true }));
    expect(await setup.deployment(arn)).toMatchObject({ status: 'STOPPED', statusReason: 'Service deployment stopped: the service is being deleted.' });
    setup.emulator.advance(DRAIN);
    expect((await setup.service())?.status).toBe('INACTIVE');
  });
});

describe('traffic steps and rule weights', () => {
  it('steps LINEAR by multiples of stepPercent below 100, then 100; CANARY in two steps unless canaryPercent is 100', () => {
    expect(shiftSteps('LINEAR', { linearConfiguration: { stepPercent: 30 } })).toEqual([30, 60, 90, 100]);
    expect(shiftSteps('LINEAR', { linearConfiguration: { stepPercent: 33.3 } })).toEqual([33.3, 66.6, 99.9, 100]);
    expect(shiftSteps('LINEAR', {})).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(shiftSteps('CANARY', {})).toEqual([5, 100]);
    expect(shiftSteps('CANARY', { canaryConfiguration: { canaryPercent: 100 } })).toEqual([100]);
    expect(shiftSteps('BLUE_GREEN', {})).toEqual([100]);
  });

  it('writes percentages as ALB weights, in tenths when the percentage has a decimal (weights stay within 0-999)', () => {
    expect(weightsFor(10)).toEqual({ blue: 90, green: 10 });
    expect(weightsFor(12.5)).toEqual({ blue: 875, green: 125 });
    expect(weightsFor(0.1)).toEqual({ blue: 999, green: 1 });
    expect(weightsFor(100)).toEqual({ blue: 0, green: 100 });
  });
});
