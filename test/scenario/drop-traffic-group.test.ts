import { LocalPipeline } from '../../local/runner/pipeline';
import { verifyMigration } from '../../local/runner/verify-migration';
import { fixture, MICROSERVICE_PUSHES, routing, runFromSeed, seedFile, servicesOf } from './helpers';

// The tutorial's own cut-over: dropped paths forward to an empty "drop-traffic" target group (the ALB answers
// 503 because no target is registered) instead of a fixed-response action.
describe('scenario: cut-over to the drop-traffic target group', () => {
  it('points the default action and /api* at drop-traffic and passes the migration check', async () => {
    const pipeline = await LocalPipeline.tutorial({ cutoverMode: 'drop-target-group' });
    try {
      for (const name of MICROSERVICE_PUSHES) {
        const { label, event } = fixture(name);
        await pipeline.deliver(label, event);
        await pipeline.settle();
      }
      const snapshot = pipeline.emulator.snapshot();
      const dropGroup = snapshot.targetGroups.find((group) => group.name === 'drop-traffic');
      expect(dropGroup?.targets).toEqual([]);
      expect(snapshot.listeners[0]?.defaultActions).toEqual([{ type: 'forward', order: 1, targetGroups: [{ arn: dropGroup?.arn, weight: 1 }], stickiness: { enabled: false } }]);
      expect(snapshot.rules.find((rule) => rule.priority === 99)?.actions).toEqual([{ type: 'forward', order: 1, targetGroups: [{ arn: dropGroup?.arn, weight: 1 }], stickiness: { enabled: false } }]);
      expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn, pipeline.config.dropTargetGroupArn)).toEqual({ ok: true, findings: [] });
    } finally {
      pipeline.dispose();
    }
  });

  it('puts the monolith\'s actions back when the cut-over fails half-way in this mode, and keeps threads live (new semantics)', async () => {
    const { before, report } = await runFromSeed([fixture('push-threads-v1')], {
      seed: seedFile(['posts', 'users']),
      cutoverMode: 'drop-target-group',
      fail: ['ModifyListener'],
    });

    expect(report.executions[0]).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(report.executions[0]?.children).toEqual([expect.objectContaining({ status: 'FAILED', error: 'AwsRequestError' })]);
    // The /api* rule had gone to drop-traffic before the default action failed; only it needed putting back.
    expect(report.executions[0]?.children[0]?.cause).toMatch(/ModifyListener.*Restored: rule at priority 99 forwards to the monolith again\.$/);
    expect(report.awsCalls.ModifyListener).toBe(1);
    expect(report.state.listener.defaultActions).toEqual(before.listener.defaultActions);
    expect(routing(report.state)).toEqual({ ...routing(before), '3 /api/threads*': 'threads=1,threads-g=0' });
    expect(servicesOf(report.state).api).toMatchObject({ desired: 1, running: 1 });
    expect(servicesOf(report.state).threads).toMatchObject({ desired: 1, running: 1, taskDefinition: 'threads:1' });
  });
});
