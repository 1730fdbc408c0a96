import { isMutating } from '../../local/runner/operations';
import { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario } from '../../local/runner/scenario';
import { cutoverStartOf, fixture, mutatingCalls, routing, TUTORIAL_ROUTING } from './helpers';

describe('scenario: at-least-once delivery', () => {
  it('reports a second delivery of the same event as DUPLICATE with no states and no extra mutating call', async () => {
    const once = await runScenario([fixture('push-posts-v1')]);
    const twice = await runScenario([fixture('push-posts-v1'), fixture('push-posts-v1')]);

    const [first, second] = twice.executions;
    expect(first?.status).toBe('SUCCEEDED');
    expect(second).toEqual({ event: 'push-posts-v1.json', matched: true, name: first?.name, status: 'DUPLICATE', error: null, cause: null, states: [], transitions: 0, trafficSteps: [], children: [] });
    expect(mutatingCalls(twice)).toEqual(mutatingCalls(once));
    expect(Object.keys(mutatingCalls(once))).toEqual(expect.arrayContaining(['CreateRule', 'CreateService', 'CreateTargetGroup', 'RegisterTaskDefinition']));
    expect(twice.state).toEqual(once.state);
  });

  it('changes nothing when a succeeded push is re-run under another execution name', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      const { label, event } = fixture('push-posts-v1');
      const delivery = await pipeline.deliver(label, event);
      await pipeline.settle();
      expect(delivery.execution?.status).toBe('SUCCEEDED');
      const callsBefore = pipeline.emulator.calls.length;

      const rerun = pipeline.sfn.start('rerun', delivery.execution?.input);
      await pipeline.settle();

      const calls = pipeline.emulator.calls.slice(callsBefore);
      expect(rerun.status).toBe('SUCCEEDED');
      expect(rerun.states).toEqual(['Resolve release', 'What to do?', 'Start cut-over if due', 'Succeeded or failed?', 'Done']);
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.filter((call) => isMutating(call.operation)).map((call) => call.operation)).toEqual([]);
      // It still asks whether the cut-over is due (it is not: users and threads are not live) and starts none.
      expect(cutoverStartOf(rerun)).toEqual({ started: false, reason: expect.stringMatching(/^not every microservice is live: (threads|users) \(not deployed\)$/) });
      expect([...pipeline.sfn.executions.values()].filter((record) => record.stateMachine === 'cutover')).toEqual([]);
    } finally {
      pipeline.dispose();
    }
  });

  it('ignores events the rule does not match: no execution, no AWS call, routing untouched', async () => {
    const report = await runScenario([fixture('not-matching/delete-posts'), fixture('not-matching/push-unknown-repository')]);

    expect(report.executions.map((e) => [e.matched, e.name, e.status, e.states])).toEqual([
      [false, null, null, []],
      [false, null, null, []],
    ]);
    expect(report.awsCalls).toEqual({});
    expect(routing(report.state)).toEqual(TUTORIAL_ROUTING);
  });
});
