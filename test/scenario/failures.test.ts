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
    expect(report.executions[0]?.states.slice(-5)).toEqual(['Compensate', 'Free service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Rollout failed']);
    expect(report.executions[0]?.children).toEqual([]);
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

/** Each mutating step of a service's rollout, the push that reaches it, and the seed it starts from. */
const PERMANENT_FAULTS: { operation: string; push: PushName; live: string[]; failedState: string; error: string }[] = [
  { operation: 'UpdateItem', push: 'push-posts-v1', live: [], failedState: 'Acquire service lock', error: 'DynamoDB.AccessDeniedException' },
  { operation: 'RegisterTaskDefinition', push: 'push-posts-v1', live: [], failedState: 'Register task definition', error: 'AwsRequestError' },
  { operation: 'CreateTargetGroup', push: 'push-posts-v1', live: [], failedState: 'Ensure target group', error: 'AwsRequestError' },
  { operation: 'CreateRule', push: 'push-posts-v1', live: [], failedState: 'Ensure listener rule', error: 'AwsRequestError' },
  { operation: 'CreateService', push: 'push-posts-v1', live: [], failedState: 'Deploy service', error: 'AwsRequestError' },
  { operation: 'ModifyRule', push: 'push-posts-v1', live: [], failedState: 'Shift traffic', error: 'AwsRequestError' },
  { operation: 'UpdateService', push: 'push-posts-v1', live: ['posts'], failedState: 'Deploy service', error: 'AwsRequestError' },
];

describe('scenario: a permanent fault at a mutating step', () => {
  it.each(PERMANENT_FAULTS)('--fail $operation on $push (live: $live) fails at "$failedState" with $error and leaves routing and services as before', async ({ operation, push, live, failedState, error }) => {
    const { before, report } = await runFromSeed([fixture(push)], { seed: seedFile(live), fail: [operation] });

    const [execution] = report.executions;
    expect([execution?.status, execution?.error]).toEqual(['FAILED', error]);
    expect(execution?.cause).toContain(operation);
    expect(execution?.states.slice(-6)).toEqual([failedState, 'Compensate', 'Free service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Rollout failed']);
    expect(execution?.children).toEqual([]);
    expect(report.awsCalls[operation]).toBeGreaterThanOrEqual(1);
    expect(world(report.state)).toEqual(world(before));
  });
});

/** Each mutating step of the cut-over that the last service's rollout (threads) starts, and what its compensation puts back. */
const CUTOVER_FAULTS: { fail: string; failedState: string; error: string; restored: string }[] = [
  { fail: 'ModifyListener', failedState: 'Drop monolith traffic', error: 'AwsRequestError', restored: 'rule at priority 99 forwards to the monolith again' },
  {
    fail: 'UpdateService',
    failedState: 'Scale monolith to zero',
    error: 'AwsRequestError',
    restored: 'rule at priority 99 forwards to the monolith again; default action forwards to the monolith again',
  },
  // The Lambda dies after its call went through: the monolith is at 0 tasks when compensation looks.
  {
    fail: 'UpdateService:timeout',
    failedState: 'Scale monolith to zero',
    error: 'States.Timeout',
    restored: 'rule at priority 99 forwards to the monolith again; default action forwards to the monolith again; monolith api back to 1 task(s)',
  },
];

describe('scenario: a permanent fault in the cut-over (new semantics: it no longer takes back the service that started it)', () => {
  it.each(CUTOVER_FAULTS)(
    '--fail $fail: the cut-over fails at "$failedState" with $error and restores the listener and the monolith; the threads rollout SUCCEEDED and threads stays live',
    async ({ fail, failedState, error, restored }) => {
      const { before, report } = await runFromSeed([fixture('push-threads-v1')], { seed: seedFile(['posts', 'users']), fail: [fail] });

      const [execution] = report.executions;
      expect([execution?.status, execution?.error]).toEqual(['SUCCEEDED', null]);
      expect(execution?.children).toEqual([expect.objectContaining({ status: 'FAILED', error })]);
      expect(execution?.children[0]?.states.slice(-4)).toEqual([failedState, 'Compensate', 'Release monolith lock after failure', 'Cut-over failed']);
      expect(execution?.children[0]?.cause).toMatch(new RegExp(`Restored: ${restored.replace(/[()]/g, '\\$&')}\\.$`));
      // As before, plus threads: its rule, group and service stay.
      expect(report.state.listener.defaultActions).toEqual(before.listener.defaultActions);
      expect(report.state.listener.rules.filter((rule) => rule.priority !== 3)).toEqual(before.listener.rules);
      expect(routing(report.state)['3 /api/threads*']).toBe('threads=1,threads-g=0');
      expect(world(report.state).targetGroups).toEqual([...world(before).targetGroups, 'threads', 'threads-g']);
      expect(servicesOf(report.state)).toEqual({ ...servicesOf(before), threads: expect.objectContaining({ desired: 1, running: 1, taskDefinition: 'threads:1' }) });
    },
  );
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
    expect(routing(report.state)).toEqual({ ...TUTORIAL_ROUTING, '1 /api/posts*': 'posts=1,posts-g=0' });
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
