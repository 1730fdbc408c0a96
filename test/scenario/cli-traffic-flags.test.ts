/**
 * `--faulty SERVICE[:RATE]`, `--slow SERVICE[:MS]`, `--alarm NAME` of `rollout demo` and `rollout simulate`: refused
 * with one line and exit 2 when bad (spawned), and, when good, what reaches the emulator (the commands run in-process,
 * the emulator's image marks watched).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '../../cli/commands/demo';
import { simulate } from '../../cli/commands/simulate';
import * as trafficState from '../../local/emulator/runtime/traffic-state';
import { pushEvent } from '../../local/runner/scenario';
import { EVENTS_DIR, rollout } from './cli-run';

const POSTS = join(EVENTS_DIR, 'push-posts-v1.json');
const UNMATCHED = join(EVENTS_DIR, 'not-matching', 'delete-posts.json');
const SERVICES = join(__dirname, '..', '..', 'services');
const digestOf = (repository: string) => (pushEvent(repository, 'v1', '2026-11-26T09:00:00Z').detail as Record<string, string>)['image-digest'];

/** services/ with posts' manifest naming one alarm in traffic.alarms (whatever the real manifests say). */
function servicesNamingAlarm(alarm: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-alarm-services-'));
  cpSync(SERVICES, dir, { recursive: true });
  writeFileSync(join(dir, 'posts', 'service.yml'), `name: posts\nrepository: posts\npaths: ["/api/posts*"]\npriority: 1\ntraffic:\n  strategy: canary\n  alarms: [${JSON.stringify(alarm)}]\n`);
  return dir;
}

describe('rollout simulate / demo: bad --faulty, --slow, --alarm', () => {
  it.concurrent.each([
    [['simulate', '--json', '--faulty', 'nope', POSTS], 'rollout: invalid --faulty nope: no service nope (the services are api, posts, threads, users)\n'],
    [['simulate', '--faulty', 'posts:2', POSTS], 'rollout: invalid --faulty posts:2: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)\n'],
    [['simulate', '--slow', 'posts:-5', POSTS], 'rollout: invalid --slow posts:-5: MS must be a number of milliseconds >= 0 (added to every response)\n'],
    [['simulate', '--slow', 'nope:100', POSTS], 'rollout: invalid --slow nope:100: no service nope (the services are api, posts, threads, users)\n'],
    [['simulate', '--alarm', '', POSTS], 'rollout: invalid --alarm "": an alarm name is 1-255 characters, got 0\n'],
    [['simulate', '--faulty', 'posts', '--faulty', 'posts:1', POSTS], 'rollout: invalid --faulty posts:1: --faulty posts already says how posts answers (one --faulty per SERVICE)\n'],
    [['demo', '--faulty', 'nope'], 'rollout: invalid --faulty nope: no service nope (the services are api, posts, threads, users)\n'],
    [['demo', '--json', '--slow', 'users:2s'], 'rollout: invalid --slow users:2s: MS must be a number of milliseconds >= 0 (added to every response; for 2 s write users:2000)\n'],
    [['demo', '--alarm', 'a\u0007b'], 'rollout: invalid --alarm "a\\u0007b": an alarm name has no control characters\n'],
  ])('refuses %j with exit 2, one line, no stack, nothing run', async (args, message) => {
    // Act
    const run = await rollout(args);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(message);
  });

  it.concurrent("warns, one line each, about an --alarm given twice and one no manifest's traffic.alarms names", async () => {
    // Act
    const run = await rollout(['simulate', '--json', '--services', servicesNamingAlarm('posts-5xx'), '--alarm', 'posts-5xx', '--alarm', 'post-5xx', '--alarm', 'posts-5xx', UNMATCHED]);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe([
      'rollout: warning: --alarm posts-5xx is given twice: once is enough',
      "rollout: warning: --alarm post-5xx: no manifest's traffic.alarms names it, so no rollout reads it",
      '',
    ].join('\n'));
    expect((JSON.parse(run.stdout) as { executions: unknown[] }).executions).toMatchObject([{ matched: false }]);
  });

  it.concurrent.each([['simulate'], ['demo']])('%s --help lists --faulty, --slow and --alarm', async (command) => {
    // Act
    const run = await rollout([command, '--help']);

    // Assess
    expect(run.code).toBe(0);
    // commander wraps the descriptions to the width of the longest flag: compared with the wrapping undone
    const help = run.stdout.replace(/\s+/g, ' ');
    expect(help).toContain("--faulty <SERVICE[:RATE]> that service's pushed images pass health checks but answer RATE (0-1, default 0.5) of requests with 5xx (repeatable) ");
    expect(help).toContain("--slow <SERVICE[:MS]> that service's pushed images answer every request MS ms later (default 2000) (repeatable) ");
    expect(help).toContain('--alarm <NAME> the CloudWatch alarm NAME is in ALARM for the whole run (repeatable) ');
  });
});

describe('rollout simulate / demo: --faulty and --slow reach the emulator', () => {
  let home: string | undefined;
  beforeEach(() => {
    home = process.env.ROLLOUT_HOME;
    process.env.ROLLOUT_HOME = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    if (home === undefined) delete process.env.ROLLOUT_HOME;
    else process.env.ROLLOUT_HOME = home;
  });

  it("simulate --faulty posts:1 --slow posts:250: the pushed posts image answers every request 5xx, 250 ms late", async () => {
    // Prepare: the emulator's own record of which images answer 5xx or slowly (what traffic-controls.ts calls)
    const faulty = jest.spyOn(trafficState, 'markImageFaulty');
    const slow = jest.spyOn(trafficState, 'markImageSlow');
    const digest = (JSON.parse(readFileSync(POSTS, 'utf8')) as { detail: Record<string, string> }).detail['image-digest'];

    // Act
    await simulate([POSTS], { json: true, trafficFlags: { faulty: ['posts:1'], slow: ['posts:250'] } });

    // Assess
    expect(faulty.mock.calls.map(([, image, rate]) => [image, rate])).toEqual([[digest, 1]]);
    expect(slow.mock.calls.map(([, image, ms]) => [image, ms])).toEqual([[digest, 250]]);
  });

  it('demo --faulty users:0.25 --slow threads: only those services\' pushed images, the defaults left to the emulator', async () => {
    // Prepare
    const faulty = jest.spyOn(trafficState, 'markImageFaulty');
    const slow = jest.spyOn(trafficState, 'markImageSlow');

    // Act
    await demo({ json: true, trafficFlags: { faulty: ['users:0.25'], slow: ['threads'] } });

    // Assess
    expect(faulty.mock.calls.map(([, image, rate]) => [image, rate])).toEqual([[digestOf('users'), 0.25]]);
    expect(slow.mock.calls.map(([, image, ms]) => [image, ms])).toEqual([[digestOf('threads'), undefined]]);
  });
});
