import { CUTOVER_INPUT, runCutover, runWorkflow } from './harness';

const RESOLVE = ['Resolve release', 'What to do?'];
const LOCK = ['Acquire service lock', 'Record prior state', 'Still to deploy?', 'Register task definition', 'Monolith or microservice?'];
const TARGET_GROUP_AND_RULE = ['Ensure target group', 'Ensure listener rule'];
const DEPLOY = ['Deploy service'];
const GATE_POLL = ['Wait for service to be healthy', 'Check service health', 'Service healthy?'];
const FINISH = ['Release service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Done'];
const CUT_OVER = ['Acquire monolith lock', 'Check cut-over', 'Cut-over due?', 'Drop monolith traffic', 'Scale monolith to zero', 'Wait for monolith to drain', 'Check monolith drained', 'Release monolith lock', 'Done'];

describe('rollout.asl.yaml with stubbed steps: the path of a successful push', () => {
  it('rolls out a new microservice step by step, polls health until healthy, shifts traffic, frees its lock, then asks for the cut-over', async () => {
    const { execution, callsTo, virtualSeconds } = await runWorkflow({ healthPolls: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, ...LOCK, ...TARGET_GROUP_AND_RULE, ...DEPLOY, ...GATE_POLL, ...GATE_POLL, ...GATE_POLL, 'Shift traffic', 'Service healthy?', ...FINISH]);
    expect(execution.transitions).toBe(execution.states.length);
    expect(callsTo('Check service health').map((call) => (call.input.gate as { polls: number }).polls)).toEqual([0, 1, 2]);
    // The gate's Wait uses the seconds the steps ask for: 5 after Deploy service, then 3 per waiting poll.
    expect(virtualSeconds).toBe(5 + 3 + 3);
    expect(execution.output).toMatchObject({ release: { live: true, gate: { healthy: true } }, cutover: { started: false } });
  });

  it('takes the lock with a conditional write on the service\'s lock item, owned by this execution, with the lease Resolve fixed', async () => {
    const { callsTo } = await runWorkflow();

    expect(callsTo('Acquire service lock')[0]?.input).toEqual({
      TableName: '${LockTableName}',
      Key: { pk: { S: 'lock#posts' } },
      UpdateExpression: 'SET #owner = :owner, leaseUntil = :until',
      ConditionExpression: 'attribute_not_exists(#owner) OR leaseUntil < :now OR #owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': { S: 'posts-exec-1' }, ':until': { S: '2026-11-26T10:00:00.000Z' }, ':now': { S: expect.stringMatching(/^2026-.*Z$/) } },
      ReturnValues: 'ALL_OLD',
    });
  });

  it('records what is live and frees the lock in one conditional write once traffic has shifted', async () => {
    const { callsTo } = await runWorkflow();

    expect(callsTo('Release service lock')[0]?.input).toMatchObject({
      Key: { pk: { S: 'lock#posts' } },
      UpdateExpression: 'SET deployedDigest = :digest, deployedTime = :time, deployedBy = :owner REMOVE #owner, leaseUntil',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeValues: { ':owner': { S: 'posts-exec-1' }, ':digest': { S: `sha256:${'a'.repeat(64)}` }, ':time': { S: '2026-11-26T09:00:00Z' } },
    });
  });

  it('hands "Record prior state" the lock item as it was, so it can tell a newer live push', async () => {
    const { callsTo } = await runWorkflow();
    expect(callsTo('Record prior state')[0]?.input).toMatchObject({ release: { service: 'posts' }, lock: {} });
  });

  it('waits 10 s while the lock is held, resolves the push again (a fresh lease, read at each new entry of the lock state), then rolls out', async () => {
    const { execution, callsTo, virtualSeconds } = await runWorkflow({ lockBusy: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    // After a wait only the lock decides ("What to do?" goes straight back to it): retired/up to date are judged under it.
    const waitLoop = ['Acquire service lock', 'Wait for service lock', 'Resolve release', 'What to do?'];
    expect(execution.states.slice(0, 10)).toEqual([...RESOLVE, ...waitLoop, ...waitLoop]);
    expect(callsTo('Acquire service lock').map((call) => call.at - callsTo('Acquire service lock')[0]!.at)).toEqual([0, 10_000, 20_000]);
    expect(callsTo('Resolve release')).toHaveLength(3);
    // $$.State.EnteredTime is read anew at each entry: a dead holder's lease is seen to run out.
    const nows = callsTo('Acquire service lock').map((call) => ((call.input.ExpressionAttributeValues as Record<string, { S: string }>)[':now']?.S ?? ''));
    expect(new Set(nows).size).toBe(3);
    expect(virtualSeconds).toBe(20 + 5);
  });

  it('deploys a monolith push without target group, listener rule or traffic shift', async () => {
    const { execution } = await runWorkflow({ role: 'monolith' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, ...LOCK, ...DEPLOY, ...GATE_POLL, ...FINISH]);
  });

  it('takes no lock and changes nothing for an already-live push, only asking whether the cut-over is due', async () => {
    const { execution, calls } = await runWorkflow({ upToDate: true });

    expect(execution.states).toEqual([...RESOLVE, 'Start cut-over if due', 'Succeeded or failed?', 'Done']);
    expect(calls.map((call) => call.state)).toEqual(['Resolve release', 'Start cut-over if due']);
  });

  it('ends at once for a monolith push after the cut-over, calling nothing else', async () => {
    const { execution, calls } = await runWorkflow({ role: 'monolith', retired: true });

    expect(execution.states).toEqual([...RESOLVE, 'Done']);
    expect(calls.map((call) => call.state)).toEqual(['Resolve release']);
  });

  it.each([
    ['a newer push of the service is already live', { superseded: true }, 'lock#posts'],
    ['the monolith was cut over while this push of it waited', { role: 'monolith' as const, retiredUnderLock: true }, 'lock#api'],
  ])('frees the lock and deploys nothing when %s', async (_case, script, lockKey) => {
    const { execution, callsTo } = await runWorkflow(script);

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, 'Acquire service lock', 'Record prior state', 'Still to deploy?', 'Free service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Done']);
    expect(callsTo('Free service lock')[0]?.input).toMatchObject({ Key: { pk: { S: lockKey } }, UpdateExpression: 'REMOVE #owner, leaseUntil', ConditionExpression: '#owner = :owner' });
  });
});

