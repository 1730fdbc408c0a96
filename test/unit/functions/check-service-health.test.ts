import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/check-service-health';
import type { HealthGate } from '../../../lib/domain/release';
import { HealthGateTimeoutError, ServiceUnhealthyError, TransientAwsError, ValidationError } from '../../../lib/errors';
import {
  CLUSTER,
  NOW,
  aws,
  awsError,
  ecsService,
  expectNoMutations,
  givenServices,
  givenTargetHealth,
  rejectionOf,
  releaseFor,
  resetAws,
  targetGroupArn,
  taskDefinitionArn,
  testDeps,
} from './fixtures';

const postsGroup = targetGroupArn('posts');
const newRevision = taskDefinitionArn('posts', 8);
/** The gate's start, `seconds` before the handler's clock (NOW). */
const secondsAgo = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
/** A gate as the last check left it, checked now, exactly when its planned wait has run out (no retries meanwhile). */
const gate = (waitedSeconds: number, nextWaitSeconds: number, polls = 0): HealthGate => ({
  startedAt: secondsAgo(waitedSeconds + nextWaitSeconds),
  waitedSeconds,
  nextWaitSeconds,
  healthy: false,
  polls,
});
const check = (g: HealthGate) => makeHandler(testDeps())(releaseFor('posts', { taskDefinitionArn: newRevision, targetGroupArn: postsGroup, gate: g }));

