import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlarms, parseFaulty, parseSlow, trafficMarks, unreadAlarms } from '../../../cli/traffic-options';
import { buildCatalog } from '../../../lib/domain/catalog';

const catalog = buildCatalog([
  { file: 'services/api/service.yml', content: { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99 } },
  { file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1, traffic: { strategy: 'canary', alarms: ['posts-5xx'] } } },
  { file: 'services/users/service.yml', content: { name: 'users', repository: 'users-repo', paths: ['/api/users*'], priority: 2 } },
]);

/** A services folder of these manifests (YAML is a superset of JSON). */
function servicesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-traffic-flags-'));
  for (const manifest of catalog.services) {
    mkdirSync(join(dir, manifest.name));
    writeFileSync(join(dir, manifest.name, 'service.yml'), JSON.stringify({ name: manifest.name, repository: manifest.repository, role: manifest.role, paths: manifest.paths, priority: manifest.priority, traffic: manifest.traffic }));
  }
  return dir;
}

const usageError = (message: string) => expect.objectContaining({ name: 'UsageError', message }) as Error;

describe('--faulty SERVICE[:RATE]', () => {
  it.each([
    ['posts', { service: 'posts' }],
    ['posts:1', { service: 'posts', errorRate: 1 }],
    ['posts:0', { service: 'posts', errorRate: 0 }],
    ['users:0.25', { service: 'users', errorRate: 0.25 }],
    ['api:.5', { service: 'api', errorRate: 0.5 }],
  ])('reads %s as %j (no RATE: the emulator default, 0.5)', (spec, mark) => {
    // Act, Assess
    expect(parseFaulty(spec, catalog)).toEqual(mark);
  });

  it.each([
    ['posts:2', 'invalid --faulty posts:2: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)'],
    ['posts:50%', 'invalid --faulty posts:50%: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)'],
    ['posts:-0.1', 'invalid --faulty posts:-0.1: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)'],
    ['posts:1e-1', 'invalid --faulty posts:1e-1: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)'],
    ['posts:half', 'invalid --faulty posts:half: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)'],
    ['posts:', 'invalid --faulty "posts:": the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)'],
    [':0.5', 'invalid --faulty ":0.5": use SERVICE or SERVICE:RATE'],
    ['nope', 'invalid --faulty nope: no service nope (the services are api, posts, users)'],
    ['users-repo:0.5', 'invalid --faulty users-repo:0.5: no service users-repo (the services are api, posts, users)'],
  ])('refuses %j: %s', (spec, message) => {
    // Act, Assess
    expect(() => parseFaulty(spec, catalog)).toThrow(usageError(message));
  });
});

describe('--slow SERVICE[:MS]', () => {
  it.each([
    ['posts', { service: 'posts' }],
    ['posts:0', { service: 'posts', addedLatencyMs: 0 }],
    ['users:250', { service: 'users', addedLatencyMs: 250 }],
    ['users:1.5', { service: 'users', addedLatencyMs: 1.5 }],
  ])('reads %s as %j (no MS: the emulator default, 2000)', (spec, mark) => {
    // Act, Assess
    expect(parseSlow(spec, catalog)).toEqual(mark);
  });

  it.each([
    ['posts:-5', 'invalid --slow posts:-5: MS must be a number of milliseconds >= 0 (added to every response)'],
    ['posts:2s', 'invalid --slow posts:2s: MS must be a number of milliseconds >= 0 (added to every response; for 2 s write posts:2000)'],
    ['posts:Infinity', 'invalid --slow posts:Infinity: MS must be a number of milliseconds >= 0 (added to every response)'],
    [`posts:${'9'.repeat(400)}`, `invalid --slow posts:${'9'.repeat(400)}: MS must be a number of milliseconds >= 0 (added to every response)`],
    ['posts:', 'invalid --slow "posts:": MS must be a number of milliseconds >= 0 (added to every response)'],
    ['nope:100', 'invalid --slow nope:100: no service nope (the services are api, posts, users)'],
  ])('refuses %j: %s', (spec, message) => {
    // Act, Assess
    expect(() => parseSlow(spec, catalog)).toThrow(usageError(message));
  });
});

