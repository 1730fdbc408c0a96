import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { LockNotHeldError } from '../../cli/abort/abort-errors';
import { abortAt } from '../../cli/abort/local-abort';
import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport, stateReport, type StateReport } from '../../local/runner/report';
import { rollout, EVENTS_DIR } from './cli-run';
import { executionsOf, fixture, lockItem, pipelineWithLive, routing, servicesOf } from './helpers';

const HEALTH_GATE = 'Wait for service to be healthy';
const DRAIN = 'Wait for monolith to drain';
const now = (pipeline: LocalPipeline): StateReport => stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);

/** A listener that takes the state of the world the moment an execution enters `state` (before abort's own listener). */
function stateOnEntering(pipeline: LocalPipeline, state: string, also: () => Promise<void> | void = () => undefined): () => StateReport | undefined {
  let seen: StateReport | undefined;
  pipeline.sfn.listeners.push((_record, event) => {
    if (seen || event.type !== 'StateEntered' || event.state !== state) return;
    seen = now(pipeline);
    void also();
  });
  return () => seen;
}

describe('rollout abort on the local run (simulate --abort-at): a real execution stopped where it waits', () => {
  it('stops a canary during its bake: the rule back to the monolith, nothing of posts left, trafficSteps ending at 0', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      // Prepare: abort at the first wait after the 10 % step (the bake's first look)
      const before = now(pipeline);
      const aborter = abortAt(pipeline, HEALTH_GATE, (record) => record.states.includes('Shift traffic'));

      // Act
      const delivery = await pipeline.deliver('push-posts-v1.json', fixture('push-posts-v1').event);
      await pipeline.settle();
      const report = await aborter.result();

      // Assess
      expect(report).toMatchObject({ outcome: 'restored', restored: expect.arrayContaining(['removed rule /api/posts*: those paths go to the monolith again', 'removed new service posts']) });
      expect(routing(now(pipeline))).toEqual(routing(before));
      expect(Object.keys(servicesOf(now(pipeline)))).toEqual(['api']);
      const execution = executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart);
      expect(execution.trafficSteps.map((step) => step.percent)).toEqual([10, 0]);
    } finally {
      pipeline.dispose();
    }
  });

  it('stops a first rollout in its health gate and leaves the listener, the services and the target groups exactly as before, its lock free', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      // Prepare
      const before = now(pipeline);
      const inGate = stateOnEntering(pipeline, HEALTH_GATE);
      const aborter = abortAt(pipeline, HEALTH_GATE);

      // Act
      await pipeline.deliver('push-posts-v1.json', fixture('push-posts-v1').event);
      await pipeline.settle();
      const report = await aborter.result();

      // Assess: in the gate the rule, the group and the service were there; after the abort, the world as before
      expect(routing(inGate() ?? before)).toEqual({ default: 'api', '1 /api/posts*': 'api=1,posts=0', '99 /api*': 'api' });
      expect(Object.keys(servicesOf(inGate() ?? before))).toEqual(['api', 'posts']);
      expect(now(pipeline)).toEqual(before);
      expect(await lockItem(pipeline, 'posts')).toEqual({ pk: 'lock#posts' });
      const [execution] = executionsOf(pipeline, 'rollout');
      expect({ status: execution?.status, error: execution?.error, last: execution?.states.at(-1) }).toEqual({ status: 'ABORTED', error: 'ExecutionAborted', last: HEALTH_GATE });
      expect(execution?.states).not.toContain('Compensate');
      expect(report).toEqual({
        execution: execution?.name,
        kind: 'rollout',
        stoppedIn: HEALTH_GATE,
        statusBefore: 'RUNNING',
        statusAfter: 'ABORTED',
        waitedForStepSeconds: 0,
        outcome: 'restored',
        reason: 'the prior state it recorded under lock#posts before its first change',
        restored: ['removed rule /api/posts*: those paths go to the monolith again', 'removed new service posts', 'removed new target group posts', 'removed new target group posts-g'],
        lock: { key: 'lock#posts', heldBy: execution?.name, freed: true },
      });
    } finally {
      pipeline.dispose();
    }
  });

  it('refuses (LockNotHeldError) a rollout whose lock another execution holds now: it keeps running and nothing changes', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      // Prepare: the moment posts enters its gate, its lock goes to someone else
      const { dynamodb } = pipeline.emulator.clients();
      const inGate = stateOnEntering(pipeline, HEALTH_GATE, () =>
        dynamodb.send(
          new UpdateItemCommand({
            TableName: pipeline.lockTableName,
            Key: { pk: { S: 'lock#posts' } },
            UpdateExpression: 'SET #owner = :other',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':other': { S: 'posts-ffffffffffffffffffffffffffffffff' } },
          }),
        ).then(() => undefined),
      );
      const aborter = abortAt(pipeline, HEALTH_GATE);

      // Act: one second into the gate's first wait
      await pipeline.deliver('push-posts-v1.json', fixture('push-posts-v1').event);
      await pipeline.time.advance(1000);
      const refused = await aborter.result().catch((error: unknown) => error);
      const [execution] = executionsOf(pipeline, 'rollout');

      // Assess
      expect(refused).toBeInstanceOf(LockNotHeldError);
      expect((refused as Error).message).toMatch(/is RUNNING but lock#posts is held by posts-f{32} \(lease until .*\): restoring could undo another execution's work; nothing changed$/);
      expect(execution?.status).toBe('RUNNING');
      expect(now(pipeline)).toEqual(inGate());
      expect(await lockItem(pipeline, 'posts')).toMatchObject({ owner: 'posts-ffffffffffffffffffffffffffffffff' });
      await pipeline.settle();
    } finally {
      pipeline.dispose();
    }
  });

  it("stops a cut-over while the monolith drains: every path the monolith served is its again, it runs its task again, and the services stay live", async () => {
    const pipeline = await pipelineWithLive(['posts', 'users']);
    try {
      // Prepare
      const aborter = abortAt(pipeline, DRAIN);

      // Act
      await pipeline.deliver('push-threads-v1.json', fixture('push-threads-v1').event);
      await pipeline.settle();
      const report = await aborter.result();

      // Assess
      const [threads] = executionsOf(pipeline, 'rollout');
      const [cutover] = executionsOf(pipeline, 'cutover');
      expect([threads?.status, cutover?.status]).toEqual(['SUCCEEDED', 'ABORTED']);
      expect(routing(now(pipeline))).toEqual({ default: 'api', '1 /api/posts*': 'posts=1,posts-g=0', '2 /api/users*': 'users=1,users-g=0', '3 /api/threads*': 'threads=1,threads-g=0', '99 /api*': 'api' });
      expect(servicesOf(now(pipeline)).api?.desired).toBe(1);
      expect(await lockItem(pipeline, 'api')).not.toHaveProperty('owner');
      expect(report).toMatchObject({
        execution: cutover?.name,
        kind: 'cutover',
        stoppedIn: DRAIN,
        outcome: 'restored',
        restored: ['rule at priority 99 forwards to the monolith again', 'default action forwards to the monolith again', 'monolith api back to 1 task(s)'],
        lock: { key: 'lock#api', freed: true },
      });
    } finally {
      pipeline.dispose();
    }
  });
});

