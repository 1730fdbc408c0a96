import { runWorkflow } from './harness';

const RESOLVE = ['Resolve release', 'Monolith retired?'];
const LOCK = ['Acquire service lock', 'Service lock acquired?', 'Record prior state', 'Still to deploy?', 'Register task definition', 'Monolith or microservice?'];
const TARGET_GROUP_AND_RULE = ['Ensure target group', 'Ensure listener rule'];
const DEPLOY = ['Deploy service'];
const GATE_POLL = ['Wait for service to be healthy', 'Check service health', 'Service healthy?'];
const FINISH_MICROSERVICE = ['Shift traffic', 'Check all services live', 'All services live?'];
// The service lock is held through the cut-over and released last, with the release record.
const RELEASE = ['Took the service lock?', 'Release service lock', 'Rollout complete'];
const CUT_OVER = [
  'Acquire cut-over lock',
  'Cut-over lock acquired?',
  'Recheck under cut-over lock',
  'Cut-over still due?',
  'Drop monolith traffic',
  'Scale monolith to zero',
];
const DRAIN_POLL = ['Wait for monolith to drain', 'Check monolith drained', 'Monolith drained?'];

describe('rollout.asl.json with stubbed steps: the path of a successful push', () => {
  it('rolls out a new microservice step by step, polling health until healthy, then shifts traffic and checks the cut-over', async () => {
    const { execution, callsTo, virtualSeconds } = await runWorkflow({ healthPolls: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, ...LOCK, ...TARGET_GROUP_AND_RULE, ...DEPLOY, ...GATE_POLL, ...GATE_POLL, ...GATE_POLL, ...FINISH_MICROSERVICE, ...RELEASE]);
    expect(execution.transitions).toBe(execution.states.length);
    expect(callsTo('Check service health').map((call) => (call.input.gate as { polls: number }).polls)).toEqual([0, 1, 2]);
    // The gate's Wait uses the seconds the steps ask for: 5 after Deploy service, then 3 per waiting poll.
    expect(virtualSeconds).toBe(5 + 3 + 3);
    expect(callsTo('Release service lock')[0]?.input).toEqual({
      lockName: 'posts',
      owner: 'posts-exec-1',
      record: { eventTime: '2026-11-26T09:00:00Z', digest: `sha256:${'a'.repeat(64)}` },
    });
    expect(execution.output).toMatchObject({ release: { live: true, gate: { healthy: true } }, precheck: { ready: false } });
    expect(execution.output).not.toHaveProperty('cutover'); // compensation restores only a cut-over planned under its lock
  });

  it('cuts over after the last microservice: cut-over lock, recheck, drop monolith traffic, scale to zero, drain loop, release', async () => {
    const { execution, callsTo } = await runWorkflow({ allLive: true, drainPolls: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([
      ...RESOLVE, ...LOCK, ...TARGET_GROUP_AND_RULE, ...DEPLOY, ...GATE_POLL, ...FINISH_MICROSERVICE,
      ...CUT_OVER, ...DRAIN_POLL, ...DRAIN_POLL, ...DRAIN_POLL, 'Release cut-over lock', ...RELEASE,
    ]);
    // The cut-over is decided under the monolith's own lock: no push of the monolith can overlap it.
    // …and keeps its own service lock alive while it queues.
    expect(callsTo('Acquire cut-over lock')[0]?.input).toEqual({ lockName: 'api', owner: 'posts-exec-1', startedAt: expect.any(String), renewLock: 'posts' });
    expect(callsTo('Release cut-over lock')[0]?.input).toEqual({ lockName: 'api', owner: 'posts-exec-1' });
    expect(callsTo('Drop monolith traffic')[0]?.input).toMatchObject({ cutover: { ready: true, monolith: { service: 'api' } } });
    expect(execution.output).toMatchObject({ cutover: { drain: { drained: true } } });
  });

  it('waits for the cut-over lock while another execution decides the cut-over, then skips it when no longer due', async () => {
    const { execution, virtualSeconds } = await runWorkflow({ allLive: true, stillDue: false, cutoverLockBusy: 1 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states.slice(-11)).toEqual([
      'Acquire cut-over lock', 'Cut-over lock acquired?', 'Wait for cut-over lock',
      'Acquire cut-over lock', 'Cut-over lock acquired?', 'Recheck under cut-over lock', 'Cut-over still due?',
      'Release cut-over lock', ...RELEASE,
    ]);
    expect(execution.states).not.toContain('Drop monolith traffic');
    expect(virtualSeconds).toBe(5 + 10);
  });

  it('deploys a monolith push without target group, listener rule, traffic shift or cut-over check', async () => {
    const { execution, calls } = await runWorkflow({ role: 'monolith' });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, ...LOCK, ...DEPLOY, ...GATE_POLL, 'Release service lock', 'Rollout complete']);
    const called = calls.map((call) => call.state);
    for (const skipped of ['Ensure target group', 'Ensure listener rule', 'Shift traffic', 'Check all services live']) expect(called).not.toContain(skipped);
  });

  it('takes no lock and changes nothing for an already-live push, only checking whether the cut-over is due', async () => {
    const { execution, calls } = await runWorkflow({ upToDate: true });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, 'Check all services live', 'All services live?', 'Took the service lock?', 'Rollout complete']);
    expect(calls.map((call) => call.state)).toEqual(['Resolve release', 'Check all services live']);
  });

  it('still performs a due cut-over when the already-live push is the one that finds every service live', async () => {
    const { execution } = await runWorkflow({ upToDate: true, allLive: true });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, 'Check all services live', 'All services live?', ...CUT_OVER, ...DRAIN_POLL, 'Release cut-over lock', 'Took the service lock?', 'Rollout complete']);
    expect(execution.states).not.toContain('Acquire service lock');
  });

  it('ends at "Monolith already retired" for a monolith push after the cut-over, calling nothing else', async () => {
    const { execution, calls } = await runWorkflow({ role: 'monolith', retired: true });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, 'Monolith already retired']);
    expect(calls.map((call) => call.state)).toEqual(['Resolve release']);
  });

  it('releases the lock and deploys nothing when the monolith was cut over while this push of it waited', async () => {
    const { execution, callsTo } = await runWorkflow({ role: 'monolith', retiredUnderLock: true });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, 'Acquire service lock', 'Service lock acquired?', 'Record prior state', 'Still to deploy?', 'Release retired push', 'Monolith already retired']);
    expect(callsTo('Release retired push')[0]?.input).toEqual({ lockName: 'api', owner: 'posts-exec-1' });
    expect(callsTo('Register task definition')).toHaveLength(0);
  });

  it('releases the lock and deploys nothing when a newer push of the service is already live', async () => {
    const { execution, callsTo } = await runWorkflow({ superseded: true });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states).toEqual([...RESOLVE, 'Acquire service lock', 'Service lock acquired?', 'Release superseded push', 'Superseded by a newer push']);
    expect(callsTo('Release superseded push')[0]?.input).toEqual({ lockName: 'posts', owner: 'posts-exec-1' });
    expect(callsTo('Record prior state')).toHaveLength(0);
  });

  it('polls the service lock every waitSeconds while another execution holds it, then rolls out', async () => {
    const { execution, callsTo, virtualSeconds } = await runWorkflow({ serviceLockBusy: 2 });

    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.states.slice(2, 9)).toEqual([
      'Acquire service lock', 'Service lock acquired?', 'Wait for service lock',
      'Acquire service lock', 'Service lock acquired?', 'Wait for service lock',
      'Acquire service lock',
    ]);
    expect(callsTo('Acquire service lock').map((call) => call.at - callsTo('Acquire service lock')[0]!.at)).toEqual([0, 10_000, 20_000]);
    expect(callsTo('Record prior state')).toHaveLength(1);
    expect(virtualSeconds).toBe(20 + 5);
  });
});
