import type { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario } from '../../local/runner/scenario';
import { callsSinceStart, cutoverName, executionsOf, fixture, lockItem, MIGRATED_ROUTING, routing, seedFile, servicesOf } from './helpers';

/** What a state machine's bookkeeping Catch kept ($.bookkeepingError), from its output. */
const bookkeepingErrorOf = (output: unknown) => (output as { bookkeepingError?: { Error?: string } } | undefined)?.bookkeepingError?.Error;

// Releasing a lock after the work is done is bookkeeping: denying it must not undo a finished migration.
// The lock table refuses the release of the threads lock (once threads is live) and of the monolith lock
// (once the monolith has drained); both locks then stay with their owners until their leases run out.
describe('scenario: the lock table refuses the lock releases once the work is done', () => {
  it('keeps threads live, still starts and completes the cut-over, and leaves both locks to their lease', async () => {
    let pipeline: LocalPipeline | undefined;
    const report = await runScenario([fixture('push-threads-v1')], {
      seed: seedFile(['posts', 'users']),
      onPipeline: (created) => {
        pipeline = created;
        // Denied from the state before each release on, so only the release meets it (the acquires went through).
        // (The rollout's "Shift traffic" runs once per canary step; its Choice, once it is live, leads to the release.)
        created.sfn.listeners.push((record, event) => {
          const before = record.stateMachine === 'rollout' ? 'Release service lock' : 'Check monolith drained';
          if (event.type === 'StateEntered' && event.state === before) created.injectFault({ operation: 'UpdateItem', kind: 'permanent', times: 1 });
        });
      },
    });
    if (!pipeline) throw new Error('runScenario did not hand over its pipeline');

    const [rollout] = executionsOf(pipeline, 'rollout');
    const [cutover] = executionsOf(pipeline, 'cutover');
    expect(callsSinceStart(pipeline, 'UpdateItem')).toEqual(['UpdateItem', 'UpdateItem!AccessDeniedException', 'UpdateItem', 'UpdateItem!AccessDeniedException']);
    expect(report.executions[0]).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(report.executions[0]?.states.slice(-6)).toEqual(['Shift traffic', 'Service healthy?', 'Release service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Done']);
    expect(bookkeepingErrorOf(rollout?.output)).toBe('DynamoDB.AccessDeniedException');
    expect(report.executions[0]?.children).toEqual([expect.objectContaining({ name: expect.stringMatching(cutoverName(1)), status: 'SUCCEEDED', error: null })]);
    expect(cutover?.states.slice(-3)).toEqual(['Check monolith drained', 'Release monolith lock', 'Done']);
    expect(bookkeepingErrorOf(cutover?.output)).toBe('DynamoDB.AccessDeniedException');
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
    expect(servicesOf(report.state).threads).toMatchObject({ desired: 1, running: 1 });
    // Still owned: the next push of threads or api waits until the lease runs out (statemachines/rollout.asl.yaml).
    expect(await lockItem(pipeline, 'threads')).toMatchObject({ owner: rollout?.name, leaseUntil: expect.any(String) });
    expect(await lockItem(pipeline, 'api')).toMatchObject({ owner: cutover?.name, leaseUntil: expect.any(String) });
  });
});
