import { definition, namedError, PUSH_EVENT, runWorkflow, taskStateNames, type Script } from './harness';

/** The script under which each Task state is on the execution's path. */
function scriptReaching(state: string): Script {
  if (state === 'Release superseded push') return { superseded: true };
  if (state === 'Release retired push') return { role: 'monolith', retiredUnderLock: true };
  const cutOverStates = ['Acquire cut-over lock', 'Recheck under cut-over lock', 'Drop monolith traffic', 'Scale monolith to zero', 'Check monolith drained', 'Release cut-over lock'];
  return cutOverStates.includes(state) ? { allLive: true } : {};
}

/** Releasing a lock (and recording what is live) once the work is done: a failure there leaves the lock to its lease. */
const LOCK_RELEASES: Record<string, string> = {
  'Release service lock': 'Rollout complete',
  'Release cut-over lock': 'Rollout complete',
  'Release superseded push': 'Superseded by a newer push',
  'Release retired push': 'Monolith already retired',
};
const permanentFailureStates = taskStateNames.filter((name) => name !== 'Compensate' && !(name in LOCK_RELEASES));

describe('rollout.asl.json with stubbed steps: failures', () => {
  it('has a permanent-failure case for every Task state but Compensate and the lock releases', () => {
    expect(permanentFailureStates.length).toBe(taskStateNames.length - 1 - Object.keys(LOCK_RELEASES).length);
    expect(permanentFailureStates).toEqual(expect.arrayContaining(['Resolve release', 'Register task definition', 'Shift traffic', 'Drop monolith traffic', 'Acquire cut-over lock']));
  });

  it.each(Object.entries(LOCK_RELEASES))('does not undo finished work when "%s" fails: it ends at "%s", the lock left to its lease', async (state, end) => {
    const { execution, callsTo } = await runWorkflow({ ...scriptReaching(state), throws: { [state]: [namedError('AwsRequestError', `${state}: AccessDenied`)] } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states.at(-1)).toBe(end);
    expect(callsTo('Compensate')).toHaveLength(0);
    expect(execution.output).toMatchObject({ lockReleaseError: { Error: 'AwsRequestError' } });
  });

  it.each(permanentFailureStates)('compensates a permanent failure in "%s" and fails with the original error name', async (state) => {
    const { execution, callsTo, lastRelease } = await runWorkflow({ ...scriptReaching(state), throws: { [state]: [namedError('AwsRequestError', `${state}: AccessDenied`)] } });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('AwsRequestError');
    expect(execution.states.slice(-3)).toEqual([state, 'Compensate', 'Rollout failed']);
    expect(callsTo(state)).toHaveLength(1);
    const compensation = callsTo('Compensate');
    expect(compensation).toHaveLength(1);
    const handedOver = compensation[0]?.input as { executionName: string; state: { event: unknown; release?: unknown; error: { Error: string; Cause: string } } };
    expect(handedOver.executionName).toBe('posts-exec-1');
    expect(handedOver.state.error.Error).toBe('AwsRequestError');
    expect(JSON.parse(handedOver.state.error.Cause)).toMatchObject({ errorType: 'AwsRequestError', errorMessage: `${state}: AccessDenied` });
    expect(handedOver.state.event).toEqual(PUSH_EVENT);
    // The Catch's ResultPath keeps the state input: Compensate sees the release as it was before the failed step.
    expect(handedOver.state.release).toEqual(state === 'Resolve release' ? undefined : lastRelease);
  });

  it('retries a throttled step once and succeeds, counting the retry as a transition', async () => {
    const { execution, callsTo } = await runWorkflow({ throws: { 'Ensure listener rule': [namedError('TransientAwsError', 'CreateRule: Rate exceeded')] } });

    expect(execution.status).toBe('SUCCEEDED');
    expect(callsTo('Ensure listener rule')).toHaveLength(2);
    expect(execution.states.filter((name) => name === 'Ensure listener rule')).toHaveLength(1);
    expect(execution.states).not.toContain('Compensate');
    expect(execution.history.filter((event) => event.type === 'StateRetried').map((event) => event.state)).toEqual(['Ensure listener rule']);
    expect(execution.transitions).toBe(execution.states.length + 1);
  });

  it('waits up to IntervalSeconds (full jitter) before the retry of a throttled step', async () => {
    const { callsTo } = await runWorkflow({ throws: { 'Register task definition': [namedError('TransientAwsError')] } });

    const [first, second] = callsTo('Register task definition');
    const delay = (second?.at ?? 0) - (first?.at ?? 0);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(2_000);
  });

  it('gives up on a step throttled more than MaxAttempts times and compensates with TransientAwsError', async () => {
    const maxAttempts = definition.States['Deploy service']?.Retry?.find((retry) => retry.ErrorEquals.includes('TransientAwsError'))?.MaxAttempts ?? 0;
    const throttles = Array.from({ length: maxAttempts + 1 }, () => namedError('TransientAwsError'));
    const { execution, callsTo } = await runWorkflow({ throws: { 'Deploy service': throttles } });

    expect(maxAttempts).toBeGreaterThan(0);
    expect(callsTo('Deploy service')).toHaveLength(maxAttempts + 1);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('TransientAwsError');
    expect(execution.states.slice(-3)).toEqual(['Deploy service', 'Compensate', 'Rollout failed']);
  });

  it('compensates an unhealthy service found by the health check and fails with ServiceUnhealthyError', async () => {
    const unhealthy = namedError('ServiceUnhealthyError', 'health gate for posts: deployment rolled back by the circuit breaker');
    const { execution, callsTo } = await runWorkflow({ healthPolls: 5, throws: { 'Check service health': [null, unhealthy] } });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ServiceUnhealthyError');
    expect(execution.states.slice(-9)).toEqual([
      'Ensure listener rule', 'Deploy service',
      'Wait for service to be healthy', 'Check service health', 'Service healthy?',
      'Wait for service to be healthy', 'Check service health',
      'Compensate', 'Rollout failed',
    ]);
    expect(execution.states).not.toContain('Shift traffic');
    expect(callsTo('Compensate')[0]?.input).toMatchObject({ state: { error: { Error: 'ServiceUnhealthyError' }, release: { gate: { healthy: false, polls: 1 } } } });
  });

  it('compensates a health gate that times out and fails with HealthGateTimeoutError', async () => {
    const timeout = namedError('HealthGateTimeoutError', 'health gate for posts: not healthy after 300s (limit 300s)');
    const { execution, callsTo } = await runWorkflow({ healthPolls: 99, throws: { 'Check service health': [null, null, null, timeout] } });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('HealthGateTimeoutError');
    expect(callsTo('Check service health')).toHaveLength(4);
    expect(execution.states.slice(-3)).toEqual(['Check service health', 'Compensate', 'Rollout failed']);
    expect(execution.states).not.toContain('Shift traffic');
  });

  it('ends a step that never answers after its TimeoutSeconds of virtual time and compensates with States.Timeout', async () => {
    const { execution, callsTo } = await runWorkflow({ hangs: ['Ensure target group'] });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('States.Timeout');
    expect(execution.states.slice(-3)).toEqual(['Ensure target group', 'Compensate', 'Rollout failed']);
    const [started] = callsTo('Ensure target group');
    const [compensated] = callsTo('Compensate');
    expect((compensated?.at ?? 0) - (started?.at ?? 0)).toBe(60_000);
  });

  it('fails with CompensationError at "Compensation failed" when the compensation itself fails', async () => {
    const { execution } = await runWorkflow({
      throws: { 'Shift traffic': [namedError('AwsRequestError')], Compensate: [namedError('CompensationError', 'compensate after AwsRequestError: restoring failed')] },
    });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('CompensationError');
    expect(execution.states.slice(-3)).toEqual(['Shift traffic', 'Compensate', 'Compensation failed']);
    expect(execution.cause).toContain('restoring failed');
  });
});