describe('cutover.asl.yaml with stubbed steps', () => {
  it('takes the monolith\'s lock, re-checks, drops its traffic, scales it to zero, waits out the drain and frees the lock', async () => {
    const { execution, callsTo, virtualSeconds } = await runCutover({ drainPolls: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual(CUT_OVER);
    // Two "still draining" answers are retried every 15 s: billed as transitions, no extra states.
    expect(execution.transitions).toBe(CUT_OVER.length + 2);
    expect(virtualSeconds).toBe(25 + 15 + 15);
    expect(callsTo('Acquire monolith lock')[0]?.input).toMatchObject({ Key: { pk: { S: 'lock#api' } }, ExpressionAttributeValues: { ':owner': { S: 'cutover-x-1' }, ':until': { S: CUTOVER_INPUT.leaseUntil } } });
    expect(callsTo('Check cut-over')[0]?.input).toEqual({ executionName: 'cutover-x-1', startedBy: 'posts-exec-1' });
  });

  it('frees the lock and changes nothing when the cut-over is no longer due under the lock', async () => {
    const { execution, calls } = await runCutover({ cutoverDue: false });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual(['Acquire monolith lock', 'Check cut-over', 'Cut-over due?', 'Release monolith lock', 'Done']);
    expect(calls.map((call) => call.state)).not.toContain('Drop monolith traffic');
  });

  it('tries the monolith\'s lock again every 10 s while a push of the monolith holds it, then cuts over', async () => {
    const { execution, callsTo } = await runCutover({ lockBusy: 3 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo('Acquire monolith lock').map((call) => call.at - callsTo('Acquire monolith lock')[0]!.at)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(execution.states).toContain('Drop monolith traffic');
  });

  it('gives up after 30 minutes of a held monolith lock, changing nothing, so the next rollout to end starts the next attempt', async () => {
    const { execution, calls } = await runCutover({ lockBusy: 1000 });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(calls.filter((call) => call.state === 'Acquire monolith lock')).toHaveLength(181);
    expect(calls.map((call) => call.state)).not.toContain('Check cut-over');
  });
});
