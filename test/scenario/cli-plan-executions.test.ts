import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollout as run } from './cli-run';

const POSTS = join(__dirname, '..', 'fixtures', 'events', 'push-posts-v1.json');

/** The CLI, run in `cwd` with its run store at `cwd`/home. */
const rollout = (cwd: string, ...args: string[]) => run(args, { cwd, home: join(cwd, 'home') });

describe('rollout plan, executions and show', () => {
  it.concurrent('plan of an update of a live canary service says it is a rolling update, then one bake at 100 %, and why', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-plan-update-'));
    const seed = join(cwd, 'seed.json');
    writeFileSync(seed, JSON.stringify({ live: ['posts'] }));
    const event = await rollout(cwd, 'event', 'posts', '--tag', 'v2');
    const file = join(cwd, 'posts-v2.json');
    writeFileSync(file, event.stdout);

    const run = await rollout(cwd, 'plan', '--seed', seed, file);

    expect(run.code).toBe(0);
    // The first update of a live service is AWS's first step to ECS's own deployments: a rolling update that adds
    // advancedConfiguration, judged by one bake at 100 %.
    expect(run.stdout).toContain("would bake 5 min at 100 % (an update of a live service: ECS's rolling update moves its traffic, because ECS's documented switch from rolling to blue/green starts with a rolling deployment that adds advancedConfiguration");
    expect(run.stdout).toContain('the next update is ECS\'s own; then this bake judges the new revision)');
    expect(run.stdout).not.toContain('would change rule /api/posts*');
  });

  it.concurrent('plan --json lists what the push would change and records no run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-plan-'));

    const run = await rollout(cwd, 'plan', '--json', POSTS);

    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as { matched: boolean; outcome: string; steps: string[]; changes: string[] };
    expect(plan).toMatchObject({ matched: true, outcome: 'SUCCEEDED' });
    expect(plan.steps).toEqual([
      'registered posts:1',
      'created target group posts',
      'created target group posts-g',
      'created rule /api/posts* at priority 1 (posts at weight 0)',
      'created service posts with posts:1 × 1',
      'shifted 10 % of /api/posts* to posts',
      'shifted /api/posts* to posts',
    ]);
    expect(plan.changes).toEqual(['RegisterTaskDefinition', 'CreateTargetGroup', 'CreateTargetGroup', 'CreateRule', 'CreateService', 'ModifyRule', 'ModifyRule']);
    expect(existsSync(join(cwd, 'home'))).toBe(false);
  });

  it.concurrent('executions and show read back the last simulate run, state by state', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-show-'));
    expect((await rollout(cwd, 'simulate', POSTS)).code).toBe(0);

    const listed = await rollout(cwd, 'executions', '--json');
    const executions = JSON.parse(listed.stdout) as { name: string; status: string }[];
    expect(executions).toEqual([expect.objectContaining({ name: 'posts-98cf390a9790526325315c828548fb07', status: 'SUCCEEDED' })]);

    const shown = await rollout(cwd, 'show', '--json', 'posts-98cf390a9790526325315c828548fb07');
    const entered = (JSON.parse(shown.stdout) as { history: { type: string; state?: string }[] }).history.filter((e) => e.type === 'StateEntered').map((e) => e.state);
    expect(entered).toEqual(expect.arrayContaining(['Resolve release', 'Deploy service', 'Check service health', 'Shift traffic', 'Release service lock', 'Start cut-over if due']));
    expect(entered.at(-1)).toBe('Done');

    const missing = await rollout(cwd, 'show', 'no-such-execution');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no execution named no-such-execution');
  });
});
