import { namedError, PUSH_EVENT, rollout, runCutover, runWorkflow, taskStateNames, type Script } from './harness';

/** The script under which each rollout Task state is on the execution's path. */
function scriptReaching(state: string): Script {
  if (state === 'Free service lock') return { superseded: true };
  return {};
}

/** Once the work is done (or undone), writing the lock is bookkeeping: a failure never undoes the work. */
const BOOKKEEPING: Record<string, string> = {
  'Free service lock': 'Start cut-over if due',
  'Release service lock': 'Start cut-over if due',
  'Start cut-over if due': 'Succeeded or failed?',
};
const permanentFailureStates = taskStateNames(rollout).filter((name) => name !== 'Compensate' && !(name in BOOKKEEPING));

describe('rollout.asl.yaml with stubbed steps: failures', () => {
  it('has a permanent-failure case for every Task state but Compensate and the bookkeeping steps', () => {
    expect(permanentFailureStates).toEqual([
      'Resolve release', 'Acquire service lock', 'Record prior state', 'Register task definition', 'Ensure target group', 'Ensure listener rule', 'Deploy service', 'Check service health', 'Shift traffic',
    ]);
  });

  it.each(Object.entries(BOOKKEEPING))('does not undo work when "%s" fails: it goes on to "%s"', async (state, next) => {
    const base = scriptReaching(state);
    const { execution, callsTo } = await runWorkflow({ ...base, throws: { ...base.throws, [state]: [namedError('AwsRequestError', `${state}: AccessDenied`)] } });

    const at = execution.states.lastIndexOf(state);
    expect(execution.states[at + 1]).toBe(next);
    expect(callsTo('Compensate')).toHaveLength(0);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.output ?? { bookkeepingError: { Error: 'AwsRequestError' } }).toMatchObject({ bookkeepingError: { Error: 'AwsRequestError' } });
  });

  it.each(permanentFailureStates)('compensates a permanent failure in "%s", frees the lock, asks for the cut-over and fails with the original error name', async (state) => {
    const { execution, callsTo } = await runWorkflow({ throws: { [state]: [namedError('AwsRequestError', `${state}: AccessDenied`)] } });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('AwsRequestError');
    if (state === 'Resolve release') {
      // Refused before anything was taken or changed: no compensation, no lock write.
      expect(execution.states).toEqual(['Resolve release', 'Rollout failed']);
      expect(execution.cause).toContain(`${state}: AccessDenied`);
      return;
    }
    expect(execution.states.slice(-6)).toEqual([state, 'Compensate', 'Free service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Rollout failed']);
    expect(callsTo(state)).toHaveLength(1);
    const handedOver = callsTo('Compensate')[0]?.input as { executionName: string; state: { event: unknown; release?: Record<string, unknown>; error: { Error: string; Cause: string } } };
    expect(handedOver.executionName).toBe('posts-exec-1');
    expect(handedOver.state.error.Error).toBe('AwsRequestError');
    expect(handedOver.state.event).toEqual(PUSH_EVENT);
    // The Catch's ResultPath keeps the state input: Compensate sees the release as it was before the failed step.
    expect(handedOver.state.release).toMatchObject({ executionName: 'posts-exec-1', lockKey: 'lock#posts' });
    // The lock Compensate names is the one released: this execution's own (the write is conditional on the owner).
    expect(callsTo('Free service lock')[0]?.input).toMatchObject({
      Key: { pk: { S: 'lock#posts' } },
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeValues: { ':owner': { S: 'posts-exec-1' } },
    });
  });

  it('retries a throttled step and succeeds, counting the retry as a transition', async () => {
    const { execution, callsTo } = await runWorkflow({ throws: { 'Ensure listener rule': [namedError('TransientAwsError', 'CreateRule: Rate exceeded')] } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo('Ensure listener rule')).toHaveLength(2);
    expect(execution.states).not.toContain('Compensate');
    expect(execution.history.filter((event) => event.type === 'StateRetried').map((event) => event.state)).toEqual(['Ensure listener rule']);
    expect(execution.transitions).toBe(execution.states.length + 1);
  });

  it('gives up on a step throttled more than MaxAttempts times and compensates with TransientAwsError', async () => {
    const maxAttempts = rollout.States['Deploy service']?.Retry?.find((retry) => retry.ErrorEquals.includes('TransientAwsError'))?.MaxAttempts ?? 0;
    const { execution, callsTo } = await runWorkflow({ throws: { 'Deploy service': Array.from({ length: maxAttempts + 1 }, () => namedError('TransientAwsError')) } });

    expect(maxAttempts).toBeGreaterThan(0);
    expect(callsTo('Deploy service')).toHaveLength(maxAttempts + 1);
    expect(execution.error).toBe('TransientAwsError');
  });

  it('waits for a held lock through "Resolve release", which bounds the wait (LockWaitTimeoutError) having changed nothing', async () => {
    const { execution, callsTo } = await runWorkflow({ lockBusy: 30, throws: { 'Resolve release': [null, null, null, namedError('LockWaitTimeoutError', 'still waiting')] } });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('LockWaitTimeoutError');
    expect(callsTo('Acquire service lock')).toHaveLength(3);
    expect(callsTo('Resolve release').map((call) => call.input.startedAt)).toEqual(Array(4).fill(expect.any(String)));
    expect(callsTo('Register task definition')).toHaveLength(0);
    expect(execution.states.slice(-2)).toEqual(['Resolve release', 'Rollout failed']);
  });

  it('compensates an unhealthy service found by the health check and fails with ServiceUnhealthyError', async () => {
    const unhealthy = namedError('ServiceUnhealthyError', 'health gate for posts: deployment rolled back by the circuit breaker');
    const { execution, callsTo } = await runWorkflow({ healthPolls: 5, throws: { 'Check service health': [null, unhealthy] } });

    expect(execution.error).toBe('ServiceUnhealthyError');
    expect(execution.states).not.toContain('Shift traffic');
    expect(callsTo('Compensate')[0]?.input).toMatchObject({ state: { error: { Error: 'ServiceUnhealthyError' }, release: { gate: { healthy: false, polls: 1 } } } });
  });

  it('ends a step that never answers after its TimeoutSeconds of virtual time and compensates with States.Timeout', async () => {
    const { execution, callsTo } = await runWorkflow({ hangs: ['Ensure target group'] });

    expect(execution.error).toBe('States.Timeout');
    const [started] = callsTo('Ensure target group');
    const [compensated] = callsTo('Compensate');
    expect((compensated?.at ?? 0) - (started?.at ?? 0)).toBe(60_000);
  });

  it('fails with CompensationError and keeps its lock when the compensation itself fails', async () => {
    const { execution, callsTo } = await runWorkflow({
      throws: { 'Shift traffic': [namedError('AwsRequestError')], Compensate: [namedError('CompensationError', 'compensate after AwsRequestError: restoring failed')] },
    });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CompensationError');
    expect(execution.states.slice(-2)).toEqual(['Shift traffic', 'Compensate']);
    expect(callsTo('Free service lock')).toHaveLength(0);
  });
});

