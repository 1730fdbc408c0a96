import * as FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;

/** Virtual time starts at the tutorial fixtures' push time. */
export const VIRTUAL_EPOCH = Date.parse('2026-11-26T09:00:00Z');

/**
 * How the clock orders what is due. Without it (or with only a seed) timers fire in creation order, as
 * always; with it, one seed picks one of the many interleavings concurrent executions can take on AWS.
 */
export interface ScheduleOptions {
  /** Seeds Math.random (the state machine's FULL retry jitter) and the schedule's own choices. Default 42. */
  readonly seed?: number;
  /**
   * Timers due at the same virtual instant fire in a random order: each timer is pushed back a random
   * 0..shuffleWindowMs ms, so which ready execution advances first is the seed's choice, not creation order.
   */
  readonly shuffleSameInstant?: boolean;
  /** Width of that tie-break, in ms (default 3): small against any AWS timing, wide enough to reorder. */
  readonly shuffleWindowMs?: number;
  /** Adds a random 0..jitterMs ms to every timer of at least jitterThresholdMs: Wait states, retry back-offs, timeouts. */
  readonly jitterMs?: number;
  /** Timers shorter than this keep their delay (default 1000 ms: a Wait state is whole seconds). */
  readonly jitterThresholdMs?: number;
}

const DEFAULT_SEED = 42;

/** mulberry32: a tiny deterministic generator, enough for retry jitter and schedule choices. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkSchedule(options: ScheduleOptions): void {
  const { seed, shuffleWindowMs, jitterMs, jitterThresholdMs } = options;
  if (seed !== undefined && !Number.isInteger(seed)) throw new RangeError(`virtual time: seed must be an integer, got ${seed}`);
  for (const [name, value] of Object.entries({ shuffleWindowMs, jitterMs, jitterThresholdMs })) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new RangeError(`virtual time: ${name} must be a whole number of ms >= 0, got ${value}`);
  }
}

/**
 * A virtual clock for the whole process: setTimeout and Date are faked, so Step Functions Wait states,
 * retry back-offs and Task timeouts (all timers inside aws-local-stepfunctions) and the emulator's
 * background runtime (which reads Date.now()) share one clock that jumps straight to the next event.
 * Math.random is seeded too, so retry jitter is the same on every run.
 */
export class VirtualTime {
  private readonly clock: InstalledClock;
  private readonly realRandom = Math.random;
  readonly start: number;
  readonly schedule: Readonly<ScheduleOptions>;

  /** `new VirtualTime(start, seed)` as before, or `new VirtualTime(start, { seed, shuffleSameInstant, jitterMs })`. */
  constructor(start = VIRTUAL_EPOCH, schedule: number | ScheduleOptions = DEFAULT_SEED) {
    this.schedule = typeof schedule === 'number' ? { seed: schedule } : schedule;
    checkSchedule(this.schedule);
    this.clock = FakeTimers.install({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], loopLimit: 10_000_000 });
    this.start = start;
    const seed = this.schedule.seed ?? DEFAULT_SEED;
    Math.random = mulberry32(seed);
    if (this.schedule.shuffleSameInstant || (this.schedule.jitterMs ?? 0) > 0) this.perturbTimers(mulberry32(seed ^ 0x5eed5eed));
  }

  /**
   * Wraps the faked setTimeout so a timer fires a little later than asked. Draws come from a stream of
   * their own, so the retry jitter a seed gives does not depend on how many timers were set.
   */
  private perturbTimers(random: () => number): void {
    const { shuffleSameInstant = false, shuffleWindowMs = 3, jitterMs = 0, jitterThresholdMs = 1000 } = this.schedule;
    const fakeSetTimeout = this.clock.setTimeout.bind(this.clock);
    const draw = (width: number): number => Math.floor(random() * (width + 1));
    const delayed = (callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
      const asked = Math.max(0, Number(delay) || 0);
      const jitter = jitterMs > 0 && asked >= jitterThresholdMs ? draw(jitterMs) : 0;
      const tieBreak = shuffleSameInstant ? draw(shuffleWindowMs) : 0;
      return fakeSetTimeout(callback, asked + jitter + tieBreak, ...args);
    };
    // uninstall() puts the real setTimeout back over this wrapper, as it does over the fake.
    globalThis.setTimeout = delayed as unknown as typeof globalThis.setTimeout;
  }

  now(): number {
    return this.clock.now;
  }

  elapsedSeconds(): number {
    return (this.clock.now - this.start) / 1000;
  }

  /** Runs every pending timer in time order, letting promise chains settle in between, until none is left. */
  async runUntilIdle(): Promise<void> {
    await this.clock.runAllAsync();
  }

  async advance(ms: number): Promise<void> {
    await this.clock.tickAsync(ms);
  }

  dispose(): void {
    this.clock.uninstall();
    Math.random = this.realRandom;
  }
}
