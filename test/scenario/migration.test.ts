import { LocalPipeline } from '../../local/runner/pipeline';
import { pushEvent, runScenario } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { verifyMigration } from '../../local/runner/verify-migration';
import { cutoverName, fixture, MIGRATED_ROUTING, MICROSERVICE_PUSHES, mutatingCalls, routing, runFromSeed, seedFile, servicesOf, TUTORIAL_ROUTING } from './helpers';

const POSTS_V2 = digestFor('posts:v2');

describe('scenario: the tutorial migration', () => {
  it('migrates posts, users and threads, then answers every other path 503 and scales the monolith to zero', async () => {
    const report = await runScenario(MICROSERVICE_PUSHES.map(fixture));

    expect(report.executions.map((e) => [e.event, e.matched, e.status, e.error])).toEqual(MICROSERVICE_PUSHES.map((name) => [`${name}.json`, true, 'SUCCEEDED', null]));
    // The last service's rollout starts the cut-over as its own execution; the first two start none.
    expect(report.executions.map((e) => e.children.length)).toEqual([0, 0, 1]);
    expect(report.executions[2]?.children[0]).toEqual({
      name: expect.stringMatching(cutoverName(1)),
      status: 'SUCCEEDED',
      error: null,
      cause: null,
      states: ['Acquire monolith lock', 'Check cut-over', 'Cut-over due?', 'Drop monolith traffic', 'Scale monolith to zero', 'Wait for monolith to drain', 'Check monolith drained', 'Release monolith lock', 'Done'],
      transitions: expect.any(Number),
      // the cut-over moves the monolith's traffic, not a service's to a new revision
      trafficSteps: [],
    });
    // Each service a 10 % canary, 5 minutes, then all of its paths (the tutorial's manifests).
    expect(report.executions.map((e) => e.trafficSteps.map((step) => step.percent))).toEqual([[10, 100], [10, 100], [10, 100]]);
    expect(report.executions.flatMap((e) => e.states)).not.toContain('Drop monolith traffic');
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(report.state.listener.defaultActions[0]?.FixedResponseConfig?.StatusCode).toBe('503');
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
    for (const name of ['posts', 'users', 'threads']) {
      expect(servicesOf(report.state)[name]).toMatchObject({ desired: 1, running: 1, taskDefinition: `${name}:1` });
      expect(report.state.targetGroups.find((group) => group.name === name)).toMatchObject({
        healthCheck: { path: '/', healthyThreshold: 2, unhealthyThreshold: 2, timeoutSeconds: 5, intervalSeconds: 6 },
        healthyTargets: 1,
      });
    }
    expect(report.awsCalls).toMatchObject({ ModifyListener: 1, UpdateService: 1, CreateService: 3, CreateRule: 3, CreateTargetGroup: 6 });
    expect(report.virtualSeconds).toBeGreaterThan(0);
  });

  it('passes verifyMigration: each microservice path reaches its healthy group, unclaimed paths get 503, the monolith runs 0 tasks', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn, pipeline.config.dropTargetGroupArn).ok).toBe(false);
      for (const name of MICROSERVICE_PUSHES) {
        const { label, event } = fixture(name);
        await pipeline.deliver(label, event);
        await pipeline.settle();
      }
      expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn, pipeline.config.dropTargetGroupArn)).toEqual({ ok: true, findings: [] });
    } finally {
      pipeline.dispose();
    }
  });

  it('does not cut over when two of three microservices are live: the monolith keeps the default and /api*', async () => {
    const report = await runScenario([fixture('push-posts-v1'), fixture('push-users-v1')]);

    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(report.executions.map((e) => e.children)).toEqual([[], []]);
    // Both asked whether the cut-over was due and were told no: only the two rollouts were started.
    expect(report.awsCalls.StartExecution).toBe(2);
    expect(routing(report.state)).toEqual({ ...TUTORIAL_ROUTING, '1 /api/posts*': 'posts=1,posts-g=0', '2 /api/users*': 'users=1,users-g=0' });
    expect(servicesOf(report.state).api).toMatchObject({ desired: 1, running: 1 });
    expect(servicesOf(report.state).threads).toBeUndefined();
    expect(report.awsCalls.ModifyListener).toBeUndefined();
    expect(report.awsCalls.UpdateService).toBeUndefined();
  });
});

