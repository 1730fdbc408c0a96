import { rmSync } from 'node:fs';
import { generateServices } from '../../local/runner/generate-services';
import { LocalPipeline } from '../../local/runner/pipeline';
import { pushEvent } from '../../local/runner/scenario';
import { mulberry32, VirtualTime, type ScheduleOptions } from '../../local/runner/virtual-time';

/** Sets one timer per label, all due after `delayMs`, and returns the order they fired in. */
async function firingOrder(time: VirtualTime, labels: readonly string[], delayMs = 0): Promise<string[]> {
  const fired: string[] = [];
  for (const label of labels) setTimeout(() => fired.push(label), delayMs);
  await time.runUntilIdle();
  return fired;
}

async function withTime<T>(schedule: number | ScheduleOptions | undefined, act: (time: VirtualTime) => Promise<T>): Promise<T> {
  const time = new VirtualTime(undefined, schedule);
  try {
    return await act(time);
  } finally {
    time.dispose();
  }
}

const LABELS = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('VirtualTime scheduling', () => {
  it('fires timers due at the same instant in creation order and seeds Math.random with 42 by default', async () => {
    const expected = mulberry32(42);

    const { order, draws } = await withTime(undefined, async (time) => ({ order: await firingOrder(time, LABELS, 1000), draws: [Math.random(), Math.random()] }));

    expect(order).toEqual(LABELS);
    expect(draws).toEqual([expected(), expected()]);
  });

  it('fires same-instant timers in an order the seed picks, the same order for the same seed', async () => {
    const orderFor = (seed: number) => withTime({ seed, shuffleSameInstant: true }, (time) => firingOrder(time, LABELS, 1000));

    const orders: string[] = [];
    // one at a time: a VirtualTime fakes the process's timers
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) orders.push((await orderFor(seed)).join(''));
    const again = (await orderFor(3)).join('');

    expect(new Set(orders).size).toBeGreaterThan(1);
    expect(again).toBe(orders[2]);
    expect(orders.every((order) => [...order].sort().join('') === LABELS.join(''))).toBe(true);
  });

  it('adds 0..jitterMs to timers of at least the threshold and leaves shorter ones alone', async () => {
    const schedule = { seed: 9, jitterMs: 5000, jitterThresholdMs: 1000 };

    const lateBy = await withTime(schedule, async (time) => {
      const late: Record<string, number> = {};
      for (const delay of [999, 1000, 1001, 60_000]) setTimeout(() => (late[delay] = time.now() - time.start - delay), delay);
      await time.runUntilIdle();
      return late;
    });

    expect(lateBy['999']).toBe(0);
    const jittered = [lateBy['1000'], lateBy['1001'], lateBy['60000']];
    expect(jittered.every((late) => late !== undefined && late >= 0 && late <= 5000)).toBe(true);
    expect(jittered.some((late) => late !== undefined && late > 0)).toBe(true);
  });

  it('puts the real setTimeout and Math.random back on dispose', () => {
    const realSetTimeout = globalThis.setTimeout;
    const realRandom = Math.random;

    new VirtualTime(undefined, { seed: 1, shuffleSameInstant: true, jitterMs: 100 }).dispose();

    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(Math.random).toBe(realRandom);
  });

  it.each([
    ['seed', { seed: 1.5 }],
    ['jitterMs', { jitterMs: -1 }],
    ['shuffleWindowMs', { shuffleWindowMs: 0.5 }],
  ])('refuses a bad %s with a RangeError naming it, before faking any timer', (option, schedule) => {
    const realSetTimeout = globalThis.setTimeout;

    expect(() => new VirtualTime(undefined, schedule)).toThrow(new RangeError(`virtual time: ${option} must be ${option === 'seed' ? 'an integer' : 'a whole number of ms >= 0'}, got ${Object.values(schedule)[0]}`));
    expect(globalThis.setTimeout).toBe(realSetTimeout);
  });
});

describe('a LocalPipeline run under a seeded schedule', () => {
  const { dir, names } = generateServices(2);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Two pushes of one service and one of another, delivered together: the AWS calls, when and in which order. */
  async function callSequence(schedule: ScheduleOptions): Promise<string> {
    const pipeline = await LocalPipeline.tutorial({ servicesDir: dir, schedule });
    try {
      const [first = '', second = ''] = names;
      const pushes = [pushEvent(first, 'v1', '2026-11-26T09:01:00Z'), pushEvent(first, 'v2', '2026-11-26T09:01:01Z'), pushEvent(second, 'v1', '2026-11-26T09:01:02Z')];
      for (const [index, event] of pushes.entries()) await pipeline.deliver(`push ${index}`, event);
      await pipeline.settle();
      return pipeline.emulator.calls.slice(pipeline.callsAtStart).map((call) => `${call.at}:${call.operation}`).join(' ');
    } finally {
      pipeline.dispose();
    }
  }

  it('replays the same interleaving from the same seed, and another from another seed', async () => {
    const schedule = (seed: number): ScheduleOptions => ({ seed, shuffleSameInstant: true, jitterMs: 3000 });

    const first = await callSequence(schedule(1));
    const replay = await callSequence(schedule(1));
    const others = [await callSequence(schedule(2)), await callSequence(schedule(3))];

    expect(replay).toBe(first);
    expect(others.some((other) => other !== first)).toBe(true);
  });
});
