import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteRuleCommand, DeleteTargetGroupCommand, ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StopExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { renderAbort } from '../../../cli/abort/render';
import { abortExecution, type AbortPorts } from '../../../cli/abort/abort-execution';
import { AbortIncompleteError, ExecutionNotRunningError, ExecutionStateUnreadableError, LockNotHeldError } from '../../../cli/abort/abort-errors';
import { UsageError } from '../../../cli/usage-error';
import { makeHandler as makeCompensate } from '../../../functions/compensate';
import { createLockTable } from '../../../lib/aws/lock-table';
import { createExecutionControl } from '../../../lib/aws/sfn-execution-control';
import { CUTOVER_EXECUTION, dueCutover, liveMicroserviceRules, microservices, monolithGroup } from '../functions/cutover.fixtures';
import {
  CLUSTER,
  FIXED_503,
  LEASE_UNTIL,
  LISTENER_ARN,
  NOW,
  STATE_MACHINE_ARN,
  aws,
  awsError,
  defaultRule,
  ecsService,
  forward,
  givenRules,
  givenServices,
  givenTargetGroups,
  manifestNamed,
  observedTargetGroup,
  pathRule,
  rejectionOf,
  releaseFor,
  resetAws,
  ruleArn,
  targetGroupArn,
  taskDefinitionArn,
  testDeps,
} from '../functions/fixtures';

const dynamodb = mockClient(DynamoDBClient);
const TABLE = 'ecs-rollout-dev-locks';
const NAME = 'posts-98cf390a9790526325315c828548fb07';
const EXECUTION_ARN = `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${NAME}`;
const postsGroup = targetGroupArn('posts');
const toMonolith = forward([monolithGroup, 1]);
const firstRollout = { service: { exists: false }, targetGroupExisted: false, rule: null };
/** posts' first rollout in its health gate: rule, service and group made, its prior state (none of them) recorded. */
const inHealthGate = { event: { source: 'aws.ecr' }, release: releaseFor('posts', { before: firstRollout, taskDefinitionArn: taskDefinitionArn('posts', 1), targetGroupArn: postsGroup, ruleArn: ruleArn('rule-1') }) };

