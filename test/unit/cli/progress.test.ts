import { progressListener } from '../../../cli/render/progress';
import type { ExecutionRecord, HistoryEvent } from '../../../local/runner/local-step-functions';

const WAITER = 'posts-6770d5e4ff0c450b38ad42f72bc8c575';
const HOLDER = 'posts-7ecaee945d589e8429de825473140cd2';
const record = (name: string) => ({ name }) as ExecutionRecord;

function recorder(isTTY: boolean) {
  let text = '';
  const listener = progressListener({
    start: 0,
    stream: { isTTY, columns: 200, write: (chunk: string) => (text += chunk) },
    lockHolder: () => ({ lock: 'posts', holder: HOLDER }),
  });
  const emit = (name: string, ...events: Omit<HistoryEvent, 'at'>[]) => events.forEach((event) => listener(record(name), { at: (event as { at?: number }).at ?? 0, ...event }));
  return { emit, text: () => text };
}

/** One pass of the service lock's wait loop at `at` ms: held, caught, wait, resolve again, try again. */
const heldAt = (at: number): (Omit<HistoryEvent, 'at'> & { at: number })[] => [
  { at, type: 'StateFailed', state: 'Acquire service lock', error: 'DynamoDB.ConditionalCheckFailedException' },
  { at, type: 'StateCaught', state: 'Acquire service lock' },
  { at, type: 'StateExited', state: 'Acquire service lock' },
  { at, type: 'StateEntered', state: 'Wait for service lock' },
  { at: at + 10_000, type: 'StateEntered', state: 'Resolve release' },
  { at: at + 10_000, type: 'StateEntered', state: 'What to do?' },
  { at: at + 10_000, type: 'StateEntered', state: 'Acquire service lock' },
];

describe('progress', () => {
  it('shows each running execution by its full name on the live status line, and leaves its result to the command', () => {
    // Prepare
    const progress = recorder(true);

    // Act
    progress.emit(HOLDER, { type: 'StateEntered', state: 'Deploy service' });
    progress.emit('cutover-0123456789abcdef01234567-1', { type: 'StateEntered', state: 'Acquire monolith lock' });
    progress.emit(HOLDER, { type: 'ExecutionSucceeded' });

    // Assess
    expect(progress.text()).toContain(`${HOLDER}: Deploy service | cutover-0123456789abcdef01234567-1: Acquire monolith lock`);
    expect(progress.text()).not.toContain('SUCCEEDED');
  });

  it('prints a wait for a lock as one line when it ends: whose lock, its holder, how long', () => {
    // Prepare
    const progress = recorder(false);

    // Act
    progress.emit(WAITER, { type: 'StateEntered', state: 'Acquire service lock' }, ...heldAt(0), ...heldAt(10_000), ...heldAt(20_000));
    progress.emit(WAITER, { at: 90_000, type: 'StateExited', state: 'Acquire service lock' } as HistoryEvent, { at: 90_000, type: 'StateEntered', state: 'Record prior state' } as HistoryEvent);

    // Assess
    expect(progress.text().split('\n')).toEqual([
      `[00:00] ${WAITER}  Acquire service lock`,
      `[01:30] ${WAITER}  waited 1m30s for the lock of posts, held by ${HOLDER}`,
      `[01:30] ${WAITER}  Record prior state`,
      '',
    ]);
  });

  it('counts a Retry of the lock state (the cut-over) as the same wait, ended when the lock is taken', () => {
    // Prepare
    const progress = recorder(false);
    const held = { type: 'StateFailed', state: 'Acquire monolith lock', error: 'DynamoDB.ConditionalCheckFailedException' };

    // Act
    progress.emit('cutover-x-1', { type: 'StateEntered', state: 'Acquire monolith lock' }, held, { type: 'StateRetried', state: 'Acquire monolith lock' }, held);
    progress.emit('cutover-x-1', { at: 20_000, type: 'StateRetried', state: 'Acquire monolith lock' } as HistoryEvent, { at: 20_000, type: 'StateExited', state: 'Acquire monolith lock' } as HistoryEvent);

    // Assess
    expect(progress.text()).toBe(`[00:00] cutover-x-1  Acquire monolith lock\n[00:20] cutover-x-1  waited 20s for the lock of posts, held by ${HOLDER}\n`);
  });
});
