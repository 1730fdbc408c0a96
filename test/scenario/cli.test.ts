import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'rollout.cjs');
const EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');
const POSTS = join(EVENTS_DIR, 'push-posts-v1.json');
const THREADS = join(EVENTS_DIR, 'push-threads-v1.json');
const UNMATCHED = join(EVENTS_DIR, 'not-matching', 'delete-posts.json');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  cwd: string;
  home: string;
}

/** `node bin/rollout.cjs …` in a fresh directory, with a fresh run store ($ROLLOUT_HOME), killed after 30 s. */
function rollout(...args: string[]): Promise<Run> {
  const cwd = mkdtempSync(join(tmpdir(), 'rollout-cli-'));
  const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, timeout: 30_000, env: { ...process.env, NO_COLOR: '1', ROLLOUT_HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, cwd, home }));
  });
}

const isAction = expect.objectContaining({ Type: expect.any(String) });

describe('rollout CLI contract', () => {
  it.concurrent('simulate --json prints the documented report, an unmatched event as matched:false with no execution, and exits 0', async () => {
    const run = await rollout('simulate', '--json', POSTS, UNMATCHED);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(['awsCalls', 'executions', 'state', 'virtualSeconds']);
    expect(report.executions).toEqual([
      {
        event: POSTS,
        matched: true,
        name: expect.stringMatching(/^posts-[0-9a-f]+$/),
        status: 'SUCCEEDED',
        error: null,
        cause: null,
        states: expect.arrayContaining(['Resolve release', 'Shift traffic', 'Release service lock', 'Start cut-over if due', 'Done']),
        transitions: expect.any(Number),
        // the tutorial's posts: a 10 % canary, a 5-minute bake, then the rest (virtual seconds from the first event)
        trafficSteps: [{ virtualSeconds: expect.any(Number), percent: 10 }, { virtualSeconds: expect.any(Number), percent: 100 }],
        children: [],
      },
      { event: UNMATCHED, matched: false, name: null, status: null, error: null, cause: null, states: [], transitions: 0, trafficSteps: [], children: [] },
    ]);
    const [canary, full] = (report.executions as { trafficSteps: { virtualSeconds: number }[] }[])[0]?.trafficSteps ?? [];
    expect((full?.virtualSeconds ?? 0) - (canary?.virtualSeconds ?? 0)).toBeGreaterThanOrEqual(300);
    expect(Object.values(report.awsCalls as Record<string, unknown>).every((count) => Number.isInteger(count))).toBe(true);
    expect(report.awsCalls).toMatchObject({ StartExecution: 1, CreateRule: 1, CreateService: 1, CreateTargetGroup: 2, RegisterTaskDefinition: 1 });
    expect(report.virtualSeconds).toEqual(expect.any(Number));
    const state = report.state as { listener: { defaultActions: unknown[]; rules: unknown[] }; targetGroups: unknown[]; services: { name: string }[] };
    expect(Object.keys(state).sort()).toEqual(['listener', 'services', 'targetGroups']);
    expect(Object.keys(state.listener).sort()).toEqual(['defaultActions', 'rules']);
    expect(state.listener.defaultActions).toEqual([isAction]);
    for (const rule of state.listener.rules) {
      expect(rule).toEqual({ priority: expect.any(Number), paths: expect.arrayContaining([expect.any(String)]), actions: expect.arrayContaining([isAction]) });
    }
    for (const group of state.targetGroups) {
      expect(group).toEqual({
        name: expect.any(String),
        healthCheck: { path: expect.any(String), healthyThreshold: expect.any(Number), unhealthyThreshold: expect.any(Number), timeoutSeconds: expect.any(Number), intervalSeconds: expect.any(Number) },
        healthyTargets: expect.any(Number),
      });
    }
    for (const service of state.services) {
      expect(service).toEqual({ name: expect.any(String), desiredCount: expect.any(Number), runningCount: expect.any(Number), taskDefinition: expect.stringMatching(/^[\w-]+:\d+$/), image: expect.stringMatching(/@sha256:[0-9a-f]{64}$/) });
    }
    expect(state.services.map((service) => service.name).sort()).toEqual(['api', 'posts']);
    expect(existsSync(join(run.home, 'last'))).toBe(true);
  });

  it.concurrent('exits 2 naming an unreadable event file, printing nothing on stdout', async () => {
    const missing = join(tmpdir(), 'no-such-dir-for-rollout', 'push.json');
    const run = await rollout('simulate', '--json', POSTS, missing);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(missing);
  });

  it.concurrent('exits 2 naming an event file that is not JSON, printing nothing on stdout', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rollout-event-')), 'broken.json');
    writeFileSync(file, '{ "detail-type": ');
    const run = await rollout('simulate', '--json', file);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(file);
  });

  it.concurrent('exits 1 when --fail CreateRule makes the rollout fail', async () => {
    const run = await rollout('simulate', '--json', '--fail', 'CreateRule', POSTS);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { executions: { status: string; error: string }[] };
    expect(report.executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'AwsRequestError']]);
  });

  it.concurrent('exits 1 when the cut-over a rollout started fails, listing it under children while the rollout itself SUCCEEDED', async () => {
    const seed = join(mkdtempSync(join(tmpdir(), 'rollout-seed-')), 'seed.json');
    writeFileSync(seed, JSON.stringify({ live: ['posts', 'users'] }));
    const run = await rollout('simulate', '--json', '--seed', seed, '--fail', 'ModifyListener', THREADS);

    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { executions: { status: string; error: string | null; children: Record<string, unknown>[] }[] };
    expect(report.executions).toEqual([
      expect.objectContaining({
        status: 'SUCCEEDED',
        error: null,
        children: [
          {
            name: expect.stringMatching(/^cutover-[0-9a-f]{24}-1$/),
            status: 'FAILED',
            error: 'AwsRequestError',
            cause: expect.stringContaining('Restored: rule at priority 99 forwards to the monolith again.'),
            states: expect.arrayContaining(['Drop monolith traffic', 'Compensate', 'Cut-over failed']),
            transitions: expect.any(Number),
            trafficSteps: [],
          },
        ],
      }),
    ]);
  });

  it.concurrent('exits 2 on --fail with an operation the pipeline does not call, running nothing', async () => {
    const run = await rollout('simulate', '--json', '--fail', 'NotAnOperation', POSTS);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('NotAnOperation');
  });

  it.concurrent('demo exits 0 and its last line says the migration is complete', async () => {
    const run = await rollout('demo');

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^Migration complete/);
  });

  it.concurrent('demo --json prints a parseable report of a completed migration', async () => {
    const run = await rollout('demo', '--json');

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { executions: { status: string }[]; migrated: boolean; findings: string[]; awsCalls: Record<string, number> };
    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(report.migrated).toBe(true);
    expect(report.findings).toEqual([]);
    expect(report.awsCalls.ModifyListener).toBe(1);
  });
});
