import type { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario } from '../../local/runner/scenario';
import { verifyMigration } from '../../local/runner/verify-migration';
import { callsSinceStart, cutoverName, cutoverStartOf, executionsOf, fixture, MIGRATED_ROUTING, routing, seedFile, servicesOf } from './helpers';

// posts is live; users and threads are pushed at the same virtual instant and go live together. Both rollouts
// end by asking for the cut-over, under the one name the listener and the set of services give, so it starts once.
//
// Virtual time runs an execution's work up to its next timer in one go, so the two rollouts woken at the same
// instant would check one after the other, and the first would still see the second's paths on the monolith.
// One throttled DescribeRules in the first rollout's check (the SDK retries it after a back-off) makes it look
// again once the second is live too: both find every microservice live and both ask for the cut-over.
describe('scenario: the last two services go live at the same moment', () => {
  it('starts the cut-over once although both rollouts find every microservice live; it completes the migration', async () => {
    let pipeline: LocalPipeline | undefined;
    const throttledFor: string[] = [];
    const report = await runScenario([fixture('push-users-v1'), fixture('push-threads-v1')], {
      seed: seedFile(['posts']),
      concurrent: true,
      onPipeline: (created) => {
        pipeline = created;
        created.sfn.listeners.push((record, event) => {
          if (throttledFor.length === 0 && record.stateMachine === 'rollout' && event.type === 'StateEntered' && event.state === 'Release service lock') {
            throttledFor.push(record.name);
            created.injectFault({ operation: 'DescribeRules', kind: 'throttle', times: 1 });
          }
        });
      },
    });
    if (!pipeline) throw new Error('runScenario did not hand over its pipeline');

    const rollouts = executionsOf(pipeline, 'rollout');
    const cutovers = executionsOf(pipeline, 'cutover');
    expect(rollouts.map((rollout) => rollout.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(callsSinceStart(pipeline, 'DescribeRules')).toContain('DescribeRules!Throttling');
    expect(cutovers.map((cutover) => [cutover.status, cutover.error])).toEqual([['SUCCEEDED', undefined]]);
    const [cutover] = cutovers;
    expect(cutover?.name).toMatch(cutoverName(1));
    expect(cutover?.states).toEqual(expect.arrayContaining(['Drop monolith traffic', 'Scale monolith to zero', 'Check monolith drained']));

    // Both asked for the same cut-over; one started it, the other says why it did not.
    const answers = rollouts.map(cutoverStartOf);
    expect(answers.map((answer) => answer?.name)).toEqual([cutover?.name, cutover?.name]);
    expect(answers.map((answer) => answer?.started).sort()).toEqual([false, true]);
    const starter = rollouts.find((rollout) => cutoverStartOf(rollout)?.started === true);
    const other = rollouts.find((rollout) => rollout !== starter);
    expect((cutover?.input as { startedBy?: string }).startedBy).toBe(starter?.name);
    expect(other?.name).toBe(throttledFor[0]);
    expect(cutoverStartOf(other)).toEqual({
      started: false,
      name: cutover?.name,
      reason: expect.stringMatching(new RegExp(`^cut-over ${cutover?.name ?? '?'} (is already running|was started by another rollout)$`)),
    });
    expect(report.executions.map((execution) => execution.children.length).sort()).toEqual([0, 1]);

    // The default action changed once, and every call that changed it succeeded.
    expect(callsSinceStart(pipeline, 'ModifyListener')).toEqual(['ModifyListener']);
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
    expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn)).toEqual({ ok: true, findings: [] });
  });
});
