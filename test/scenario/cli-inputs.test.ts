import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_DIR, rollout } from './cli-run';

const POSTS = join(EVENTS_DIR, 'push-posts-v1.json');
const UNMATCHED = join(EVENTS_DIR, 'not-matching', 'delete-posts.json');
const SERVICES = join(__dirname, '..', '..', 'services');
const DIGEST = `sha256:${'ab'.repeat(32)}`;

interface Report {
  executions: { event: string; matched: boolean; name: string | null; status: string | null; error: string | null; cause: string | null; children: { status: string | null }[] }[];
}

const keysOf = (value: object) => Object.keys(value).sort();

describe('rollout event', () => {
  it.concurrent('writes an ECR push event of the service in the shape ECR emits, tag v1 and a digest derived from service and tag', async () => {
    // Prepare
    const fixture = JSON.parse(readFileSync(POSTS, 'utf8')) as Record<string, unknown> & { detail: object };

    // Act
    const [first, again, otherTag] = await Promise.all([rollout(['event', 'posts']), rollout(['event', 'posts']), rollout(['event', 'posts', '--tag', 'v2'])]);

    // Assess
    expect(first.code).toBe(0);
    const event = JSON.parse(first.stdout) as Record<string, unknown> & { detail: Record<string, unknown> };
    expect(keysOf(event)).toEqual(keysOf(fixture));
    expect(keysOf(event.detail)).toEqual(keysOf(fixture.detail));
    expect(event).toMatchObject({ version: '0', source: 'aws.ecr', 'detail-type': 'ECR Image Action', account: '123456789012', region: 'us-east-1', resources: [] });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(event.detail).toEqual({ result: 'SUCCESS', 'repository-name': 'posts', 'image-digest': expect.stringMatching(/^sha256:[0-9a-f]{64}$/), 'action-type': 'PUSH', 'image-tag': 'v1' });
    const digestOf = (stdout: string) => (JSON.parse(stdout) as { detail: { 'image-digest': string } }).detail['image-digest'];
    expect(digestOf(again.stdout)).toBe(event.detail['image-digest']);
    expect(digestOf(otherTag.stdout)).not.toBe(event.detail['image-digest']);
  });

  it.concurrent('writes --tag and --digest to --out FILE, printing nothing', async () => {
    // Prepare
    const out = join(mkdtempSync(join(tmpdir(), 'rollout-event-')), 'users.json');

    // Act
    const run = await rollout(['event', 'users', '--tag', 'release-2', '--digest', DIGEST, '--out', out]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { detail: object }).detail).toMatchObject({ 'repository-name': 'users', 'image-tag': 'release-2', 'image-digest': DIGEST });
  });

  it.concurrent.each([
    [['event', 'billing'], /^rollout: unknown service billing: .*\(the services are api, posts, threads, users\)\n$/],
    [['event', 'posts', '--digest', 'sha256:abc'], /^rollout: invalid --digest "sha256:abc": must be sha256: followed by 64 lowercase hex characters\n$/],
    [['event', 'posts', '--digest', DIGEST.toUpperCase().replace('SHA256', 'sha256')], /^rollout: invalid --digest/],
  ])('refuses %j with exit 2 and one line, writing no event', async (args, message) => {
    // Act
    const run = await rollout(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it.concurrent("reads the manifests of --services DIR, and its event runs through simulate from standard input", async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'rollout-event-services-'));
    cpSync(SERVICES, dir, { recursive: true });
    cpSync(join(dir, 'posts'), join(dir, 'orders'), { recursive: true });
    writeFileSync(join(dir, 'orders', 'service.yml'), 'name: orders\nrepository: orders-repo\npaths: ["/api/orders*"]\npriority: 4\n');

    // Act
    const written = await rollout(['event', 'orders', '--services', dir]);
    const simulated = await rollout(['simulate', '--json', '--services', dir, '-'], { input: written.stdout });

    // Assess
    expect(written.code).toBe(0);
    expect((JSON.parse(written.stdout) as { detail: object }).detail).toMatchObject({ 'repository-name': 'orders-repo' });
    expect(simulated.code).toBe(0);
    expect((JSON.parse(simulated.stdout) as Report).executions).toMatchObject([{ event: '-', matched: true, name: expect.stringMatching(/^orders-repo-[0-9a-f]{32}$/), status: 'SUCCEEDED' }]);
  });
});

describe('rollout simulate inputs', () => {
  it.concurrent('reads one event from standard input for -', async () => {
    // Act
    const run = await rollout(['simulate', '--json', '-'], { input: readFileSync(POSTS, 'utf8') });

    // Assess
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).executions).toMatchObject([{ event: '-', matched: true, status: 'SUCCEEDED' }]);
  });

  it.concurrent('reads a JSON array of events from standard input for -, each labelled by its index', async () => {
    // Prepare
    const events = [POSTS, UNMATCHED].map((file) => JSON.parse(readFileSync(file, 'utf8')) as unknown);

    // Act
    const run = await rollout(['simulate', '--json', '-'], { input: JSON.stringify(events) });

    // Assess
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).executions).toMatchObject([
      { event: '-[0]', matched: true, status: 'SUCCEEDED' },
      { event: '-[1]', matched: false, status: null },
    ]);
  });

  it.concurrent('refuses --fail giving one operation two ways with exit 2, running nothing', async () => {
    // Act
    const run = await rollout(['simulate', '--json', '--fail', 'CreateRule', '--fail', 'CreateRule:3', POSTS]);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('rollout: invalid --fail CreateRule:3: --fail CreateRule already says how CreateRule fails (one --fail per OPERATION: OPERATION, OPERATION:N or OPERATION:timeout)\n');
  });

  it.concurrent('warns, one line each, about --fail faults that never fired because nothing called their operation', async () => {
    // Act
    const run = await rollout(['simulate', '--json', '--fail', 'DeleteService', '--fail', 'PutItem', '--fail', 'CreateRule:1', POSTS]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      ['rollout: warning: --fail DeleteService never fired: nothing called DeleteService in this run', 'rollout: warning: --fail PutItem never fired: nothing called PutItem in this run', ''].join('\n'),
    );
    expect((JSON.parse(run.stdout) as Report).executions).toMatchObject([{ status: 'SUCCEEDED' }]);
  });

  it.concurrent('runs an event over 8 KB whose bulk is in fields the pipeline does not read, and refuses one whose read fields exceed 8 KB', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'rollout-big-'));
    const event = JSON.parse(readFileSync(POSTS, 'utf8')) as Record<string, unknown> & { detail: Record<string, unknown> };
    const bulky = join(dir, 'bulky.json');
    writeFileSync(bulky, JSON.stringify({ ...event, detail: { ...event.detail, 'manifest-media-type': 'y'.repeat(20_000) } }));
    const oversized = join(dir, 'oversized.json');
    writeFileSync(oversized, JSON.stringify({ ...event, version: 'x'.repeat(9_000) }));

    // Act
    const run = await rollout(['simulate', '--json', bulky, oversized]);

    // Assess
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Report).executions).toMatchObject([
      { event: bulky, matched: true, status: 'SUCCEEDED' },
      { event: oversized, matched: true, name: null, status: 'FAILED', error: 'ValidationError', cause: expect.stringMatching(/^start rollout: invalid ECR push event: version: the event is \d+ bytes, over the 8192-byte limit$/) },
    ]);
  });
});
