import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executionNameFor } from '../../lib/domain/push-event';
import { pushEvent } from '../../local/runner/scenario';
import { BIN, EVENTS_DIR, rollout, type Run } from './cli-run';

const POSTS = join(EVENTS_DIR, 'push-posts-v1.json');
const POSTS_EXECUTION = 'posts-98cf390a9790526325315c828548fb07';
const TABLE_LINE = /^[┌│├└]/;

let demoRun: Promise<Run> | undefined;
/** One piped `rollout demo`, shared by the tests that read its output. */
const pipedDemo = () => (demoRun ??= rollout(['demo']));

describe('rollout output', () => {
  it.concurrent("show prints a failed execution's error with its cause, and executions has an error column", async () => {
    // Prepare
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-failed-'));
    const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    expect((await rollout(['simulate', '--fail', 'CreateRule', POSTS], { cwd, home })).code).toBe(1);

    // Act
    const [listed, shown, shownJson] = await Promise.all([
      rollout(['executions'], { cwd, home }),
      rollout(['show', POSTS_EXECUTION], { cwd, home }),
      rollout(['show', '--json', POSTS_EXECUTION], { cwd, home }),
    ]);

    // Assess
    const [head, row] = listed.stdout.split('\n').filter((line) => line.startsWith('│'));
    expect(head?.split('│').map((cell) => cell.trim())).toEqual(['', 'name', 'status', 'started', 'stopped', 'error', '']);
    expect(row).toMatch(new RegExp(`^│ ${POSTS_EXECUTION} +│ FAILED .*│ AwsRequestError +│$`));
    const failedLine = shown.stdout.split('\n').find((line) => line.includes('ExecutionFailed'));
    expect(failedLine).toMatch(/ExecutionFailed {2}AwsRequestError: create rule \/api\/posts\* at priority 1 on listener .*: AccessDenied: .* Restored: removed new target group posts; removed new target group posts-g\.$/);
    expect(JSON.parse(shownJson.stdout)).toMatchObject({ name: POSTS_EXECUTION, error: 'AwsRequestError', cause: expect.stringContaining('Restored: removed new target group posts; removed new target group posts-g.') });
  });

  it.concurrent('fits the routing and services tables in 100 columns when piped, shortening images but never service names', async () => {
    // Act
    const run = await pipedDemo();

    // Assess
    const tableLines = run.stdout.split('\n').filter((line) => TABLE_LINE.test(line));
    expect(tableLines.length).toBeGreaterThan(20);
    expect(tableLines.filter((line) => [...line].length > 100)).toEqual([]);
    expect(run.stdout).toMatch(/│ threads +│ threads:1 +│ 1 +│ 1 +│ threads@sha256:[0-9a-f]{6}… +│/);
  });

  it.concurrent('prints one result line per execution, with its full name', async () => {
    // Act
    const run = await pipedDemo();

    // Assess
    // The virtual timeline (`<name>  SUCCEEDED  t+0s → t+24s …`) is a view of its own, not a result line.
    const results = run.stdout.split('\n').filter((line) => /SUCCEEDED|FAILED/.test(line) && !/ t\+\d+s → /.test(line));
    const names = [...new Set(results.map((line) => /((?:posts|users|threads)-[0-9a-f]{32}|cutover-[0-9a-f]{24}-\d+)/.exec(line)?.[1]))];
    expect(names).toHaveLength(4);
    for (const name of names) expect(results.filter((line) => line.includes(`${name}:`) || line.includes(`${name} `))).toHaveLength(1);
  });

  it.concurrent('exits 0 without a word when the reader closes the pipe (rollout demo | head -1)', async () => {
    // Act
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const env = { ...process.env, ROLLOUT_HOME: mkdtempSync(join(tmpdir(), 'rollout-home-')) };
      const child = spawn('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${BIN}" demo | head -1`], { env, timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('The tutorial\'s starting point: the monolith "api" serves every path.\n');
  });

  it.concurrent('names the error once, and names the Task state that timed out', async () => {
    // Act
    const [timedOut, denied] = await Promise.all([rollout(['simulate', '--fail', 'CreateService:timeout', POSTS]), rollout(['simulate', '--fail', 'CreateRule', POSTS])]);

    // Assess
    expect(timedOut.stdout).toContain('\n  States.Timeout: "Deploy service" timed out (its Task did not answer within 60 s). Restored: removed rule /api/posts*');
    expect(timedOut.stdout).not.toContain('States.Timeout: States.Timeout');
    expect(denied.stdout).toContain('\n  AwsRequestError: create rule /api/posts*');
    expect(denied.stdout).not.toContain('AwsRequestError: AwsRequestError');
  });

  it.concurrent("says which field of the rule's pattern an event does not match", async () => {
    // Prepare
    const fixture = (name: string) => join(EVENTS_DIR, 'not-matching', `${name}.json`);

    // Act
    const [run, planned] = await Promise.all([
      rollout(['simulate', ...['other-source', 'other-detail-type', 'delete-posts', 'push-failure-posts', 'push-unknown-repository', 'push-untagged-posts'].map(fixture)]),
      rollout(['plan', fixture('push-repository-prefix-of-known')]),
    ]);

    // Assess
    expect(run.code).toBe(0);
    const reasons = run.stdout.split('\n').filter((line) => line.includes('not matched')).map((line) => line.replace(/^.*not matched by the ECR push rule: /, ''));
    expect(reasons).toEqual([
      'source is "aws.s3", the rule wants "aws.ecr": no execution',
      'detail-type is "ECR Image Scan", the rule wants "ECR Image Action": no execution',
      'detail.action-type is "DELETE", the rule wants "PUSH": no execution',
      'detail.result is "FAILURE", the rule wants "SUCCESS": no execution',
      'detail.repository-name is "billing": not a repository of the catalog (known: api, posts, threads, users): no execution',
      'detail.image-tag is missing: an untagged push (a platform manifest, an attestation or a push by digest) deploys nothing: no execution',
    ]);
    expect(planned.stdout).toContain('not matched by the ECR push rule: detail.repository-name is "posts-legacy": not a repository of the catalog (known: api, posts, threads, users): nothing would change.');
  });

  it.concurrent('shows a wait for a lock as one line: whose lock, held by which execution, for how long', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'rollout-lock-'));
    const [v1, v2] = ['v1', 'v2'].map((tag, index) => {
      const file = join(dir, `posts-${tag}.json`);
      writeFileSync(file, JSON.stringify(pushEvent('posts', tag, `2026-11-26T09:00:0${index}Z`)));
      return file;
    });
    const names = [v1, v2].map((file) => {
      const detail = (JSON.parse(readFileSync(file ?? '', 'utf8')) as { detail: { 'image-digest': string } }).detail;
      return executionNameFor('posts', detail['image-digest']);
    });

    // Act
    const run = await rollout(['simulate', '--concurrent', v1 ?? '', v2 ?? '']);

    // Assess
    expect(run.code).toBe(0);
    const waits = run.stderr.split('\n').filter((line) => / waited /.test(line));
    expect(waits).toHaveLength(1);
    const [waiter, holder] = waits[0]?.includes(`] ${names[0]}  `) ? names : [...names].reverse();
    expect(waits[0]).toMatch(new RegExp(`^\\[\\d\\d:\\d\\d\\] ${waiter}  waited \\d+(m\\d\\d)?s for the lock of posts, held by ${holder}$`));
    expect(run.stderr).not.toMatch(/Wait for service lock|retry after/);
  });

  it.concurrent('prints the version in package.json for --version', async () => {
    // Act
    const run = await rollout(['--version']);

    // Assess
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});
