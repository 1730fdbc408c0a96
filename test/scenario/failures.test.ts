import { runScenario } from '../../local/runner/scenario';
import type { SimulationReport, StateReport } from '../../local/runner/report';
import { fixture, mutatingCalls, routing, runFromSeed, seedFile, servicesOf, TUTORIAL_ROUTING, type PushName } from './helpers';

/** Everything a push may change: the listener, the target groups, the services. */
function world(state: StateReport) {
  return { listener: state.listener, targetGroups: state.targetGroups.map((group) => group.name), services: servicesOf(state) };
}

describe('scenario: an unhealthy image', () => {
  it('fails with ServiceUnhealthyError and leaves /api/posts* with the monolith and no posts service', async () => {
    const { before, report } = await runFromSeed([fixture('push-posts-v1')], { unhealthy: ['posts'] });

    expect(report.executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'ServiceUnhealthyError']]);
    expect(report.executions[0]?.cause).toMatch(/posts.*Restored: .*removed rule \/api\/posts\*/);
    expect(report.executions[0]?.states.slice(-2)).toEqual(['Compensate', 'Rollout failed']);
    expect(report.state.listener.rules.find((rule) => rule.priority === 1)).toBeUndefined();
    expect(routing(report.state)).toEqual(TUTORIAL_ROUTING);
    expect(servicesOf(report.state).posts).toBeUndefined();
    expect(world(report.state)).toEqual(world(before));
  });
});

describe('scenario: an unhealthy update of a migrated service', () => {
  it('fails with ServiceUnhealthyError and keeps the previous revision live behind an unchanged rule', async () => {
    const { before, report } = await runFromSeed([fixture('push-posts-v1')], { seed: seedFile(['posts', 'users', 'threads']), unhealthy: ['posts'] });

    expect(report.executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'ServiceUnhealthyError']]);
    expect(servicesOf(report.state).posts).toMatchObject({ desired: 1, taskDefinition: 'posts:1', image: servicesOf(before).posts?.image });
    expect(report.state.listener).toEqual(before.listener);
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
    expect(report.awsCalls.ModifyListener).toBeUndefined();
  });
});

/** Each mutating step, the push that reaches it, and the seed it starts from. */
const PERMANENT_FAULTS: { operation: string; push: PushName; live: string[]; failedState: string }[] = [
  { operation: 'PutItem', push: 'push-posts-v1', live: [], failedState: 'Acquire service lock' },
  { operation: 'RegisterTaskDefinition', push: 'push-posts-v1', live: [], failedState: 'Register task definition' },
  { operation: 'CreateTargetGroup', push: 'push-posts-v1', live: [], failedState: 'Ensure target group' },
  { operation: 'CreateRule', push: 'push-posts-v1', live: [], failedState: 'Ensure listener rule' },
  { operation: 'CreateService', push: 'push-posts-v1', live: [], failedState: 'Deploy service' },
  { operation: 'ModifyRule', push: 'push-posts-v1', live: [], failedState: 'Shift traffic' },
  { operation: 'UpdateService', push: 'push-posts-v1', live: ['posts'], failedState: 'Deploy service' },
  { operation: 'ModifyListener', push: 'push-threads-v1', live: ['posts', 'users'], failedState: 'Drop monolith traffic' },
  { operation: 'UpdateService', push: 'push-threads-v1', live: ['posts', 'users'], failedState: 'Scale monolith to zero' },
];

describe('scenario: a permanent fault at a mutating step', () => {
  it.each(PERMANENT_FAULTS)('--fail $operation on $push (live: $live) fails at "$failedState" and leaves routing and services as before', async ({ operation, push, live, failedState }) => {
    const { before, report } = await runFromSeed([fixture(push)], { seed: seedFile(live), fail: [operation] });

    const [execution] = report.executions;
    expect([execution?.status, execution?.error]).toEqual(['FAILED', 'AwsRequestError']);
    expect(execution?.cause).toContain(operation);
    expect(execution?.states.slice(-3)).toEqual([failedState, 'Compensate', 'Rollout failed']);
    expect(report.awsCalls[operation]).toBeGreaterThanOrEqual(1);
    expect(world(report.state)).toEqual(world(before));
  });
});

describe('scenario: throttling', () => {
  let clean: SimulationReport;
  beforeAll(async () => {
    clean = await runScenario([fixture('push-posts-v1')]);
  });

  it('completes the rollout when CreateRule is throttled twice, the SDK retries absorbing it', async () => {
    const report = await runScenario([fixture('push-posts-v1')], { fail: ['CreateRule:2'] });

    expect(report.executions.map((e) => [e.status, e.error])).toEqual([['SUCCEEDED', null]]);
    expect(report.awsCalls.CreateRule).toBe(3);
    expect(report.executions[0]?.states).toEqual(clean.executions[0]?.states);
    expect(routing(report.state)).toEqual({ ...TUTORIAL_ROUTING, '1 /api/posts*': 'posts' });
    expect(mutatingCalls(report)).toEqual({ ...mutatingCalls(clean), CreateRule: 3 });
  });

  it('retries "Ensure listener rule" in the state machine once the SDK gives up on a throttled CreateRule', async () => {
    const report = await runScenario([fixture('push-posts-v1')], { fail: ['CreateRule:4'] });

    const [execution] = report.executions;
    expect([execution?.status, execution?.error]).toEqual(['SUCCEEDED', null]);
    expect(report.awsCalls.CreateRule).toBe(5);
    expect(execution?.states).toEqual(clean.executions[0]?.states);
    expect(execution?.transitions).toBe((clean.executions[0]?.transitions ?? 0) + 1);
    expect(report.state.listener.rules.filter((rule) => rule.priority === 1)).toHaveLength(1);
  });
});
