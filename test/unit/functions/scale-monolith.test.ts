import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { makeHandler } from '../../../functions/scale-monolith';
import { AwsRequestError, ValidationError } from '../../../lib/errors';
import { cutoverRelease, dueCutover } from './cutover.fixtures';
import { CLUSTER, aws, awsError, ecsService, expectNoMutations, givenServices, rejectionOf, resetAws, testDeps } from './fixtures';

describe('scale-monolith', () => {
  beforeEach(() => resetAws());

  it('scales the monolith to zero and first waits out its deregistration delay', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 1 }));

    // Act
    const cutover = await makeHandler(testDeps())({ release: cutoverRelease, cutover: dueCutover() });

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'api', desiredCount: 0 });
    expect(aws.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input.taskDefinition).toBeUndefined();
    expect(cutover.drain).toEqual({ waitedSeconds: 0, nextWaitSeconds: 305, drained: false });
  });

  it('sends nothing when the monolith is already at zero with no task running', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));

    // Act
    const cutover = await makeHandler(testDeps())({ release: cutoverRelease, cutover: dueCutover() });

    // Assess
    expectNoMutations();
    expect(cutover.drain).toEqual({ waitedSeconds: 0, nextWaitSeconds: 0, drained: false });
  });

  it('still waits for tasks that are stopping after an earlier scale-down', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 1 }));

    // Act
    const cutover = await makeHandler(testDeps())({ release: cutoverRelease, cutover: dueCutover() });

    // Assess
    expectNoMutations();
    expect(cutover.drain?.nextWaitSeconds).toBe(305);
  });

  it('throws ValidationError naming the field when the cut-over has no monolith', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ release: cutoverRelease, cutover: dueCutover({ monolith: undefined }) }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toMatch(/cutover\.monolith$/);
  });

  it('throws AwsRequestError with the code when UpdateService is denied', async () => {
    // Prepare
    givenServices(ecsService('api'));
    aws.ecs.on(UpdateServiceCommand).rejects(awsError('AccessDeniedException', 'not authorized', 400));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ release: cutoverRelease, cutover: dueCutover() }));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
  });
});
