import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/check-drained';
import { MonolithDrainingError, TransientAwsError, ValidationError } from '../../../lib/errors';
import { dueCutover } from './cutover.fixtures';
import { CLUSTER, aws, awsError, ecsService, expectNoMutations, givenServices, givenTargetHealth, rejectionOf, resetAws, targetGroupArn, testDeps } from './fixtures';

const scaledDown = () => dueCutover({ drainWaitSeconds: 305 });
const checkDrained = (input: unknown = scaledDown()) => makeHandler(testDeps())(input);

describe('check-drained', () => {
  beforeEach(() => resetAws());

  it('hands the cut-over on unchanged once no task runs and no target is left, reading only', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));

    // Act
    const cutover = await checkDrained();

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: ['api'] });
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: targetGroupArn('api') });
    expect(cutover).toEqual(scaledDown());
    expectNoMutations();
  });

  it('counts a monolith that no longer exists as drained', async () => {
    // Act
    const cutover = await checkDrained();

    // Assess
    expect(cutover).toEqual(scaledDown());
  });

  it('throws MonolithDrainingError while tasks still run, without reading target health', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 2 }));

    // Act
    const error = await rejectionOf(checkDrained());

    // Assess
    expect(error).toBeInstanceOf(MonolithDrainingError);
    expect(error.name).toBe('MonolithDrainingError');
    expect(error.message).toBe('drain monolith api: 2 task(s) running and 0 target(s) still in its group');
    expect(aws.elbv2).not.toHaveReceivedCommand(DescribeTargetHealthCommand);
  });

  it('throws MonolithDrainingError while no task counts as running but its targets still drain', async () => {
    // Prepare: ECS stopped counting the tasks (DEACTIVATING); the group still drains their connections
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));
    givenTargetHealth({ [targetGroupArn('api')]: ['draining', 'draining'] });

    // Act
    const error = await rejectionOf(checkDrained());

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: targetGroupArn('api') });
    expect(error).toBeInstanceOf(MonolithDrainingError);
    expect(error.message).toBe('drain monolith api: 0 task(s) running and 2 target(s) still in its group');
  });

  it('throws ValidationError naming the field when the cut-over has no monolith', async () => {
    // Act
    const error = await rejectionOf(checkDrained(dueCutover({ monolith: undefined })));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('cutover.monolith');
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
  });

  it('throws ValidationError naming the field when the input is not a cut-over state', async () => {
    // Act
    const error = await rejectionOf(checkDrained({ ...scaledDown(), executionName: '' }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('cutover.executionName');
  });

  it('throws TransientAwsError when DescribeServices is throttled', async () => {
    // Prepare
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(checkDrained());

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
  });
});
