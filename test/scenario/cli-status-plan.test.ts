import { rollout as run } from './cli-run';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POSTS = join(__dirname, '..', 'fixtures', 'events', 'push-posts-v1.json');

/** Each test its own store of local runs. */
const rollout = (cwd: string, ...args: string[]) => run(args, { cwd, home: join(cwd, '.rollout') });

interface StatusJson {
  source: string;
  environment: { services: { name: string; status: string | null; taskDefinition: string | null }[] };
  lastExecutions: Record<string, { name: string; status: string; error: string | null; cause: string | null } | null>;
}

describe('rollout status and plan, locally', () => {
  it.concurrent('status shows the tutorial seed before any run, then the last run: its state and each service\'s last execution', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-status-'));

    const seed = JSON.parse((await rollout(cwd, 'status', '--json')).stdout) as StatusJson;
    const simulated = await rollout(cwd, 'simulate', '--unhealthy', 'posts', POSTS);
    const after = await rollout(cwd, 'status', '--json');

    expect(seed.source).toMatch(/^the tutorial seed/);
    expect(seed.lastExecutions.posts).toBeNull();
    expect(simulated.code).toBe(1);
    expect(after.code).toBe(0);
    const status = JSON.parse(after.stdout) as StatusJson;
    expect(status.source).toMatch(/^the last local run/);
    expect(status.lastExecutions.posts).toMatchObject({ name: 'posts-98cf390a9790526325315c828548fb07', status: 'FAILED', error: 'ServiceUnhealthyError', cause: expect.stringContaining('removed new service posts') });
    // Compensation deleted the service the failed rollout created: ECS keeps it DRAINING for a while, and status says so.
    expect(status.environment.services.find((service) => service.name === 'posts')).toMatchObject({ status: 'DRAINING' });
  });

  it.concurrent('plan says what would happen ("would …") and exits 1 naming the error when the push would be refused', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-plan-'));
    const foreign = join(cwd, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ ...(JSON.parse(readFileSync(POSTS, 'utf8')) as object), account: '999999999999' }));

    const good = await rollout(cwd, 'plan', POSTS);
    const refused = await rollout(cwd, 'plan', foreign);

    expect(good.code).toBe(0);
    expect(good.stdout).toContain('would register posts:1');
    expect(good.stdout).not.toMatch(/^\s+\d+\. (registered|created|shifted)/m);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Expected outcome: FAILED at Resolve release: ForeignImageError: refuse image posts@sha256:98cf');
    expect(refused.stderr).toBe('');
  });
});
