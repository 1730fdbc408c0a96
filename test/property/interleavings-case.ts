/** fast-check arbitrary for overlapping pushes: which services, when, which images, which faults, which schedule. */
import fc from 'fast-check';
import type { FaultRule } from '../../local/emulator';
import { MUTATING_OPERATIONS, PIPELINE_OPERATIONS } from '../../local/runner/operations';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { VIRTUAL_EPOCH, type ScheduleOptions } from '../../local/runner/virtual-time';

export const MICROSERVICES = ['svc-01', 'svc-02', 'svc-03'] as const;
export const MONOLITH = 'api';
/** LocalPipeline.tutorial() lets the seeded monolith become healthy for this long before the first push. */
const SEED_SETTLE_MS = 120_000;
/** The image the tutorial's seed runs the monolith on (seedTutorial). */
const SEED_MONOLITH_IMAGE = `${MONOLITH}:v1`;

export interface PlannedPush {
  readonly service: string;
  readonly tag: string;
  readonly digest: string;
  /** Virtual ms after the run's start at which it is delivered. */
  readonly deliverAtMs: number;
  /** The event's `time`, in ms (ECR's precision is seconds; unique per service, so "latest" is well defined). */
  readonly eventTimeMs: number;
  readonly unhealthy: boolean;
  readonly label: string;
  readonly event: Record<string, unknown>;
}

export interface InterleavingCase {
  readonly microservices: readonly string[];
  readonly pushes: readonly PlannedPush[];
  readonly faults: readonly FaultRule[];
  readonly throttling: boolean;
  readonly cutoverMode: 'fixed-response' | 'drop-target-group';
  readonly schedule: ScheduleOptions;
}

interface RawPush {
  readonly service: number;
  readonly tag: string;
  readonly gapSeconds: number;
  readonly lagSeconds: number;
  readonly unhealthy: boolean;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Operations a permanent fault or a hang may hit, once. The first call of each in a run is always a forward
 * step (a compensation only undoes a change an earlier call made), so the fault fails a rollout and its
 * compensation runs clean. Deletes are left out: only compensation deletes, and a compensation AWS refuses
 * cannot restore anything (it fails with CompensationError, by design).
 */
const BREAKABLE = PIPELINE_OPERATIONS.filter((operation) => !operation.startsWith('Delete'));
const BREAKABLE_MUTATING = MUTATING_OPERATIONS.filter((operation) => !operation.startsWith('Delete'));

const fault: fc.Arbitrary<FaultRule> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ operation: fc.constantFrom(...PIPELINE_OPERATIONS), kind: fc.constant('throttle' as const), times: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ operation: fc.constantFrom(...BREAKABLE), kind: fc.constant('permanent' as const), times: fc.constant(1) }) },
  { weight: 1, arbitrary: fc.record({ operation: fc.constantFrom(...BREAKABLE_MUTATING), kind: fc.constant('hang' as const), applyFirst: fc.boolean(), times: fc.constant(1) }) },
);

const rawPush = (services: number): fc.Arbitrary<RawPush> =>
  fc.record({
    // index `services` is the monolith: one push in five
    service: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: services - 1 }) }, { weight: 1, arbitrary: fc.constant(services) }),
    tag: fc.constantFrom('v1', 'v2', 'v3', 'v4'),
    gapSeconds: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 2, arbitrary: fc.integer({ min: 21, max: 400 }) }),
    lagSeconds: fc.integer({ min: 0, max: 90 }),
    unhealthy: fc.oneof({ weight: 12, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  });

/** Places the pushes on the virtual clock and gives each a unique event time per service (seconds, as ECR sends). */
function planPushes(names: readonly string[], raw: readonly RawPush[]): PlannedPush[] {
  const used = new Map<string, Set<number>>();
  const seen = new Set<string>([digestFor(SEED_MONOLITH_IMAGE)]);
  let deliverAtMs = 0;
  return raw.map((push, index) => {
    const service = names[push.service] ?? MONOLITH;
    const digest = digestFor(`${service}:${push.tag}`);
    // An image is bad from birth: only its first push may mark it (never the running seed image).
    const unhealthy = push.unhealthy && !seen.has(digest);
    seen.add(digest);
    deliverAtMs += index === 0 ? 0 : push.gapSeconds * 1000;
    const times = used.get(service) ?? new Set<number>();
    used.set(service, times);
    let eventTimeMs = VIRTUAL_EPOCH + SEED_SETTLE_MS + deliverAtMs - push.lagSeconds * 1000;
    while (times.has(eventTimeMs)) eventTimeMs -= 1000;
    times.add(eventTimeMs);
    const label = `#${index + 1} ${service}:${push.tag}@${iso(eventTimeMs).slice(11, 19)}`;
    return { service, tag: push.tag, digest, deliverAtMs, eventTimeMs, unhealthy, label, event: pushEvent(service, push.tag, iso(eventTimeMs)) };
  });
}

export function describeCase(c: InterleavingCase): string {
  const faults = c.faults.map((rule) => `${rule.operation} ${rule.kind}${rule.kind === 'hang' && rule.applyFirst ? ' (after taking effect)' : ''} ×${rule.times ?? '∞'}`);
  return [
    `microservices: ${c.microservices.join(', ')} + ${MONOLITH}; cut-over: ${c.cutoverMode}; API throttling: ${c.throttling ? 'on' : 'off'}`,
    `schedule: ${JSON.stringify(c.schedule)}`,
    `faults: ${faults.join('; ') || 'none'}`,
    'pushes, in delivery order (virtual time after the seed):',
    ...c.pushes.map((push) => `  +${String(push.deliverAtMs / 1000).padStart(4)}s  ${push.service}:${push.tag}  time ${iso(push.eventTimeMs)}  ${push.digest.slice(0, 19)}…${push.unhealthy ? '  (never healthy)' : ''}`),
  ].join('\n');
}

/** 1-3 microservices plus the monolith, 2-5 pushes among them, random gaps, faults and schedule. */
export const interleavingCase: fc.Arbitrary<InterleavingCase> = fc.integer({ min: 1, max: MICROSERVICES.length }).chain((count) =>
  fc
    .record({
      pushes: fc.array(rawPush(count), { minLength: 2, maxLength: 5 }),
      // pushing every microservice makes the cut-over due; repeating one makes the same service race itself
      coverAll: fc.boolean(),
      rotate: fc.nat({ max: MICROSERVICES.length - 1 }),
      repeatOne: fc.boolean(),
      faults: fc.array(fault, { maxLength: 3 }),
      throttling: fc.boolean(),
      cutoverMode: fc.constantFrom('fixed-response' as const, 'drop-target-group' as const),
      seed: fc.integer({ min: 0, max: 0x7fffffff }),
      jitterMs: fc.constantFrom(0, 500, 3000, 15_000),
    })
    .map(({ pushes, coverAll, rotate, repeatOne, faults, throttling, cutoverMode, seed, jitterMs }): InterleavingCase => {
      const names = MICROSERVICES.slice(0, count);
      const raw = pushes.map((push, index) => ({ ...push, service: coverAll && index < count && pushes.length >= count ? (index + rotate) % count : push.service }));
      const last = raw[raw.length - 1];
      if (repeatOne && last && new Set(raw.map((push) => push.service)).size === raw.length) raw[raw.length - 1] = { ...last, service: raw[0]?.service ?? 0 };
      const c: InterleavingCase = { microservices: names, pushes: planPushes(names, raw), faults, throttling, cutoverMode, schedule: { seed, shuffleSameInstant: true, jitterMs } };
      return Object.assign(c, { [fc.toStringMethod]: () => `\n${describeCase(c)}` });
    }),
);
