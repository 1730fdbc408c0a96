import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/check-drained';
import { DrainTimeoutError, TransientAwsError, ValidationError } from '../../../lib/errors';
import { cutoverRelease, dueCutover } from './cutover.fixtures';
import { CLUSTER, aws, awsError, ecsService, expectNoMutations, givenServices, givenTargetHealth, rejectionOf, resetAws, targetGroupArn, testDeps } from './fixtures';

const draining = (waitedSeconds: number, nextWaitSeconds: number) => dueCutover({ drain: { waitedSeconds, nextWaitSeconds, drained: false } });

describe('check-drained', () => {
  beforeEach(() => resetAws());

  it('reports the monolith drained once no task runs, reading only', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));

    // Act
    const cutover = await makeHandler(testDeps())({ release: cutoverRelease, cutover: draining(0, 305) });

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: ['api'] });
    expect(cutover.drain).toEqual({ waitedSeconds: 305, nextWaitSeconds: 0, drained: true });
    expectNoMutations();
  });

  it('is not drained while no task counts as running but its targets still drain', async () => {
    // Prepare: ECS stopped counting the tasks (DEACTIVATING); the group still drains their connections
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));
    givenTargetHealth({ [targetGroupArn('api')]: ['draining'] });

    // Act
    const cutover = await makeHandler(testDeps())({ release: cutoverRelease, cutover: draining(0, 100) });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: targetGroupArn('api') });
    expect(cutover.drain).toEqual({ waitedSeconds: 100, nextWaitSeconds: 205, drained: false });
  });

  it.each([
    ['waits until the deregistration delay ends, plus 5 s', 100, 50, 155],
    ['polls every 10 s once the delay has passed', 305, 0, 10],
    ['never waits past the drain limit', 595, 0, 5],
  ])('%s', async (_case, waitedSeconds, nextWaitSeconds, expected) => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 1 }));

    // Act
    const cutover = await makeHandler(testDeps())({ release: cutoverRelease, cutover: draining(waitedSeconds, nextWaitSeconds) });

    // Assess
    expect(cutover.drain).toEqual({ waitedSeconds: waitedSeconds + nextWaitSeconds, nextWaitSeconds: expected, drained: false });
  });

  it('throws DrainTimeoutError when tasks still run after the delay plus 300 s', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 2 }));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ release: cutoverRelease, cutover: draining(590, 10) }));

    // Assess
    expect(error).toBeInstanceOf(DrainTimeoutError);
    expect(error.message).toBe('drain monolith api: 2 task(s) running and 0 target(s) still in its group after 600s (limit 600s)');
  });

  it('throws ValidationError naming the field when the drain state is missing', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ release: cutoverRelease, cutover: dueCutover() }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toMatch(/cutover\.drain$/);
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
  });

  it('throws TransientAwsError when DescribeServices is throttled', async () => {
    // Prepare
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ release: cutoverRelease, cutover: draining(0, 305) }));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
  });
});
