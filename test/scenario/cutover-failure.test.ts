import { executionReport, stateReport, type StateReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { verifyMigration } from '../../local/runner/verify-migration';
import { callsSinceStart, cutoverName, MIGRATED_ROUTING, pipelineWithLive, routing, servicesOf } from './helpers';

/** What a cut-over may change, and nothing else: the listener's default action, the /api* rule, the monolith's desired count. */
function monolithSide(state: StateReport) {
  return {
    defaultActions: state.listener.defaultActions,
    apiRule: state.listener.rules.find((rule) => rule.priority === 99)?.actions,
    monolithDesired: servicesOf(state).api?.desired,
  };
}

// A cut-over is its own execution, started by the rollout that found every microservice live. Its failure puts
// back only what it changed and leaves that rollout's service live; the next successful rollout tries again.
describe('scenario: the cut-over fails (new semantics: the service that started it stays live)', () => {
  it('restores the listener and the monolith, keeps threads live, and a later push of the monolith starts attempt -2, which completes the migration', async () => {
    const pipeline = await pipelineWithLive(['posts', 'users']);
    try {
      const before = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);
      // The threads rollout creates its service; the first UpdateService is the cut-over's "api to 0 tasks".
      pipeline.injectFault({ operation: 'UpdateService', kind: 'permanent' });

      const threads = await pipeline.deliver('threads v1', pushEvent('threads', 'v1', '2026-11-26T09:00:00Z'));
      await pipeline.settle();
      const threadsReport = executionReport(threads, pipeline.sfn.executions.values());
      const afterFailure = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);

      expect(threadsReport).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(threadsReport.states.slice(-6)).toEqual(['Shift traffic', 'Service healthy?', 'Release service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Done']);
      expect(threadsReport.children).toEqual([
        {
          name: expect.stringMatching(cutoverName(1)),
          status: 'FAILED',
          error: 'AwsRequestError',
          cause: expect.stringContaining('ecs:UpdateService'),
          states: ['Acquire monolith lock', 'Check cut-over', 'Cut-over due?', 'Drop monolith traffic', 'Scale monolith to zero', 'Compensate', 'Release monolith lock after failure', 'Cut-over failed'],
          transitions: 8,
          trafficSteps: [],
        },
      ]);
      expect(threadsReport.children[0]?.cause).toMatch(/Restored: rule at priority 99 forwards to the monolith again; default action forwards to the monolith again\.$/);
      // It had dropped both actions before failing: both went to 503 and came back.
      expect(callsSinceStart(pipeline).filter((call) => /^(ModifyRule|ModifyListener|UpdateService)/.test(call))).toEqual([
        'ModifyRule', // threads: 10 % of /api/threads* to threads (the canary)
        'ModifyRule', // threads: the rest, after the bake
        'ModifyRule', // cut-over: /api* to 503
        'ModifyListener', // cut-over: default to 503
        'UpdateService!AccessDeniedException',
        'ModifyRule', // compensation: /api* back to the monolith
        'ModifyListener', // compensation: default back to the monolith
      ]);
      expect(monolithSide(afterFailure)).toEqual(monolithSide(before));
      expect(routing(afterFailure)).toEqual({ ...routing(before), '3 /api/threads*': 'threads=1,threads-g=0' });
      expect(servicesOf(afterFailure).threads).toMatchObject({ desired: 1, running: 1, taskDefinition: 'threads:1', image: expect.stringContaining(`/threads@${digestFor('threads:v1')}`) });
      expect(servicesOf(afterFailure).api).toMatchObject({ desired: 1, running: 1 });

      pipeline.emulator.faults.clear();
      const monolith = await pipeline.deliver('api v2', pushEvent('api', 'v2', '2026-11-26T09:30:00Z'));
      await pipeline.settle();
      const monolithReport = executionReport(monolith, pipeline.sfn.executions.values());

      expect(monolithReport).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(monolithReport.children).toEqual([
        expect.objectContaining({ name: threadsReport.children[0]?.name.replace(/-1$/, '-2'), status: 'SUCCEEDED', error: null, cause: null }),
      ]);
      expect(monolithReport.children[0]?.states).toEqual(expect.arrayContaining(['Drop monolith traffic', 'Scale monolith to zero', 'Check monolith drained', 'Release monolith lock']));
      const migrated = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);
      expect(routing(migrated)).toEqual(MIGRATED_ROUTING);
      expect(servicesOf(migrated).api).toMatchObject({ desired: 0, running: 0, taskDefinition: 'api:2' });
      expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn)).toEqual({ ok: true, findings: [] });
    } finally {
      pipeline.dispose();
    }
  });
});
