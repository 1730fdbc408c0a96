import { firstWaitSeconds, gateElapsedSeconds, healthVerdict, isDraining, nextPollSeconds, type HealthInput, type ObservedService, type TargetCounts } from '../../../lib/domain/health';

const NEW = 'td/posts:8';
const OLD = 'td/posts:7';
const counts = (overrides: Partial<TargetCounts> = {}): TargetCounts => ({ healthy: 0, initial: 0, unhealthy: 0, draining: 0, ...overrides });
const service = (primary: Partial<ObservedService['deployments'][number]> = {}, overrides: Partial<ObservedService> = {}): ObservedService => ({
  status: 'ACTIVE',
  desiredCount: 2,
  runningCount: 2,
  deployments: [{ status: 'PRIMARY', taskDefinition: NEW, rolloutState: 'COMPLETED', runningCount: 2, failedTasks: 0, ...primary }],
  ...overrides,
});
const input = (overrides: Partial<HealthInput>): HealthInput => ({
  service: service(),
  expectedTaskDefinitionArn: NEW,
  targets: [counts({ healthy: 2 })],
  waitedSeconds: 60,
  timeoutSeconds: 600,
  intervalSeconds: 6,
  ...overrides,
});

describe('healthVerdict', () => {
  it.each<[string, Partial<HealthInput>, string, RegExp]>([
    ['COMPLETED, all running, enough healthy targets', {}, 'healthy', /^2\/2 tasks running, deployment COMPLETED, targets healthy$/],
    ['no target groups to ask', { targets: [] }, 'healthy', /targets healthy/],
    ['fewer healthy targets than desired', { targets: [counts({ healthy: 1, initial: 1 })] }, 'waiting', /1 healthy\/1 initial\/0 unhealthy/],
    ['one of two groups short of healthy targets', { targets: [counts({ healthy: 2 }), counts({ healthy: 1 })] }, 'waiting', /2 healthy.*; 1 healthy/],
    ['rollout IN_PROGRESS', { service: service({ rolloutState: 'IN_PROGRESS', runningCount: 1 }) }, 'waiting', /^deployment IN_PROGRESS, 1\/2 tasks running/],
    ['running below desired', { service: service({}, { runningCount: 1 }) }, 'waiting', /deployment COMPLETED/],
    ['PRIMARY on another revision (circuit-breaker rollback)', { service: service({ taskDefinition: OLD }) }, 'failed', /PRIMARY deployment runs td\/posts:7, not td\/posts:8 \(rolled back/],
    ['rolloutState FAILED', { service: service({ rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker tripped' }) }, 'failed', /^deployment failed: circuit breaker tripped$/],
    ['no PRIMARY deployment', { service: service({ status: 'ACTIVE' }) }, 'failed', /no PRIMARY deployment/],
    ['a DRAINING service', { service: service({}, { status: 'DRAINING' }) }, 'failed', /^service is DRAINING$/],
    ['a missing service', { service: undefined }, 'failed', /^service is missing$/],
    ['not healthy at the timeout', { targets: [counts({ initial: 2 })], waitedSeconds: 600 }, 'timeout', /0 healthy\/2 initial/],
    ['not healthy past the timeout', { targets: [counts({ unhealthy: 2 })], waitedSeconds: 700 }, 'timeout', /0 healthy\/0 initial\/2 unhealthy/],
  ])('%s → %s', (_case, overrides, status, reason) => {
    // Act
    const verdict = healthVerdict(input(overrides));

    // Assess
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
  });

  it('is healthy at the timeout when it is healthy: health wins over time', () => {
    // Assess
    expect(healthVerdict(input({ waitedSeconds: 600 })).status).toBe('healthy');
  });

  it.each<[string, Partial<HealthInput>, number]>([
    ['one interval while targets are initial', { targets: [counts({ healthy: 1, initial: 1 })], intervalSeconds: 10 }, 10],
    ['at most the time left before the timeout', { targets: [counts({ initial: 2 })], intervalSeconds: 30, waitedSeconds: 590 }, 10],
    ['never less than 3 s', { targets: [counts({ initial: 2 })], intervalSeconds: 30, waitedSeconds: 599 }, 3],
  ])('waits %s', (_case, overrides, expected) => {
    // Act
    const verdict = healthVerdict(input(overrides));

    // Assess
    expect(verdict).toMatchObject({ status: 'waiting', nextWaitSeconds: expected });
  });
});

describe('nextPollSeconds', () => {
  it.each<[string, TargetCounts[], number]>([
    ['one interval when no target health was read yet', [], 6],
    ['one interval while a target is initial', [counts({ initial: 1, healthy: 1 })], 6],
    ['one interval while a target is unhealthy', [counts({ unhealthy: 1 })], 6],
    ['at least 15 s while old targets drain', [counts({ healthy: 2, draining: 1 })], 15],
    ['a short poll once every target is in', [counts({ healthy: 1 })], 5],
  ])('%s', (_case, targets, expected) => {
    // Assess
    expect(nextPollSeconds({ targets, intervalSeconds: 6 })).toBe(expected);
  });

  it.each<[number, number]>([
    [0, 302],
    [100, 202],
    [300, 5],
    [400, 5],
  ])('while replaced tasks drain (300 s delay, draining for %i s), waits %i s', (drainingForSeconds, expected) => {
    // Assess
    expect(nextPollSeconds({ targets: [], intervalSeconds: 6, deregistrationDelaySeconds: 300, drainingForSeconds })).toBe(expected);
  });

  it.each<[string, ObservedService, boolean]>([
    ['new revision at full strength, old deployment still there', service({ runningCount: 2 }, { deployments: [...service().deployments, { status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, failedTasks: 0 }] }), true],
    ['new revision still starting', service({ runningCount: 1 }, { deployments: [{ status: 'PRIMARY', taskDefinition: NEW, runningCount: 1, failedTasks: 0 }, { status: 'ACTIVE', taskDefinition: OLD, runningCount: 2, failedTasks: 0 }] }), false],
    ['only the new deployment left', service(), false],
    ['rolled back to the old revision', service({ taskDefinition: OLD }, { deployments: [{ status: 'PRIMARY', taskDefinition: OLD, runningCount: 2, failedTasks: 3 }, { status: 'ACTIVE', taskDefinition: NEW, runningCount: 0, failedTasks: 3 }] }), false],
  ])('isDraining: %s → %s', (_case, observed, expected) => {
    // Assess
    expect(isDraining(observed, NEW)).toBe(expected);
  });

  it('drains for a long interval rather than 15 s', () => {
    // Assess
    expect(nextPollSeconds({ targets: [counts({ draining: 1 })], intervalSeconds: 30 })).toBe(30);
  });

  it('first waits one interval plus the check\'s timeout after a deploy: one passing check makes a new target healthy', () => {
    // Assess: (interval, timeout); the healthy threshold plays no part
    expect(firstWaitSeconds(6, 5)).toBe(11);
    expect(firstWaitSeconds(30, 5)).toBe(35);
  });
});

describe('gateElapsedSeconds', () => {
  const START = '2026-11-26T09:00:00.000Z';

  it.each<[string, number, number]>([
    ['at the start', Date.parse(START), 0],
    ['whole seconds since the start', Date.parse(START) + 600_000, 600],
    ['rounded down', Date.parse(START) + 599_999, 599],
    ['never negative (a clock a little behind)', Date.parse(START) - 2_000, 0],
  ])('%s', (_case, now, expected) => {
    // Assess
    expect(gateElapsedSeconds(START, now)).toBe(expected);
  });
});