describe('scenario: an update after the migration', () => {
  it('makes the first update of a migrated service AWS\'s first step to ECS\'s own deployments: a rolling update that adds advancedConfiguration, its rule untouched, no cut-over', async () => {
    const { before, report } = await runFromSeed([fixture('push-posts-v1')], { seed: seedFile(['posts', 'users', 'threads']) });

    expect(report.executions.map((e) => [e.status, e.error])).toEqual([['SUCCEEDED', null]]);
    expect(before.services.find((s) => s.name === 'posts')?.taskDefinition).toBe('posts:1');
    expect(servicesOf(report.state).posts).toMatchObject({ desired: 1, running: 1, taskDefinition: 'posts:2', image: expect.stringMatching(/\/posts@sha256:98cf390a/) });
    expect(report.state.listener).toEqual(before.listener);
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(report.executions[0]?.trafficSteps).toEqual([]);
    // the rolling update was judged by one bake at 100 % (the canary manifest's 5 minutes)
    expect(report.executions[0]?.states).toContain('Shift traffic');
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
    // The service lock taken and released; no cut-over started (already done: nothing reaches the monolith).
    expect(mutatingCalls(report)).toEqual({ RegisterTaskDefinition: 1, UpdateService: 1, UpdateItem: 2 });
    expect(report.executions[0]?.children).toEqual([]);
    expect(report.awsCalls.StartExecution).toBe(1);
  });

  it('makes the next update ECS\'s own canary: 10 %, a bake, 100 % on the alternate group, which swaps roles with the first; nothing else changes', async () => {
    const { before, report } = await runFromSeed([fixture('push-posts-v1'), { label: 'posts-v3', event: pushEvent('posts', 'v3', '2026-11-26T11:00:00Z') }], { seed: seedFile(['posts', 'users', 'threads']) });

    expect(report.executions.map((e) => [e.status, e.error])).toEqual([['SUCCEEDED', null], ['SUCCEEDED', null]]);
    expect(servicesOf(report.state).posts).toMatchObject({ desired: 1, running: 1, taskDefinition: 'posts:3' });
    // ECS moved the production rule's weights itself onto posts-g, where it registered posts:3's tasks; every other
    // rule and the default action are as they were.
    expect(report.state.listener.defaultActions).toEqual(before.listener.defaultActions);
    expect(report.state.listener.rules.filter((rule) => rule.priority !== 1)).toEqual(before.listener.rules.filter((rule) => rule.priority !== 1));
    expect(routing(report.state)).toEqual({ ...MIGRATED_ROUTING, '1 /api/posts*': 'posts=0,posts-g=100' });
    expect(report.executions[1]?.trafficSteps.map((step) => step.percent)).toEqual([10, 100]);
    const [canary, full] = report.executions[1]?.trafficSteps ?? [];
    expect((full?.virtualSeconds ?? 0) - (canary?.virtualSeconds ?? 0)).toBeGreaterThanOrEqual(300);
    expect(report.executions[1]?.states).not.toContain('Shift traffic');
    // the pipeline wrote no weight itself and asked for no rollback: one UpdateService per update
    expect(mutatingCalls(report)).toEqual({ RegisterTaskDefinition: 2, UpdateService: 2, UpdateItem: 4 });
  });

  it('deploys v2 of posts after v1 completed the migration, leaving the cut-over done once', async () => {
    const report = await runScenario([...MICROSERVICE_PUSHES.map(fixture), { label: 'posts-v2', event: pushEvent('posts', 'v2', '2026-11-26T10:00:00Z') }]);

    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(servicesOf(report.state).posts).toMatchObject({ taskDefinition: 'posts:2', image: expect.stringContaining(`/posts@${POSTS_V2}`), running: 1 });
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(report.awsCalls.ModifyListener).toBe(1);
    expect(report.executions.map((e) => e.children.map((child) => child.status))).toEqual([[], [], ['SUCCEEDED'], []]);
    expect(report.awsCalls).toMatchObject({ CreateRule: 3, CreateTargetGroup: 6, CreateService: 3, UpdateService: 2 });
  });
});
