import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { executions, show } from '../../../cli/commands/executions';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rollout-dev-rollout';
const sfn = mockClient(SFNClient);

function captureStdout(): { text: () => string; restore: () => void } {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

describe('rollout executions / show --aws', () => {
  beforeEach(() => sfn.reset());

  it('lists the deployed state machine executions', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        { executionArn: `${STATE_MACHINE}:posts-1`, stateMachineArn: STATE_MACHINE, name: 'posts-1', status: 'SUCCEEDED', startDate: new Date('2026-11-26T09:00:00Z'), stopDate: new Date('2026-11-26T09:01:00Z') },
      ],
    });
    const stdout = captureStdout();

    const code = await executions({ aws: true, stateMachineArn: STATE_MACHINE, json: true }, new SFNClient({ region: 'us-east-1' })).finally(stdout.restore);

    expect(code).toBe(0);
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE });
    expect(JSON.parse(stdout.text())).toEqual([{ name: 'posts-1', status: 'SUCCEEDED', startedAt: '2026-11-26T09:00:00.000Z', stoppedAt: '2026-11-26T09:01:00.000Z', error: null, cause: null }]);
    expect(sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });

  it("shows one execution's states from its history", async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'ExecutionStarted', timestamp: new Date('2026-11-26T09:00:00Z') },
        { id: 2, type: 'TaskStateEntered', timestamp: new Date('2026-11-26T09:00:01Z'), stateEnteredEventDetails: { name: 'Resolve release' } },
      ],
    });
    const stdout = captureStdout();

    await show('posts-1', { aws: true, stateMachineArn: STATE_MACHINE, json: true }, new SFNClient({ region: 'us-east-1' })).finally(stdout.restore);

    expect(sfn).toHaveReceivedCommandWith(GetExecutionHistoryCommand, { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:ecs-rollout-dev-rollout:posts-1' });
    expect(JSON.parse(stdout.text())).toMatchObject({ name: 'posts-1', history: [{ type: 'ExecutionStarted' }, { type: 'TaskStateEntered', state: 'Resolve release' }] });
  });

  it('lists the error and cause of a failed execution, read with DescribeExecution', async () => {
    // Prepare
    const executionArn = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:posts-2`;
    sfn.on(ListExecutionsCommand).resolves({
      executions: [{ executionArn, stateMachineArn: STATE_MACHINE, name: 'posts-2', status: 'FAILED', startDate: new Date('2026-11-26T09:00:00Z'), stopDate: new Date('2026-11-26T09:01:00Z') }],
    });
    sfn.on(DescribeExecutionCommand).resolves({ executionArn, stateMachineArn: STATE_MACHINE, status: 'FAILED', startDate: new Date(), error: 'AwsRequestError', cause: 'AwsRequestError: create rule: AccessDenied. Restored: nothing needed restoring.' });
    const stdout = captureStdout();

    // Act
    await executions({ aws: true, stateMachineArn: STATE_MACHINE, json: true }, new SFNClient({ region: 'us-east-1' })).finally(stdout.restore);

    // Assess
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn });
    expect(JSON.parse(stdout.text())).toMatchObject([{ name: 'posts-2', status: 'FAILED', error: 'AwsRequestError', cause: 'AwsRequestError: create rule: AccessDenied. Restored: nothing needed restoring.' }]);
  });

  it("shows a failed execution's error with its cause, and names the Task state that timed out", async () => {
    // Prepare
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'ExecutionStarted', timestamp: new Date('2026-11-26T09:00:00Z') },
        { id: 2, type: 'TaskStateEntered', timestamp: new Date('2026-11-26T09:00:01Z'), stateEnteredEventDetails: { name: 'Deploy service' } },
        { id: 3, type: 'TaskTimedOut', timestamp: new Date('2026-11-26T09:01:01Z'), taskTimedOutEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' } },
        { id: 4, type: 'ExecutionFailed', timestamp: new Date('2026-11-26T09:01:02Z'), executionFailedEventDetails: { error: 'States.Timeout', cause: 'States.Timeout: no cause reported. Restored: removed new service posts.' } },
      ],
    });
    const stdout = captureStdout();

    // Act
    await show('posts-1', { aws: true, stateMachineArn: STATE_MACHINE, json: false }, new SFNClient({ region: 'us-east-1' })).finally(stdout.restore);

    // Assess
    expect(stdout.text().trim().split('\n').at(-1)).toBe(
      '2026-11-26T09:01:02.000Z  ExecutionFailed  States.Timeout: "Deploy service" timed out (its Task did not answer within 60 s). Restored: removed new service posts.',
    );
  });

  it('refuses --aws without a state machine ARN, before any call', async () => {
    delete process.env.ROLLOUT_STATE_MACHINE_ARN;

    await expect(executions({ aws: true, json: true }, new SFNClient({ region: 'us-east-1' }))).rejects.toMatchObject({ name: 'UsageError' });
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});
