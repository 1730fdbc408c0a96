import * as FakeTimers from '@sinonjs/fake-timers';

type InstalledClock = ReturnType<typeof FakeTimers.install>;

/** Virtual time starts at the tutorial fixtures' push time. */
export const VIRTUAL_EPOCH = Date.parse('2026-11-26T09:00:00Z');

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

  constructor(start = VIRTUAL_EPOCH, seed = 42) {
    this.clock = FakeTimers.install({ now: start, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], loopLimit: 10_000_000 });
    this.start = start;
    let state = seed >>> 0;
    // mulberry32: a tiny deterministic generator, enough for retry jitter.
    Math.random = () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
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