describe('check-service-health', () => {
  beforeEach(() => resetAws());

  it('passes the gate when the PRIMARY deployment runs the new revision, COMPLETED, with healthy targets', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision }));
    givenTargetHealth({ [postsGroup]: ['healthy'] });

    // Act
    const release = await check(gate(12, 6, 2));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: ['posts'] });
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: postsGroup });
    expect(release.gate).toEqual({
      startedAt: secondsAgo(18),
      waitedSeconds: 18,
      nextWaitSeconds: 0,
      healthy: true,
      polls: 3,
      lastReason: '1/1 tasks running, deployment COMPLETED, targets healthy',
    });
    expectNoMutations();
  });

  it('waits one health-check interval while the deployment converges, without reading target health', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision, rolloutState: 'IN_PROGRESS' }));
    givenTargetHealth({ [postsGroup]: ['initial'] });

    // Act
    const release = await check(gate(0, 12));

    // Assess
    expect(release.gate).toMatchObject({ waitedSeconds: 12, nextWaitSeconds: 6, healthy: false, polls: 1 });
    expect(release.gate?.lastReason).toBe('deployment IN_PROGRESS, 1/1 tasks running, target health read once ECS reports COMPLETED, 0 failed tasks');
    expect(aws.elbv2).not.toHaveReceivedCommand(DescribeTargetHealthCommand);
  });

  it.each<[string, ('initial' | 'healthy' | 'draining' | 'unhealthy')[], number]>([
    ['targets are initial', ['initial'], 6],
    ['a target is unhealthy', ['unhealthy'], 6],
    ['old targets drain', ['draining'], 15],
    ['no target is registered yet', [], 5],
  ])('once the deployment is COMPLETED, waits adaptively while %s', async (_case, states, nextWaitSeconds) => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision }));
    givenTargetHealth({ [postsGroup]: states });

    // Act
    const release = await check(gate(12, 6));

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: postsGroup });
    expect(release.gate).toMatchObject({ waitedSeconds: 18, nextWaitSeconds, healthy: false });
  });

  it('while replaced tasks drain, waits out the deregistration delay in one wait, then polls shortly', async () => {
    // Prepare: the new revision runs at full strength; the old deployment is still draining
    const draining = ecsService('posts', { taskDefinition: newRevision, rolloutState: 'IN_PROGRESS' });
    draining.deployments?.push({ id: 'ecs-svc/old', status: 'ACTIVE', taskDefinition: taskDefinitionArn('posts', 7), desiredCount: 0, runningCount: 1 });
    givenServices(draining);

    // Act
    const first = await check(gate(12, 6));
    const later = await check({ ...gate(18, 302), drainingSinceSeconds: 18 });

    // Assess: posts drains for 300 s (its manifest); the gate first saw draining at 18 s
    expect(first.gate).toMatchObject({ waitedSeconds: 18, drainingSinceSeconds: 18, nextWaitSeconds: 302 });
    expect(later.gate).toMatchObject({ waitedSeconds: 320, drainingSinceSeconds: 18, nextWaitSeconds: 5 });
  });

  it('never waits past the gate timeout', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision, rolloutState: 'IN_PROGRESS' }));
    givenTargetHealth({ [postsGroup]: ['initial'] });

    // Act
    const release = await check(gate(590, 6));

    // Assess
    expect(release.gate).toMatchObject({ waitedSeconds: 596, nextWaitSeconds: 4 });
  });

  it('throws ServiceUnhealthyError when the circuit breaker rolled the PRIMARY deployment back to another revision', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision, primaryTaskDefinition: taskDefinitionArn('posts', 7) }));
    givenTargetHealth({ [postsGroup]: ['healthy'] });

    // Act
    const error = await rejectionOf(check(gate(30, 6)));

    // Assess
    expect(error).toBeInstanceOf(ServiceUnhealthyError);
    expect(error.message).toBe(
      `health gate for posts: PRIMARY deployment runs ${taskDefinitionArn('posts', 7)}, not ${newRevision} (rolled back by the deployment circuit breaker)`,
    );
  });

  it('throws ServiceUnhealthyError with the reason when rolloutState is FAILED', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision, rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' }));

    // Act
    const error = await rejectionOf(check(gate(30, 6)));

    // Assess
    expect(error).toBeInstanceOf(ServiceUnhealthyError);
    expect(error.message).toBe('health gate for posts: deployment failed: tasks failed to start');
  });

  it('throws ServiceUnhealthyError when the service is gone', async () => {
    // Act
    const error = await rejectionOf(check(gate(30, 6)));

    // Assess
    expect(error).toBeInstanceOf(ServiceUnhealthyError);
    expect(error.message).toBe('health gate for posts: service is missing');
  });

  it('throws HealthGateTimeoutError once the manifest timeout has passed without health', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision, rolloutState: 'IN_PROGRESS' }));
    givenTargetHealth({ [postsGroup]: ['unhealthy'] });

    // Act
    const error = await rejectionOf(check(gate(594, 6)));

    // Assess
    expect(error).toBeInstanceOf(HealthGateTimeoutError);
    expect(error.message).toMatch(/^health gate for posts: not healthy after 600s \(limit 600s\): deployment IN_PROGRESS/);
  });

  it('counts the time since the gate started, not the waits it planned: retries and slow checks count', async () => {
    // Prepare: 12 + 6 s of planned waits, but the gate started 40 s ago (a retried check, back-offs)
    givenServices(ecsService('posts', { taskDefinition: newRevision, rolloutState: 'IN_PROGRESS' }));

    // Act
    const release = await check({ ...gate(12, 6), startedAt: secondsAgo(40) });

    // Assess
    expect(release.gate).toMatchObject({ startedAt: secondsAgo(40), waitedSeconds: 40, nextWaitSeconds: 6 });
  });

  it('throws HealthGateTimeoutError once the time since the gate started passes the timeout, whatever waits it planned', async () => {
    // Prepare: the planned waits add up to 18 s; the clock says 601 s
    givenServices(ecsService('posts', { taskDefinition: newRevision, rolloutState: 'IN_PROGRESS' }));

    // Act
    const error = await rejectionOf(check({ ...gate(12, 6), startedAt: secondsAgo(601) }));

    // Assess
    expect(error).toBeInstanceOf(HealthGateTimeoutError);
    expect(error.message).toMatch(/^health gate for posts: not healthy after 601s \(limit 600s\): deployment IN_PROGRESS/);
  });

  it('passes a healthy service even past the timeout: health wins over time', async () => {
    // Prepare
    givenServices(ecsService('posts', { taskDefinition: newRevision }));
    givenTargetHealth({ [postsGroup]: ['healthy'] });

    // Act
    const release = await check({ ...gate(12, 6), startedAt: secondsAgo(700) });

    // Assess
    expect(release.gate).toMatchObject({ healthy: true, waitedSeconds: 700 });
  });

  it('ends the gate with HealthGateTimeoutError when a check past the timeout is throttled, rather than retrying on', async () => {
    // Prepare
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(check({ ...gate(594, 6), startedAt: secondsAgo(600) }));

    // Assess
    expect(error).toBeInstanceOf(HealthGateTimeoutError);
    expect(error.message).toMatch(/^health gate for posts: not healthy after 600s \(limit 600s\): the last check failed: describe services posts in cluster demo: ThrottlingException/);
    expect(error.cause).toBeInstanceOf(TransientAwsError);
  });

  it.each([
    ['gate', releaseFor('posts', { taskDefinitionArn: newRevision })],
    ['taskDefinitionArn', releaseFor('posts', { gate: gate(0, 12) })],
  ])('throws ValidationError naming release.%s when it is missing', async (field, input) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(input));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(`release.${field}`);
  });

  it('throws TransientAwsError when DescribeServices is throttled before the timeout: the state machine retries it', async () => {
    // Prepare
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(check(gate(0, 12)));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
  });
});
