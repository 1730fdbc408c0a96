import * as v from 'valibot';
import { bakeCheckSeconds, judgeBake, minimumRequests, plannedBakes, shiftPlan, trafficSteps, TrafficSchema, weightsFor, type BakeObservation } from '../../../lib/domain/traffic';
import { parseManifest } from '../../../lib/domain/catalog';
import { ManifestError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const traffic = (input: Record<string, unknown>) => v.parse(TrafficSchema, input);

describe('trafficSteps', () => {
  it.each<[string, Record<string, unknown>, number[]]>([
    ['all-at-once (no block)', {}, [100]],
    ['a 10 % canary', { strategy: 'canary' }, [10, 100]],
    ['a 0.1 % canary', { strategy: 'canary', canaryPercent: 0.1 }, [0.1, 100]],
    ['a 100 % canary', { strategy: 'canary', canaryPercent: 100 }, [100]],
    ['linear by 25', { strategy: 'linear', stepPercent: 25 }, [25, 50, 75, 100]],
    ['linear by 30', { strategy: 'linear', stepPercent: 30 }, [30, 60, 90, 100]],
    ['linear by 33.3', { strategy: 'linear', stepPercent: 33.3 }, [33.3, 66.6, 99.9, 100]],
    ['linear by the default 10', { strategy: 'linear' }, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]],
  ])('%s -> %j', (_case, input, steps) => {
    expect(trafficSteps(traffic(input))).toEqual(steps);
  });
});

describe('weightsFor', () => {
  it.each<[number, { newWeight: number; oldWeight: number }]>([
    [10, { newWeight: 100, oldWeight: 900 }],
    [0.1, { newWeight: 1, oldWeight: 999 }],
    [99.9, { newWeight: 999, oldWeight: 1 }],
    [100, { newWeight: 1, oldWeight: 0 }],
  ])('%s %% -> %j (ALB weights are 0-999)', (percent, weights) => {
    expect(weightsFor(percent)).toEqual(weights);
  });
});

describe('judgeBake', () => {
  const gate = traffic({ strategy: 'canary', maxP99LatencyMs: 500 });
  const good: BakeObservation = { requests: 600, errors5xx: 3, p99LatencyMs: 120, maxUnhealthyHosts: 0, alarmsInAlarm: [] };

  it('passes a bake within every threshold', () => {
    expect(judgeBake(gate, 10, good)).toEqual({ passed: true });
  });

  it.each<[string, Partial<BakeObservation>, string]>([
    ['an error rate over the threshold', { errors5xx: 300 }, 'HTTPCode_Target_5XX_Count / RequestCount was 50.00 % (300 of 600), threshold 1 %, at 10 %'],
    ['a p99 over the threshold', { p99LatencyMs: 2100 }, 'TargetResponseTime p99 was 2100 ms, threshold 500 ms, at 10 %'],
    ['an unhealthy host', { maxUnhealthyHosts: 1 }, 'UnHealthyHostCount was 1, threshold 0, at 10 %'],
    ['a named alarm in ALARM', { alarmsInAlarm: ['posts-5xx'] }, 'alarm posts-5xx was in ALARM at 10 %'],
    ['too few requests to judge', { requests: 40, errors5xx: 0 }, 'too few requests to judge at 10 %: RequestCount 40, at least 100 needed for a 1 % error threshold'],
  ])('trips on %s, naming the metric, the value, the threshold and the percent', (_case, seen, reason) => {
    expect(judgeBake(gate, 10, { ...good, ...seen })).toEqual({ passed: false, reason });
  });

  it('during the bake (not final) only trips: too few requests so far is no verdict, and so is a rate from too few', () => {
    expect(judgeBake(gate, 10, { ...good, requests: 40, errors5xx: 40 }, false)).toEqual({ passed: undefined });
    expect(judgeBake(gate, 10, good, false)).toEqual({ passed: undefined });
    expect(judgeBake(gate, 10, { ...good, errors5xx: 300 }, false)).toMatchObject({ passed: false });
  });

  it('trips on an alarm the manifest names that CloudWatch does not have', () => {
    expect(judgeBake(gate, 25, { ...good, alarmsMissing: ['typo'] })).toEqual({ passed: false, reason: 'alarm typo does not exist in CloudWatch (named in traffic.alarms), at 25 %' });
  });

  it('needs more requests the finer the error threshold', () => {
    expect([minimumRequests({ maxErrorRatePercent: 1 }), minimumRequests({ maxErrorRatePercent: 5 }), minimumRequests({ maxErrorRatePercent: 0.1 })]).toEqual([100, 20, 1000]);
  });
});