/** A history as GetExecutionHistory answers it newest first: the newest state's data, an older state's, the start. */
function givenHistory(name: string, state: string, data: unknown, newest: { type: string; at: number } = { type: 'WaitStateEntered', at: NOW }): void {
  const events: HistoryEvent[] = [
    { id: 12, type: newest.type as HistoryEvent['type'], timestamp: new Date(newest.at), stateEnteredEventDetails: { name: state, input: JSON.stringify(data) } },
    { id: 11, type: 'TaskStateExited', timestamp: new Date(NOW), stateExitedEventDetails: { name: 'Deploy service', output: JSON.stringify({ older: true }) } },
    { id: 1, type: 'ExecutionStarted', timestamp: new Date(NOW), executionStartedEventDetails: { input: JSON.stringify({ event: {} }) } },
  ];
  aws.sfn.on(GetExecutionHistoryCommand, { executionArn: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}` }).resolves({ events });
}

/** RUNNING until StopExecution, ABORTED after it, as DescribeExecution tells it. */
function givenRunning(name = NAME): void {
  let stopped = false;
  aws.sfn.on(StopExecutionCommand).callsFake(() => {
    stopped = true;
    return { stopDate: new Date(NOW) };
  });
  aws.sfn.on(DescribeExecutionCommand).callsFake(() => ({ executionArn: name, status: stopped ? 'ABORTED' : 'RUNNING', startDate: new Date(NOW) }));
}

function givenLock(key: string, owner: string | undefined, leaseUntil = LEASE_UNTIL): void {
  dynamodb.on(GetItemCommand, { Key: { pk: { S: key } } }).resolves({ Item: { pk: { S: key }, ...(owner ? { owner: { S: owner }, leaseUntil: { S: leaseUntil } } : {}) } });
}

function givenPostsDeployed(): void {
  givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));
  givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 1) }));
  givenTargetGroups(observedTargetGroup(manifestNamed('posts')));
}

function ports(stateMachineArn = STATE_MACHINE_ARN): AbortPorts {
  return {
    executions: createExecutionControl(new SFNClient({ region: 'us-east-1' }), stateMachineArn),
    locks: createLockTable(new DynamoDBClient({ region: 'us-east-1' }), TABLE),
    compensate: makeCompensate(testDeps()),
    where: `state machine ${stateMachineArn}`,
    now: () => NOW,
    sleep: () => Promise.resolve(),
  };
}

/** A call of any of the stubs (sinon's spy calls know their order across stubs). */
interface StubCall {
  readonly args: readonly unknown[];
  calledBefore(call: StubCall): boolean;
}

/** The writes sent to Step Functions, ECS and ELB, in the order they were sent. */
function writes(): string[] {
  const calls = [...aws.sfn.calls(), ...aws.ecs.calls(), ...aws.elbv2.calls()] as unknown as StubCall[];
  return calls
    .sort((a, b) => (a.calledBefore(b) ? -1 : 1))
    .map((call) => (call.args[0] as object).constructor.name)
    .filter((name) => /^(Create|Delete|Modify|Update|Put|Register|Stop)/.test(name));
}
const lockWrites = () => dynamodb.commandCalls(UpdateItemCommand).map((call) => call.args[0].input);
const freeLock = (key: string, owner: string) => ({
  TableName: TABLE,
  Key: { pk: { S: key } },
  UpdateExpression: 'REMOVE #owner, leaseUntil',
  ConditionExpression: '#owner = :owner',
  ExpressionAttributeNames: { '#owner': 'owner' },
  ExpressionAttributeValues: { ':owner': { S: owner } },
});

describe('abortExecution', () => {
  beforeEach(() => {
    resetAws();
    dynamodb.reset();
    dynamodb.on(UpdateItemCommand).resolves({});
  });

  it('stops a first rollout in its health gate, then removes its rule, service and group under its lock, and frees the lock', async () => {
    // Prepare
    givenRunning();
    givenHistory(NAME, 'Wait for service to be healthy', inHealthGate);
    givenLock('lock#posts', NAME);
    givenPostsDeployed();

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess: stopped first, then the compensation's writes, then the lock, as the owner
    expect(aws.sfn).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn: EXECUTION_ARN, error: 'ExecutionAborted', cause: 'stopped by rollout abort in "Wait for service to be healthy"' });
    expect(writes()).toEqual(['StopExecutionCommand', 'DeleteRuleCommand', 'DeleteServiceCommand', 'DeleteTargetGroupCommand']);
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteRuleCommand, { RuleArn: ruleArn('rule-1') });
    expect(aws.ecs).toHaveReceivedCommandWith(DeleteServiceCommand, { cluster: CLUSTER, service: 'posts', force: true });
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteTargetGroupCommand, { TargetGroupArn: postsGroup });
    expect(dynamodb).toHaveReceivedCommandWith(GetItemCommand, { TableName: TABLE, Key: { pk: { S: 'lock#posts' } }, ConsistentRead: true });
    expect(lockWrites()).toEqual([freeLock('lock#posts', NAME)]);
    expect(report).toEqual({
      execution: NAME,
      kind: 'rollout',
      stoppedIn: 'Wait for service to be healthy',
      statusBefore: 'RUNNING',
      statusAfter: 'ABORTED',
      waitedForStepSeconds: 0,
      outcome: 'restored',
      reason: 'the prior state it recorded under lock#posts before its first change',
      restored: ['removed rule /api/posts*: those paths go to the monolith again', 'removed new service posts', 'removed new target group posts'],
      lock: { key: 'lock#posts', heldBy: NAME, freed: true },
    });
  });

  it('stopped while a step\'s Lambda runs: waits until it cannot be running any more (its Task\'s 60 s), then restores', async () => {
    // Prepare: "Deploy service" was entered 20 s ago and has not ended
    givenRunning();
    givenHistory(NAME, 'Deploy service', inHealthGate, { type: 'TaskStateEntered', at: NOW - 20_000 });
    givenLock('lock#posts', NAME);
    givenPostsDeployed();
    const slept: number[] = [];
    let restoredAfterSleep = false;
    const base = ports();
    const compensate: AbortPorts['compensate'] = async (input) => {
      restoredAfterSleep = slept.includes(40_000);
      return base.compensate(input);
    };

    // Act
    const report = await abortExecution(NAME, { ...base, compensate, sleep: (ms) => Promise.resolve(void slept.push(ms)) });

    // Assess
    expect(restoredAfterSleep).toBe(true);
    expect(report).toMatchObject({ stoppedIn: 'Deploy service', waitedForStepSeconds: 40, outcome: 'restored' });
    expect(renderAbort(report)).toContain('Waited 40 s for that step, already running when it stopped, to end before restoring.');
  });

  it('reads the newest state by event id, so a history answered oldest first (moto) reads the same', async () => {
    // Prepare
    givenRunning();
    aws.sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'ExecutionStarted', timestamp: new Date(NOW), executionStartedEventDetails: { input: '{}' } },
        { id: 11, type: 'TaskStateExited', timestamp: new Date(NOW), stateExitedEventDetails: { name: 'Deploy service', output: JSON.stringify({ event: {} }) } },
        { id: 12, type: 'WaitStateEntered', timestamp: new Date(NOW), stateEnteredEventDetails: { name: 'Wait for service to be healthy', input: JSON.stringify(inHealthGate) } },
        { id: 13, type: 'ExecutionAborted', timestamp: new Date(NOW) },
      ],
    });
    givenLock('lock#posts', NAME);
    givenPostsDeployed();

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess
    expect(report).toMatchObject({ stoppedIn: 'Wait for service to be healthy', outcome: 'restored', lock: { freed: true } });
    expect(aws.sfn).toHaveReceivedCommandWith(GetExecutionHistoryCommand, { executionArn: EXECUTION_ARN, reverseOrder: true, includeExecutionData: true });
  });

  it('reads an oldest-first history to its last page, where its newest state is (a bake makes more than one page)', async () => {
    // Prepare: page 1 holds an early state, page 2 the state it stopped in
    givenRunning();
    const page = (events: HistoryEvent[], nextToken?: string) => ({ events, ...(nextToken ? { nextToken } : {}) });
    const first = page([
      { id: 1, type: 'ExecutionStarted', timestamp: new Date(NOW), executionStartedEventDetails: { input: '{}' } },
      { id: 2, type: 'TaskStateExited', timestamp: new Date(NOW), stateExitedEventDetails: { name: 'Resolve release', output: JSON.stringify({ event: {} }) } },
    ], 'page-2');
    const second = page([
      { id: 12, type: 'WaitStateEntered', timestamp: new Date(NOW), stateEnteredEventDetails: { name: 'Wait for service to be healthy', input: JSON.stringify(inHealthGate) } },
      { id: 13, type: 'ExecutionAborted', timestamp: new Date(NOW) },
    ]);
    aws.sfn.on(GetExecutionHistoryCommand).callsFake((input: { nextToken?: string }) => (input.nextToken === 'page-2' ? second : first));
    givenLock('lock#posts', NAME);
    givenPostsDeployed();

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess
    expect(report).toMatchObject({ stoppedIn: 'Wait for service to be healthy', outcome: 'restored' });
  });

  it.each(['SUCCEEDED', 'FAILED', 'ABORTED'] as const)('refuses an execution that is %s with ExecutionNotRunningError, sending nothing', async (status) => {
    // Prepare
    aws.sfn.on(DescribeExecutionCommand).resolves({ status });

    // Act
    const error = await rejectionOf(abortExecution(NAME, ports()));

    // Assess
    expect(error).toBeInstanceOf(ExecutionNotRunningError);
    expect(error.message).toBe(`${NAME} is ${status}, not RUNNING: nothing to abort, nothing changed`);
    expect(writes()).toEqual([]);
    expect(lockWrites()).toEqual([]);
  });

  it('names the state machine it looked in when there is no such execution (a usage error)', async () => {
    // Act
    const error = await rejectionOf(abortExecution('posts-nope', ports()));

    // Assess
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`no execution named posts-nope in state machine ${STATE_MACHINE_ARN}`);
  });

  it.each<[string, string | undefined, string, string]>([
    ['another execution holds it', 'posts-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', LEASE_UNTIL, `lock#posts is held by posts-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa (lease until ${LEASE_UNTIL})`],
    ['nobody holds it', undefined, LEASE_UNTIL, 'lock#posts is not held'],
  ])('refuses with LockNotHeldError when %s, before stopping: nothing changed', async (_case, owner, leaseUntil, holder) => {
    // Prepare
    givenRunning();
    givenHistory(NAME, 'Wait for service to be healthy', inHealthGate);
    givenLock('lock#posts', owner, leaseUntil);
    givenPostsDeployed();

    // Act
    const error = await rejectionOf(abortExecution(NAME, ports()));

    // Assess
    expect(error).toBeInstanceOf(LockNotHeldError);
    expect(error.message).toBe(`${NAME} is RUNNING but ${holder}: restoring could undo another execution's work; nothing changed`);
    expect(writes()).toEqual([]);
    expect(lockWrites()).toEqual([]);
  });

  it('restores under its own lock whose lease ran out (nobody took it since): renews the lease, as its owner, first', async () => {
    // Prepare
    givenRunning();
    givenHistory(NAME, 'Wait for service to be healthy', inHealthGate);
    givenLock('lock#posts', NAME, '2026-11-26T09:00:00.000Z');
    givenPostsDeployed();

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess: renewed for twice compensation's 120 s, then the restore, then freed
    expect(lockWrites()).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: 'lock#posts' } },
        UpdateExpression: 'SET leaseUntil = :until',
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: NAME }, ':until': { S: new Date(NOW + 240_000).toISOString() } },
      },
      freeLock('lock#posts', NAME),
    ]);
    expect(report).toMatchObject({ outcome: 'restored', restored: expect.arrayContaining(['removed new service posts']) });
  });

  it('stops a rollout that has not recorded its prior state, restores nothing and frees the lock it had just taken', async () => {
    // Prepare: stopped in "Record prior state" right after "Acquire service lock"
    givenRunning();
    givenHistory(NAME, 'Record prior state', { event: {}, release: releaseFor('posts'), lock: {} });
    givenLock('lock#posts', NAME);

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess
    expect(writes()).toEqual(['StopExecutionCommand']);
    expect(lockWrites()).toEqual([freeLock('lock#posts', NAME)]);
    expect(report).toMatchObject({ outcome: 'nothing-to-restore', reason: 'it had not recorded its prior state yet: it changed nothing', restored: [], lock: { key: 'lock#posts', heldBy: NAME, freed: true } });
  });

  it('stops a rollout that is live without undoing it, and releases its lock with its release record, as "Release service lock" does', async () => {
    // Prepare
    const live = releaseFor('posts', { before: firstRollout, live: true });
    givenRunning();
    givenHistory(NAME, 'Release service lock', { event: {}, release: live });
    givenLock('lock#posts', NAME);

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess
    expect(writes()).toEqual(['StopExecutionCommand']);
    expect(lockWrites()).toEqual([
      {
        ...freeLock('lock#posts', NAME),
        UpdateExpression: 'SET deployedDigest = :digest, deployedTime = :time, deployedBy = :owner REMOVE #owner, leaseUntil',
        ExpressionAttributeValues: { ':owner': { S: NAME }, ':digest': { S: live.push.digest }, ':time': { S: live.push.time } },
      },
    ]);
    expect(report).toMatchObject({ outcome: 'not-undone', restored: [], lock: { freed: true } });
  });

  it('reports a lock the owner condition refused (taken between the read and the write) as not freed', async () => {
    // Prepare
    givenRunning();
    givenHistory(NAME, 'Record prior state', { event: {}, release: releaseFor('posts'), lock: {} });
    givenLock('lock#posts', NAME);
    dynamodb.on(UpdateItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess
    expect(lockWrites()).toEqual([freeLock('lock#posts', NAME)]);
    expect(report.lock).toEqual({ key: 'lock#posts', heldBy: NAME, freed: false });
  });

  it('stops nothing more when the execution ended on its own before the stop took effect', async () => {
    // Prepare
    aws.sfn.on(DescribeExecutionCommand).resolvesOnce({ status: 'RUNNING' }).resolves({ status: 'SUCCEEDED' });
    givenHistory(NAME, 'Start cut-over if due', { event: {}, release: releaseFor('posts', { before: firstRollout, live: true }) });

    // Act
    const error = await rejectionOf(abortExecution(NAME, ports()));

    // Assess
    expect(error).toBeInstanceOf(ExecutionNotRunningError);
    expect(error.message).toBe(`${NAME} ended SUCCEEDED before the stop took effect: nothing aborted, nothing changed`);
    expect(writes()).toEqual(['StopExecutionCommand']);
    expect(lockWrites()).toEqual([]);
  });

  it('leaves a lock it does not hold alone', async () => {
    // Prepare: it had found a newer push live; its lock is already someone else's
    givenRunning();
    givenHistory(NAME, 'Start cut-over if due', { event: {}, release: releaseFor('posts', { before: firstRollout, superseded: true }) });
    givenLock('lock#posts', 'posts-cccccccccccccccccccccccccccccccc');

    // Act
    const report = await abortExecution(NAME, ports());

    // Assess
    expect(writes()).toEqual(['StopExecutionCommand']);
    expect(lockWrites()).toEqual([]);
    expect(report.lock).toEqual({ key: 'lock#posts', heldBy: 'posts-cccccccccccccccccccccccccccccccc', freed: false });
  });

  it('says the execution was stopped and its lock kept when restoring fails (AbortIncompleteError), and frees nothing', async () => {
    // Prepare
    givenRunning();
    givenHistory(NAME, 'Wait for service to be healthy', inHealthGate);
    givenLock('lock#posts', NAME);
    givenPostsDeployed();
    aws.ecs.on(DeleteServiceCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: ecs:DeleteService'));

    // Act
    const error = await rejectionOf(abortExecution(NAME, ports()));

    // Assess
    expect(error).toBeInstanceOf(AbortIncompleteError);
    expect(error.message).toMatch(new RegExp(`^${NAME} was stopped \\(ABORTED\\), but restoring failed: compensate after ExecutionAborted: .*AccessDeniedException.*; restored so far: removed rule /api/posts\\*: those paths go to the monolith again; lock#posts stays held by it until ${LEASE_UNTIL}$`));
    expect(writes()).toEqual(['StopExecutionCommand', 'DeleteRuleCommand', 'DeleteServiceCommand']);
    expect(lockWrites()).toEqual([]);
  });

  it('refuses a history it cannot read (ExecutionStateUnreadableError) before stopping anything', async () => {
    // Prepare
    givenRunning();
    aws.sfn.on(GetExecutionHistoryCommand).resolves({
      events: [{ id: 5, type: 'WaitStateEntered', timestamp: new Date(NOW), stateEnteredEventDetails: { name: 'Wait for service to be healthy', input: '{"event":', inputDetails: { truncated: true } } }],
    });

    // Act
    const error = await rejectionOf(abortExecution(NAME, ports()));

    // Assess
    expect(error).toBeInstanceOf(ExecutionStateUnreadableError);
    expect(error.message).toBe(`cannot read what ${NAME} changed: execution ${NAME}: the history truncates the data of "Wait for service to be healthy"`);
    expect(writes()).toEqual([]);
  });

  it('stops a cut-over while the monolith drains, puts back the listener actions and the monolith, and frees the monolith lock', async () => {
    // Prepare: traffic dropped, the monolith scaled to zero
    const CUTOVER_MACHINE = STATE_MACHINE_ARN.replace(':rollout', ':cutover');
    givenRunning(CUTOVER_EXECUTION);
    aws.sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        {
          id: 20,
          type: 'WaitStateEntered',
          timestamp: new Date(NOW),
          stateEnteredEventDetails: {
            name: 'Wait for monolith to drain',
            input: JSON.stringify({ lockKey: 'lock#api', leaseUntil: LEASE_UNTIL, startedBy: 'threads-x', services: [...microservices], cutover: { ...dueCutover(), drainWaitSeconds: 300 } }),
          },
        },
      ],
    });
    givenLock('lock#api', CUTOVER_EXECUTION);
    givenRules(...liveMicroserviceRules(), pathRule(99, ['/api*'], FIXED_503), defaultRule(FIXED_503));
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 1 }), ...microservices.map((name) => ecsService(name)));

    // Act
    const report = await abortExecution(CUTOVER_EXECUTION, ports(CUTOVER_MACHINE));

    // Assess
    expect(aws.sfn).toHaveReceivedCommandWith(StopExecutionCommand, { executionArn: `${CUTOVER_MACHINE.replace(':stateMachine:', ':execution:')}:${CUTOVER_EXECUTION}` });
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-99'), Actions: toMonolith });
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, { ListenerArn: LISTENER_ARN, DefaultActions: toMonolith });
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'api', desiredCount: 1 });
    expect(lockWrites()).toEqual([freeLock('lock#api', CUTOVER_EXECUTION)]);
    expect(report).toMatchObject({ kind: 'cutover', outcome: 'restored', restored: expect.arrayContaining(['monolith api back to 1 task(s)']) as unknown, lock: { key: 'lock#api', freed: true } });
  });
});