describe('--alarm NAME', () => {
  it('keeps each name once, in order, warning about a repeat', () => {
    // Act, Assess
    expect(parseAlarms(['posts-5xx', 'Users p99 > 2 s', 'posts-5xx'])).toEqual({ alarms: ['posts-5xx', 'Users p99 > 2 s'], warnings: ['--alarm posts-5xx is given twice: once is enough'] });
  });

  it.each([
    ['', 'invalid --alarm "": an alarm name is 1-255 characters, got 0'],
    ['x'.repeat(256), `invalid --alarm "${'x'.repeat(256)}": an alarm name is 1-255 characters, got 256`],
    ['posts\n5xx', 'invalid --alarm "posts\\n5xx": an alarm name has no control characters'],
  ])('refuses %j as CloudWatch would', (name, message) => {
    // Act, Assess
    expect(() => parseAlarms([name])).toThrow(usageError(message));
  });

  it("warns about an alarm no manifest's traffic.alarms names", () => {
    // Act, Assess
    expect(unreadAlarms(['posts-5xx', 'post-5xx'], catalog)).toEqual(["--alarm post-5xx: no manifest's traffic.alarms names it, so no rollout reads it"]);
  });
});

describe('the flags as ScenarioOptions has them', () => {
  it('maps --faulty, --slow and --alarm to faulty, slow and alarms, checked against the catalog of --services DIR', () => {
    // Act
    const marks = trafficMarks({ faulty: ['posts:1', 'users'], slow: ['posts:300'], alarm: ['posts-5xx'] }, servicesDir());

    // Assess
    expect(marks).toEqual({
      faulty: [{ service: 'posts', errorRate: 1 }, { service: 'users' }],
      slow: [{ service: 'posts', addedLatencyMs: 300 }],
      alarms: ['posts-5xx'],
      warnings: [],
    });
  });

  it('checks services against the default services/ folder without --services DIR', () => {
    // Act, Assess
    expect(() => trafficMarks({ faulty: ['orders'] }, undefined)).toThrow(usageError('invalid --faulty orders: no service orders (the services are api, posts, threads, users)'));
  });

  it('reads no catalog when no flag is given', () => {
    // Act, Assess
    expect(trafficMarks({}, join(tmpdir(), 'no-such-services-dir'))).toEqual({ faulty: [], slow: [], alarms: [], warnings: [] });
  });

  it('warns about the same value given twice for a SERVICE, however written', () => {
    // Act
    const marks = trafficMarks({ faulty: ['posts', 'posts:0.5', 'posts'], slow: ['users:2000', 'users'], alarm: ['x', 'x'] }, servicesDir());

    // Assess
    expect(marks.faulty).toEqual([{ service: 'posts' }]);
    expect(marks.slow).toEqual([{ service: 'users', addedLatencyMs: 2000 }]);
    expect(marks.warnings).toEqual([
      '--faulty posts:0.5 says what --faulty posts says: once is enough',
      '--faulty posts is given twice: once is enough',
      '--slow users says what --slow users:2000 says: once is enough',
      '--alarm x is given twice: once is enough',
      "--alarm x: no manifest's traffic.alarms names it, so no rollout reads it",
    ]);
  });

  it.each([
    [{ faulty: ['posts', 'posts:1'] }, 'invalid --faulty posts:1: --faulty posts already says how posts answers (one --faulty per SERVICE)'],
    [{ slow: ['users:100', 'users:200'] }, 'invalid --slow users:200: --slow users:100 already says how users answers (one --slow per SERVICE)'],
  ])('refuses two different values for one SERVICE: %j', (flags, message) => {
    // Act, Assess
    expect(() => trafficMarks(flags, servicesDir())).toThrow(usageError(message));
  });
});
