import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeExecutionCommand, StartExecutionCommand, type ExecutionStatus } from '@aws-sdk/client-sfn';
import { makeHandler } from '../../../functions/start-cutover';
import { cutoverExecutionName, MAX_CUTOVER_ATTEMPTS, MAX_FAILED_CUTOVERS } from '../../../lib/domain/cutover-name';
import { TransientAwsError, ValidationError } from '../../../lib/errors';
import { cutoverRelease, givenCutoverDue } from './cutover.fixtures';
import {
  ACCOUNT,
  CUTOVER_STATE_MACHINE_ARN,
  LISTENER_ARN,
  REGION,
  aws,
  awsError,
  commandsSent,
  ecsService,
  expectNoMutations,
  givenServices,
  rejectionOf,
  resetAws,
  testDeps,
} from './fixtures';

/** The microservices of services/, in the catalog's (folder name) order. */
const SERVICES = ['posts', 'threads', 'users'];
const attemptName = (attempt: number) => cutoverExecutionName(LISTENER_ARN, SERVICES, attempt);
const executionArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:cutover:${name}`;
const READY_REASON = 'all 3 microservices live; 2 listener action(s) still reach the monolith, which runs 1 task(s)';

const startCutover = (input: unknown = { release: cutoverRelease }) => makeHandler(testDeps())(input);

function givenAttempt(attempt: number, status: ExecutionStatus): void {
  aws.sfn.on(DescribeExecutionCommand, { executionArn: executionArn(attemptName(attempt)) }).resolves({ status, input: '{}' });
}

/** The input of the one StartExecution sent, parsed. */
function startedInput(): unknown {
  const [call] = aws.sfn.commandCalls(StartExecutionCommand);
  return JSON.parse(call?.args[0].input.input ?? 'null');
}

describe('start-cutover', () => {
  beforeEach(() => {
    resetAws();
    givenCutoverDue();
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn(attemptName(1)), startDate: new Date() });
  });

  it('starts the cut-over as its own execution, named from the listener and the services, once every microservice is live', async () => {
    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArn(attemptName(1)) });
    expect(aws.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(aws.sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: CUTOVER_STATE_MACHINE_ARN, name: attemptName(1) });
    expect(startedInput()).toEqual({
      lockKey: 'lock#api',
      // NOW (09:05) + 30 min waiting for the monolith's lock + the group's 300 s deregistration delay + 5 min drain retries + 15 min margin
      leaseUntil: '2026-11-26T10:00:00.000Z',
      startedBy: cutoverRelease.executionName,
      services: SERVICES,
    });
    expect(outcome).toEqual({ started: true, name: attemptName(1), reason: READY_REASON });
    // Read-only towards ECS and ELB: the cut-over itself changes things, under the monolith's lock.
    expect(commandsSent().filter((name) => /^(Create|Delete|Modify|Update|Register|Start)/.test(name))).toEqual(['StartExecutionCommand']);
  });

  it('starts nothing and says why while a microservice is not live', async () => {
    // Prepare
    givenServices(ecsService('api'), ecsService('posts'), ecsService('users'));

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(aws.sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
    expect(outcome).toEqual({ started: false, reason: 'not every microservice is live: threads (not deployed)' });
    expectNoMutations();
  });

  it.each<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED'])('starts attempt 2 when attempt 1 ended %s', async (status) => {
    // Prepare
    givenAttempt(1, status);

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArn(attemptName(2)) });
    expect(aws.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(aws.sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: CUTOVER_STATE_MACHINE_ARN, name: attemptName(2) });
    expect(outcome).toMatchObject({ started: true, name: attemptName(2) });
  });

  it('starts attempt 2 when attempt 1 SUCCEEDED without cutting over (not due under the lock) and the monolith still serves', async () => {
    // Prepare: readiness (every microservice live, the monolith still forwarded to) is what the fixtures answer
    givenAttempt(1, 'SUCCEEDED');

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: CUTOVER_STATE_MACHINE_ARN, name: attemptName(2) });
    expect(outcome).toMatchObject({ started: true, name: attemptName(2) });
  });

  it.each<[ExecutionStatus, string]>([['RUNNING', 'running']])('starts nothing when attempt 1 is %s', async (status, word) => {
    // Prepare
    givenAttempt(1, status);

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(aws.sfn).not.toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArn(attemptName(2)) });
    expect(outcome).toEqual({ started: false, name: attemptName(1), reason: `cut-over ${attemptName(1)} is already ${word}` });
  });

  it('starts nothing when attempt 2 runs after attempt 1 failed', async () => {
    // Prepare
    givenAttempt(1, 'FAILED');
    givenAttempt(2, 'RUNNING');

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(outcome).toEqual({ started: false, name: attemptName(2), reason: `cut-over ${attemptName(2)} is already running` });
  });

  it('reports the cut-over started by another rollout when Step Functions answers ExecutionAlreadyExists', async () => {
    // Prepare: the other rollout's StartExecution came between this one's DescribeExecution and StartExecution
    aws.sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn(attemptName(1))}'`));

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: attemptName(1) });
    expect(outcome).toEqual({ started: false, name: attemptName(1), reason: `cut-over ${attemptName(1)} was started by another rollout` });
  });

  it(`starts no further attempt once ${MAX_FAILED_CUTOVERS} have failed (each dropped the monolith's traffic and put it back)`, async () => {
    // Prepare: no-op successes between the failures do not count
    givenAttempt(1, 'FAILED');
    givenAttempt(2, 'SUCCEEDED');
    givenAttempt(3, 'TIMED_OUT');
    givenAttempt(4, 'FAILED');

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 4);
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(outcome).toMatchObject({ started: false, name: attemptName(4), reason: expect.stringMatching(/^3 cut-over attempts failed \(the last: cutover-[0-9a-f]{24}-4\): fix the cause/) });
  });

  it('starts nothing once every attempt name is used', async () => {
    // Prepare
    for (let attempt = 1; attempt <= MAX_CUTOVER_ATTEMPTS; attempt += 1) givenAttempt(attempt, 'SUCCEEDED');

    // Act
    const outcome = await startCutover();

    // Assess
    expect(aws.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, MAX_CUTOVER_ATTEMPTS);
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(outcome.reason).toMatch(new RegExp(`^all ${MAX_CUTOVER_ATTEMPTS} cut-over attempt names are used: `));
  });

  it('throws TransientAwsError when StartExecution is throttled, so the state machine retries', async () => {
    // Prepare
    aws.sfn.on(StartExecutionCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(startCutover());

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe(`start execution ${attemptName(1)}: ThrottlingException: Rate exceeded`);
  });

  it('throws ValidationError naming the field when the release is malformed, before any AWS call', async () => {
    // Act
    const error = await rejectionOf(startCutover({ release: { ...cutoverRelease, lockKey: '' } }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.lockKey');
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
    expect(aws.sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
