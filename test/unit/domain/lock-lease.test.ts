import { buildCatalog, type Catalog } from '../../../lib/domain/catalog';
import { LOCK_WAIT_SECONDS, leaseUntil, lockKeyOf } from '../../../lib/domain/lock-lease';

const NOW = Date.parse('2026-11-26T09:05:00Z');
const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A catalog of one monolith and one microservice with the given hold times. */
function catalogWith(options: { healthGateTimeoutSeconds?: number; deregistrationDelaySeconds?: number }): Catalog {
  return buildCatalog([
    {
      file: 'services/api/service.yml',
      content: { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99, deregistrationDelaySeconds: options.deregistrationDelaySeconds ?? 300 },
    },
    {
      file: 'services/posts/service.yml',
      content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1, healthGateTimeoutSeconds: options.healthGateTimeoutSeconds ?? 600 },
    },
  ]);
}

const secondsFromNow = (lease: string) => (Date.parse(lease) - NOW) / 1000;

describe('leaseUntil', () => {
  it.each([30, 600, 3600])("covers the longest wait for the lock plus a service's %i s health gate", (healthGateTimeoutSeconds) => {
    // Act
    const lease = leaseUntil(NOW, catalogWith({ healthGateTimeoutSeconds }), { service: 'posts' });

    // Assess
    expect(secondsFromNow(lease)).toBeGreaterThanOrEqual(LOCK_WAIT_SECONDS + healthGateTimeoutSeconds);
  });

  it("grows second for second with the service's health gate", () => {
    // Act
    const short = leaseUntil(NOW, catalogWith({ healthGateTimeoutSeconds: 600 }), { service: 'posts' });
    const long = leaseUntil(NOW, catalogWith({ healthGateTimeoutSeconds: 3600 }), { service: 'posts' });

    // Assess
    expect(secondsFromNow(long) - secondsFromNow(short)).toBe(3000);
  });

  it.each([0, 300, 3600])("covers the cut-over's wait for the lock plus the monolith's %i s deregistration delay", (deregistrationDelaySeconds) => {
    // Act
    const lease = leaseUntil(NOW, catalogWith({ deregistrationDelaySeconds }), 'cutover');

    // Assess
    expect(secondsFromNow(lease)).toBeGreaterThanOrEqual(LOCK_WAIT_SECONDS + deregistrationDelaySeconds);
  });

  it("grows second for second with the monolith's deregistration delay, and not with a service's health gate", () => {
    // Act
    const base = leaseUntil(NOW, catalogWith({ deregistrationDelaySeconds: 300, healthGateTimeoutSeconds: 600 }), 'cutover');
    const longDelay = leaseUntil(NOW, catalogWith({ deregistrationDelaySeconds: 3600, healthGateTimeoutSeconds: 600 }), 'cutover');
    const longGate = leaseUntil(NOW, catalogWith({ deregistrationDelaySeconds: 300, healthGateTimeoutSeconds: 3600 }), 'cutover');

    // Assess
    expect(secondsFromNow(longDelay) - secondsFromNow(base)).toBe(3300);
    expect(longGate).toBe(base);
  });

  it.each([
    ['a whole second', Date.parse('2026-11-26T09:05:00Z')],
    ['milliseconds', Date.parse('2026-11-26T09:05:00.007Z')],
    ['a time zone offset', Date.parse('2026-11-26T10:05:00+01:00')],
  ])('is ISO-8601 UTC with milliseconds, ending in Z, for a clock at %s', (_case, now) => {
    // Act
    const lease = leaseUntil(now, catalogWith({}), { service: 'posts' });

    // Assess
    expect(lease).toMatch(ISO_UTC_MS);
    expect(Date.parse(lease)).toBeGreaterThan(now);
  });

  it('orders as strings as it orders in time (the lock states compare it with $$.State.EnteredTime as strings)', () => {
    // Prepare
    const catalog = catalogWith({});
    const nows = [Date.parse('2026-11-26T09:59:59.999Z'), Date.parse('2026-11-26T10:00:00Z'), Date.parse('2026-12-01T00:00:00.001Z')];

    // Act
    const leases = nows.map((now) => leaseUntil(now, catalog, { service: 'posts' }));

    // Assess
    expect([...leases].sort()).toEqual(leases);
    expect(new Set(leases).size).toBe(3);
  });
});

describe('lockKeyOf', () => {
  it.each([
    ['posts', 'lock#posts'],
    ['api', 'lock#api'],
  ])('names the lock item of %s %s', (service, key) => {
    // Act
    const lockKey = lockKeyOf(service);

    // Assess
    expect(lockKey).toBe(key);
  });
});
