import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { makeHandler } from '../../../functions/scale-monolith';
import { AwsRequestError, ValidationError } from '../../../lib/errors';
import { dueCutover, monolithGroup } from './cutover.fixtures';
import { CLUSTER, aws, awsError, ecsService, expectNoMutations, givenServices, rejectionOf, resetAws, testDeps } from './fixtures';

const scale = (input: unknown = dueCutover()) => makeHandler(testDeps())(input);

describe('scale-monolith', () => {
  beforeEach(() => resetAws());

  it('scales the monolith to zero and first waits out its deregistration delay plus 5 s', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 1 }));

    // Act
    const cutover = await scale();

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'api', desiredCount: 0 });
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(aws.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input.taskDefinition).toBeUndefined();
    expect(cutover).toEqual({ ...dueCutover(), drainWaitSeconds: 305 });
  });

  it('waits the deregistration delay the cut-over recorded, not a fixed one', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 2 }));
    const monolith = { service: 'api', targetGroupArn: monolithGroup, desiredCount: 2, deregistrationDelaySeconds: 30 };

    // Act
    const cutover = await scale(dueCutover({ monolith }));

    // Assess
    expect(cutover.drainWaitSeconds).toBe(35);
  });

  it('sends nothing and waits 0 s when the monolith is already at zero with no task running', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));

    // Act
    const cutover = await scale();

    // Assess
    expectNoMutations();
    expect(cutover.drainWaitSeconds).toBe(0);
  });

  it('still waits for tasks that are stopping after an earlier scale-down, sending nothing', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 1 }));

    // Act
    const cutover = await scale();

    // Assess
    expectNoMutations();
    expect(cutover.drainWaitSeconds).toBe(305);
  });

  it('throws ValidationError naming the field when the cut-over has no monolith', async () => {
    // Act
    const error = await rejectionOf(scale(dueCutover({ monolith: undefined })));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('cutover.monolith');
    expectNoMutations();
  });

  it('throws AwsRequestError with the code when UpdateService is denied', async () => {
    // Prepare
    givenServices(ecsService('api'));
    aws.ecs.on(UpdateServiceCommand).rejects(awsError('AccessDeniedException', 'not authorized', 400));

    // Act
    const error = await rejectionOf(scale());

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
  });
});