describe('rollout simulate --abort-at and rollout abort, as the CLI', () => {
  const posts = `${EVENTS_DIR}/push-posts-v1.json`;

  it.concurrent('reports the aborted execution (status ABORTED) and what abort restored under `aborted`; then `rollout abort` finds it not running', async () => {
    // Act
    const run = await rollout(['simulate', '--json', '--abort-at', HEALTH_GATE, posts]);
    const again = await rollout(['abort', 'posts-98cf390a9790526325315c828548fb07'], { home: run.home });

    // Assess
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as { executions: { status: string; error: string; cause: string }[]; aborted: unknown; state: StateReport };
    expect(report.executions).toMatchObject([{ status: 'ABORTED', error: 'ExecutionAborted', cause: `stopped by rollout abort in "${HEALTH_GATE}"` }]);
    expect(report.aborted).toMatchObject({ execution: 'posts-98cf390a9790526325315c828548fb07', outcome: 'restored', lock: { key: 'lock#posts', freed: true } });
    expect(routing(report.state)).toEqual({ default: 'api', '99 /api*': 'api' });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'rollout: ExecutionNotRunningError: posts-98cf390a9790526325315c828548fb07 is ABORTED in the last local run, not RUNNING: nothing to abort, nothing changed (a local run ends every execution before its command returns; `rollout simulate --abort-at STATE` aborts one mid-run)\n',
    );
  });

  it.concurrent('keeps the simulate --json report as it was without --abort-at (no `aborted` key)', async () => {
    const run = await rollout(['simulate', '--json', posts]);
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as object)).not.toContain('aborted');
  });

  it.concurrent('refuses an --abort-at that is not a state an execution waits in (exit 2), naming those states', async () => {
    const run = await rollout(['simulate', '--abort-at', 'Deploy service', posts]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'rollout: invalid --abort-at "Deploy service": not a state an execution waits in (one of "Wait for service lock", "Wait for service to be healthy", "Wait for monolith to drain")\n',
    );
    expect(run.stdout).toBe('');
  });
});
