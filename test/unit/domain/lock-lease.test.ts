import { buildCatalog, type Catalog } from '../../../lib/domain/catalog';
import { cutoverHoldSeconds, leaseUntil, lockKeyOf, lockWaitSeconds, MONOLITH_LOCK_WAIT_SECONDS, serviceHoldSeconds } from '../../../lib/domain/lock-lease';

const NOW = Date.parse('2026-11-26T09:05:00Z');
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function catalogWith(healthGateTimeoutSeconds: number, traffic?: Record<string, unknown>): Catalog {
  return buildCatalog([
    { file: 'services/api/service.yml', content: { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99 } },
    { file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1, healthGateTimeoutSeconds, ...(traffic ? { traffic } : {}) } },
  ]);
}

describe('serviceHoldSeconds', () => {
  // Without a traffic block an update is ECS's BLUE_GREEN with a 5-minute bake: 300 s, the old tasks' 300 s drain
  // and a 300 s margin (lib/domain/ecs-update.ts, ecsDeploymentLimitSeconds, less the health gate counted here).
  const DEFAULT_ECS_UPDATE = 300 + 300 + 300;

  it.each([30, 600, 3600])('allows a %i s health gate three times over (its timeout counts planned waits only), plus the wait for a draining name (12 min), a margin and an update through ECS', (gate) => {
    expect(serviceHoldSeconds(catalogWith(gate), 'posts')).toBe(3 * gate + 720 + 900 + DEFAULT_ECS_UPDATE);
  });

  it('grows with the manifest\'s health gate timeout', () => {
    expect(serviceHoldSeconds(catalogWith(3600), 'posts')).toBeGreaterThan(serviceHoldSeconds(catalogWith(600), 'posts'));
  });

  it.each<[string, Record<string, unknown>, number]>([
    // the migration's bakes (one, each + 300 s) or ECS's update (canary bake + deployment bake + 300 s drain + 300 s)
    ['a canary: ECS\'s two bakes', { strategy: 'canary', bakeMinutes: 5 }, Math.max(1 * (300 + 300), 600 + 300 + 300)],
    ['linear 25: three bakes, or ECS\'s four', { strategy: 'linear', stepPercent: 25, bakeMinutes: 10 }, Math.max(3 * (600 + 300), 4 * 600 + 300 + 300)],
    ['a day\'s bake', { strategy: 'canary', bakeMinutes: 1440 }, 2 * 86400 + 300 + 300],
    ['all at once: ECS\'s one bake', { strategy: 'all-at-once', bakeMinutes: 60 }, 3600 + 300 + 300],
    ['all at once without a bake: ECS\'s 3-minute minimum', { strategy: 'all-at-once', bakeMinutes: 0 }, 180 + 300 + 300],
  ])('adds every bake the traffic strategy may wait out, as the migration or as ECS\'s update, whichever is longer: %s', (_case, traffic, bakes) => {
    expect(serviceHoldSeconds(catalogWith(600, traffic), 'posts')).toBe(3 * 600 + 720 + 900 + bakes);
  });

  it('uses the default 600 s gate for a service without a manifest', () => {
    expect(serviceHoldSeconds(catalogWith(30), 'unknown')).toBe(3 * 600 + 720 + 900);
  });
});

describe('cutoverHoldSeconds', () => {
  it.each([0, 300, 900, 3600])('covers the 30 min wait for the monolith\'s lock, a %i s deregistration delay and the 5 minutes of drain checks after it', (delay) => {
    expect(MONOLITH_LOCK_WAIT_SECONDS).toBe(1800);
    expect(cutoverHoldSeconds(delay)).toBe(1800 + delay + 300 + 900);
  });
});

describe('lockWaitSeconds', () => {
  it.each([
    [0, 10],
    [299, 10],
    [300, 20],
    [1200, 50],
    [1500, 60],
    [7200, 60],
  ])('after %i s of waiting asks again in %i s', (waited, seconds) => {
    expect(lockWaitSeconds(waited)).toBe(seconds);
  });
});

describe('leaseUntil', () => {
  it.each([0, 60, 3600, 86_400])('is now + %i s as an ISO-8601 UTC timestamp with milliseconds (the format $$.State.EnteredTime has)', (hold) => {
    const lease = leaseUntil(NOW, hold);

    expect(lease).toMatch(ISO_UTC_MS);
    expect((Date.parse(lease) - NOW) / 1000).toBe(hold);
  });

  it('orders as a string the way it orders in time (the lock condition compares strings)', () => {
    const earlier = leaseUntil(NOW, 59);
    const later = leaseUntil(NOW, 61);
    expect(earlier < later).toBe(true);
    expect(new Date(NOW + 60_000).toISOString() > earlier).toBe(true);
  });
});

describe('lockKeyOf', () => {
  it.each(['posts', 'api', 'svc-01'])('keys the lock item of %s as lock#<service>', (service) => {
    expect(lockKeyOf(service)).toBe(`lock#${service}`);
  });
});
