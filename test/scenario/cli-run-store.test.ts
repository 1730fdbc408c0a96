import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_DIR, rollout } from './cli-run';

const POSTS = join(EVENTS_DIR, 'push-posts-v1.json');
const THREADS = join(EVENTS_DIR, 'push-threads-v1.json');
const UNMATCHED = join(EVENTS_DIR, 'not-matching', 'delete-posts.json');

const listed = async (cwd: string, home: string) => (JSON.parse((await rollout(['executions', '--json'], { cwd, home })).stdout) as { name: string }[]).map((e) => e.name);

describe('rollout run store', () => {
  it.concurrent('keeps each run in a folder of its own under $ROLLOUT_HOME, read from any directory, and a run that started nothing leaves the last one', async () => {
    // Prepare
    const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    const [here, elsewhere] = [mkdtempSync(join(tmpdir(), 'rollout-a-')), mkdtempSync(join(tmpdir(), 'rollout-b-'))];

    // Act
    expect((await rollout(['simulate', POSTS], { cwd: here, home })).code).toBe(0);
    const afterPosts = await listed(elsewhere, home);
    expect((await rollout(['simulate', UNMATCHED], { cwd: here, home })).code).toBe(0);
    const afterUnmatched = await listed(here, home);
    expect((await rollout(['simulate', THREADS], { cwd: here, home })).code).toBe(0);
    const afterThreads = await listed(elsewhere, home);

    // Assess
    expect(afterPosts).toEqual(['posts-98cf390a9790526325315c828548fb07']);
    expect(afterUnmatched).toEqual(afterPosts);
    expect(afterThreads).toEqual([expect.stringMatching(/^threads-[0-9a-f]{32}$/)]);
    const runs = readdirSync(join(home, 'runs')).sort();
    expect(runs).toHaveLength(2);
    expect(readFileSync(join(home, 'last'), 'utf8').trim()).toBe(join('runs', runs[1] ?? ''));
    expect(existsSync(join(here, '.rollout'))).toBe(false);
    expect(existsSync(join(elsewhere, '.rollout'))).toBe(false);
  });
});