describe('cutover.asl.yaml with stubbed steps: failures', () => {
  it.each(['Acquire monolith lock', 'Check cut-over', 'Drop monolith traffic', 'Scale monolith to zero', 'Check monolith drained'])(
    'compensates a permanent failure in "%s" and frees the monolith\'s lock',
    async (state) => {
      const { execution, callsTo } = await runCutover({ throws: { [state]: [namedError('AwsRequestError', `${state}: AccessDenied`)] } });

      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('AwsRequestError');
      expect(execution.states.slice(-4)).toEqual([state, 'Compensate', 'Release monolith lock after failure', 'Cut-over failed']);
      expect(callsTo('Compensate')[0]?.input).toMatchObject({ executionName: 'cutover-x-1', state: { lockKey: 'lock#api', error: { Error: 'AwsRequestError' } } });
    },
  );

  it('fails with MonolithDrainingError once the monolith is still draining after 20 looks 15 s apart', async () => {
    const { execution, callsTo } = await runCutover({ drainPolls: 1000 });

    expect(execution.error).toBe('MonolithDrainingError');
    expect(callsTo('Check monolith drained')).toHaveLength(21);
    expect(callsTo('Compensate')[0]?.input).toMatchObject({ state: { cutover: { ready: true, monolith: { service: 'api' } } } });
  });

  it('does not undo a finished cut-over when freeing the lock fails', async () => {
    const { execution, callsTo } = await runCutover({ throws: { 'Release monolith lock': [namedError('DynamoDB.AccessDeniedException')] } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo('Compensate')).toHaveLength(0);
  });
});
