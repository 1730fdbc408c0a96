import { executionReport, stateReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { verifyMigration } from '../../local/runner/verify-migration';
import { cutoverName, executionsOf, MIGRATED_ROUTING, pipelineWithLive, routing, servicesOf } from './helpers';

// users and threads are live; posts v1 goes live and starts the cut-over, whose "Drop monolith traffic" dies
// (its Lambda times out after ModifyListener went through). Meanwhile posts v2 is rolling out under the posts
// lock. The cut-over's compensation puts back only the listener's actions and the monolith's desired count, so
// it does not touch posts v2 (its service, its rule), which then goes live and starts the next attempt.
describe('scenario: a failed cut-over while a newer push of a service is in flight', () => {
  it('leaves the newer push alone; that push goes live and its rollout starts attempt -2, which completes the migration', async () => {
    const pipeline = await pipelineWithLive(['users', 'threads']);
    try {
      let atCompensation: { rollouts: string[]; posts: unknown; postsRoute: string | undefined } | undefined;
      pipeline.sfn.listeners.push((record, event) => {
        if (record.stateMachine !== 'cutover' || event.type !== 'StateEntered' || event.state !== 'Compensate') return;
        const state = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);
        atCompensation = { rollouts: executionsOf(pipeline, 'rollout').map((rollout) => `${rollout.name} ${rollout.status}`), posts: servicesOf(state).posts, postsRoute: routing(state)['1 /api/posts*'] };
      });
      pipeline.injectFault({ operation: 'ModifyListener', kind: 'hang', applyFirst: true, times: 1 });

      const v1 = await pipeline.deliver('posts v1', pushEvent('posts', 'v1', '2026-11-26T09:00:00Z'));
      // v1 is live at 24 s and its cut-over hangs in "Drop monolith traffic" until its 60 s timeout (84 s);
      // v2, pushed at 75 s, has deployed posts:2 (the first update of a live posts: a rolling update) and waits for its
      // health checks when the cut-over compensates.
      await pipeline.time.advance(75_000);
      const v2 = await pipeline.deliver('posts v2', pushEvent('posts', 'v2', '2026-11-26T09:01:15Z'));
      await pipeline.settle();

      const v1Report = executionReport(v1, pipeline.sfn.executions.values());
      const v2Report = executionReport(v2, pipeline.sfn.executions.values());
      const after = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);
      expect(atCompensation).toEqual({
        rollouts: [`${v1.execution?.name} SUCCEEDED`, `${v2.execution?.name} RUNNING`],
        posts: expect.objectContaining({ taskDefinition: 'posts:2', image: expect.stringContaining(`/posts@${digestFor('posts:v2')}`) }),
        postsRoute: 'posts=1,posts-g=0',
      });
      expect(v1Report).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(v1Report.children).toEqual([expect.objectContaining({ name: expect.stringMatching(cutoverName(1)), status: 'FAILED', error: 'States.Timeout' })]);
      expect(v1Report.children[0]?.cause).toMatch(/Restored: rule at priority 99 forwards to the monolith again; default action forwards to the monolith again\.$/);
      expect(v1Report.children[0]?.cause).not.toContain('posts');
      expect(v2Report).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(v2Report.children).toEqual([expect.objectContaining({ name: expect.stringMatching(cutoverName(2)), status: 'SUCCEEDED', error: null })]);
      expect(servicesOf(after).posts).toMatchObject({
        desired: 1,
        running: 1,
        taskDefinition: 'posts:2',
        image: expect.stringContaining(`/posts@${digestFor('posts:v2')}`),
      });
      expect(routing(after)).toEqual(MIGRATED_ROUTING);
      expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn)).toEqual({ ok: true, findings: [] });
    } finally {
      pipeline.dispose();
    }
  });
});
