import { StartExecutionCommand, DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { makeHandler } from '../../../functions/start-rollout';
import { AwsRequestError, TagNotDeployedError, TransientAwsError, ValidationError } from '../../../lib/errors';
import { NOW, STATE_MACHINE_ARN, aws, awsError, digestOf, pushEvent, rejectionOf, resetAws, testDeps } from './fixtures';

const executionArn = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:posts-98cf390a9790526325315c828548fb07`;

describe('start-rollout', () => {
  beforeEach(() => {
    resetAws();
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn, startDate: new Date(NOW) });
  });

  it('starts an execution named after the repository and digest, with the event and receipt time as input', async () => {
    // Prepare
    const event = pushEvent();
    const { resources: _resources, ...expected } = event as typeof event & { resources?: unknown };

    // Act
    const outcome = await makeHandler(testDeps())(event);

    // Assess
    expect(aws.sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: 'posts-98cf390a9790526325315c828548fb07',
      input: JSON.stringify({ event: expected, receivedAt: new Date(NOW).toISOString() }),
    });
    expect(outcome).toEqual({ status: 'STARTED', name: 'posts-98cf390a9790526325315c828548fb07', executionArn });
  });

  it('keeps the name within 80 characters and free of ":" and "/" for a long nested repository', async () => {
    // Act
    const outcome = await makeHandler(testDeps())(pushEvent({ repository: `platform/${'team-a/'.repeat(30)}posts`, digest: digestOf('nested') }));

    // Assess
    const name = aws.sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name ?? '';
    expect(name).toBe(outcome.name);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).not.toMatch(/[:/]/);
  });

  const FIRST = 'posts-98cf390a9790526325315c828548fb07';
  const arnOf = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:rollout:${name}`;

  it('returns DUPLICATE when the same event is delivered again, without calling StartExecution', async () => {
    // Prepare
    aws.sfn.on(DescribeExecutionCommand, { executionArn: arnOf(FIRST) }).resolves({ status: 'FAILED', input: JSON.stringify({ event: pushEvent() }) });

    // Act
    const outcome = await makeHandler(testDeps())(pushEvent());

    // Assess
    expect(outcome).toEqual({ status: 'DUPLICATE', name: FIRST });
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it.each(['RUNNING', 'SUCCEEDED'] as const)('returns DUPLICATE for a new push of an image whose rollout is %s', async (status) => {
    // Prepare
    aws.sfn.on(DescribeExecutionCommand, { executionArn: arnOf(FIRST) }).resolves({ status, input: JSON.stringify({ event: { ...pushEvent(), id: 'the-first-push' } }) });

    // Act
    const outcome = await makeHandler(testDeps())(pushEvent());

    // Assess
    expect(outcome).toEqual({ status: 'DUPLICATE', name: FIRST });
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('returns DUPLICATE when another delivery starts the same execution between its look and its start', async () => {
    // Prepare
    aws.sfn
      .on(DescribeExecutionCommand, { executionArn: arnOf(FIRST) })
      .rejectsOnce(awsError('ExecutionDoesNotExist', 'Execution Does Not Exist'))
      .resolves({ status: 'RUNNING', input: JSON.stringify({ event: pushEvent() }) });
    aws.sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 'Execution Already Exists'));

    // Act
    const outcome = await makeHandler(testDeps())(pushEvent());

    // Assess
    expect(outcome).toEqual({ status: 'DUPLICATE', name: FIRST });
    expect(aws.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });

  it('retries under the next name when the same image is pushed again after its rollout FAILED', async () => {
    // Prepare: the first name belongs to a failed execution of an earlier push of this image
    aws.sfn.on(DescribeExecutionCommand, { executionArn: arnOf(FIRST) }).resolves({ status: 'FAILED', input: JSON.stringify({ event: { ...pushEvent(), id: 'the-first-push' } }) });
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: arnOf(`${FIRST}-2`) });

    // Act
    const outcome = await makeHandler(testDeps())(pushEvent());

    // Assess
    expect(outcome).toMatchObject({ status: 'STARTED', name: `${FIRST}-2` });
    expect(aws.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(aws.sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: `${FIRST}-2` });
  });

  it('hands the workflow only the fields it reads, dropping unknown extras', async () => {
    // Act
    await makeHandler(testDeps())({ ...pushEvent(), resources: ['x'], extra: { nested: 'x'.repeat(100) }, detail: { ...pushEvent().detail, 'artifact-media-type': 'y' } });

    // Assess
    const sent = aws.sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.input ?? '{}';
    const { event } = JSON.parse(sent) as { event: Record<string, unknown> };
    expect(Object.keys(event).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'source', 'time', 'version']);
    expect(Object.keys(event.detail as object).sort()).toEqual(['action-type', 'image-digest', 'image-tag', 'repository-name', 'result']);
  });

  it('throws ValidationError naming the oversized field and starts nothing', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ ...pushEvent(), detail: { ...pushEvent().detail, 'image-tag': 'v'.repeat(20_000) } }));

    // Assess
    expect(error).toMatchObject({ name: 'ValidationError', field: 'detail.image-tag' });
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('gives a re-delivery of the same push the same name', async () => {
    // Act
    const first = await makeHandler(testDeps())(pushEvent());
    const second = await makeHandler(testDeps())({ ...pushEvent(), id: 'another-delivery-id' });

    // Assess
    expect(second.name).toBe(first.name);
    expect(aws.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
  });

  it.each([
    ['a malformed digest', { ...pushEvent(), detail: { ...pushEvent().detail, 'image-digest': 'sha256:XYZ' } }, 'detail.image-digest'],
    ['a missing repository name', { ...pushEvent(), detail: { ...pushEvent().detail, 'repository-name': undefined } }, 'detail.repository-name'],
    ['a DELETE delivered without the rule', { ...pushEvent(), detail: { ...pushEvent().detail, 'action-type': 'DELETE' } }, 'detail.action-type'],
    ['a failed push delivered without the rule', { ...pushEvent(), detail: { ...pushEvent().detail, result: 'FAILURE' } }, 'detail.result'],
    ['no detail at all', { source: 'aws.ecr' }, 'detail'],
  ])('throws ValidationError naming the field for %s and starts nothing', async (_case, event, field) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^start rollout: invalid ECR push event: ${field}: `));
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('throws TagNotDeployedError for an untagged push delivered without the rule (a buildx platform manifest or attestation) and starts nothing', async () => {
    // Prepare
    const { 'image-tag': _tag, ...detail } = pushEvent().detail;

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ ...pushEvent(), detail }));

    // Assess
    expect(error).toBeInstanceOf(TagNotDeployedError);
    expect(error.message).toMatch(/^start rollout: an untagged push of posts@sha256:[a-f0-9]{64} \(a platform manifest, an attestation or a push by digest\) starts no rollout/);
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(aws.sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it('throws TransientAwsError when StartExecution is throttled', async () => {
    // Prepare
    aws.sfn.on(StartExecutionCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(pushEvent()));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe('start execution posts-98cf390a9790526325315c828548fb07: ThrottlingException: Rate exceeded');
  });

  it('throws AwsRequestError with the code when StartExecution is denied', async () => {
    // Prepare
    aws.sfn.on(StartExecutionCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform states:StartExecution'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(pushEvent()));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
  });
});