describe('the traffic block of a manifest', () => {
  const base = { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 };
  const errorOf = (traffic: unknown) => thrownBy(ManifestError, () => parseManifest({ file: 'services/posts/service.yml', content: { ...base, traffic } }));

  it('defaults to all at once', () => {
    expect(parseManifest({ file: 'f', content: base }).traffic).toMatchObject({ strategy: 'all-at-once', alarms: [] });
  });

  it.each<[string, unknown, string, string]>([
    ['an unknown strategy', { strategy: 'blue-green' }, 'traffic.strategy', 'Invalid type'],
    ['a canary under 0.1 %', { strategy: 'canary', canaryPercent: 0.05 }, 'traffic.canaryPercent', 'canaryPercent must be 0.1-100'],
    ['a canary of 12.34 %', { strategy: 'canary', canaryPercent: 12.34 }, 'traffic.canaryPercent', 'canaryPercent must be a multiple of 0.1'],
    ['a linear step of 2 %', { strategy: 'linear', stepPercent: 2 }, 'traffic.stepPercent', 'stepPercent must be 3-100'],
    ['a bake over a day', { bakeMinutes: 1441 }, 'traffic.bakeMinutes', '<=1440'],
    ['an unknown field', { percent: 10 }, 'traffic', 'Unrecognized key: "percent"'],
    ['eleven alarms', { alarms: Array.from({ length: 11 }, (_, i) => `a${i}`) }, 'traffic.alarms', 'at most 10 alarms'],
  ])('refuses %s, naming the field and the range', (_case, block, field, message) => {
    const error = errorOf(block);

    expect(error.field).toBe(field);
    expect(error.message).toContain(`${field}: `);
    expect(error.message).toContain(message);
  });

  it('refuses a traffic block on the monolith (its pushes never shift traffic), and takes none there', () => {
    const monolith = { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99 };
    const error = thrownBy(ManifestError, () => parseManifest({ file: 'services/api/service.yml', content: { ...monolith, traffic: { strategy: 'canary' } } }));
    expect(error.field).toBe('traffic');
    expect(error.message).toContain('applies to microservices only');
    expect(parseManifest({ file: 'services/api/service.yml', content: monolith }).traffic.strategy).toBe('all-at-once');
  });
});

describe('shiftPlan', () => {
  it.each<[string, Record<string, unknown>, boolean, Array<[number, boolean]>]>([
    ['canary 10 on a migration', { strategy: 'canary' }, true, [[10, true], [100, false]]],
    ['linear 25 on a migration', { strategy: 'linear', stepPercent: 25 }, true, [[25, true], [50, true], [75, true], [100, false]]],
    ['all at once', {}, true, [[100, false]]],
    ['canary with bakeMinutes 0 (steps, no judging)', { strategy: 'canary', bakeMinutes: 0 }, true, [[10, false], [100, false]]],
    ['canary on an update (nothing to split with): 100 %, then a bake there', { strategy: 'canary' }, false, [[100, true]]],
    ['all at once on an update: no bake', {}, false, [[100, false]]],
  ])('%s', (_case, block, splittable, steps) => {
    expect(shiftPlan(traffic(block), splittable)).toEqual(steps.map(([percent, bake]) => ({ percent, bake })));
  });

  it('plans one bake per step but the last, and one for an update', () => {
    expect([plannedBakes(traffic({})), plannedBakes(traffic({ strategy: 'canary' })), plannedBakes(traffic({ strategy: 'linear', stepPercent: 25 })), plannedBakes(traffic({ strategy: 'canary', bakeMinutes: 0 }))]).toEqual([0, 1, 3, 0]);
  });
});

describe('bakeCheckSeconds', () => {
  it.each([
    [5, 360, 60],
    [5, 30, 30],
    [60, 3660, 300],
    [10, 660, 120],
    [1440, 86460, 300],
  ])('a %i-minute canary bake with %i s left: the next look in %i s', (bakeMinutes, remaining, next) => {
    expect(bakeCheckSeconds(traffic({ strategy: 'canary', bakeMinutes }), remaining)).toBe(next);
  });

  it('spreads the looks so that every bake of a rollout takes at most 1000 looks (the execution history holds 25,000 events)', () => {
    const longest = traffic({ strategy: 'linear', stepPercent: 3, bakeMinutes: 1440 });
    const bakes = plannedBakes(longest);
    const every = bakeCheckSeconds(longest, Number.MAX_SAFE_INTEGER);
    expect(bakes).toBe(33);
    expect(Math.ceil((bakes * (1440 * 60 + 60)) / every)).toBeLessThanOrEqual(1000);
  });
});
