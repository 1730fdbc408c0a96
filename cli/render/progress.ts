import { findByRepository, monolithOf } from '../../lib/domain/catalog';
import { lockKeyOf } from '../../lib/domain/lock-lease';
import { STATE_MACHINES, definitionSource } from '../../local/runner/definitions';
import type { ExecutionRecord, HistoryEvent } from '../../local/runner/local-step-functions';
import type { LocalPipeline } from '../../local/runner/pipeline';

const formatOffset = (seconds: number) => {
  const whole = Math.round(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
};

export const formatDuration = (ms: number) => {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
};

const LOCK_HELD = 'DynamoDB.ConditionalCheckFailedException';

/** States that take a lock: they retry or catch a held lock by name (a lock release lets any error through). */
let lockStates: Set<string> | undefined;
function takesLock(state: string): boolean {
  lockStates ??= new Set(
    STATE_MACHINES.flatMap((name) => Object.entries(definitionSource(name).States))
      .filter(([, definition]) => [...(definition.Retry ?? []), ...(definition.Catch ?? [])].some((policy) => policy.ErrorEquals.includes(LOCK_HELD)))
      .map(([name]) => name),
  );
  return lockStates.has(state);
}

export interface LockHolder {
  /** What the lock protects (a service's name). */
  readonly lock: string;
  /** The execution holding it, from the lock item's owner; undefined when nobody holds it any more. */
  readonly holder: string | undefined;
}

interface LockWait {
  readonly since: number;
  readonly lock: string;
  readonly holders: string[];
  /** The lock state failed since it was last entered: its exit is not the lock being taken. */
  failed: boolean;
}

export interface ProgressOptions {
  /** Virtual time the offsets count from. */
  readonly start: number;
  readonly stream: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Who holds the lock an execution is waiting for, read when the wait is seen. */
  readonly lockHolder: (record: ExecutionRecord) => LockHolder;
}

/**
 * Per-state progress as executions run. On a terminal the current state of each execution is redrawn in place on
 * one status line; piped, every state is one plain line (greppable, no escape codes). A wait for a lock (the lock
 * state failing on a held lock, then a Wait or a Retry, again and again) is one line when it ends: whose lock, held
 * by which execution, for how long. Results are the command's to print, once.
 */
export function progressListener(options: ProgressOptions): (record: ExecutionRecord, event: HistoryEvent) => void {
  const { stream, start } = options;
  const live = Boolean(stream.isTTY);
  const current = new Map<string, string>();
  const waits = new Map<string, LockWait>();
  let at = '00:00';

  const waiting = (wait: LockWait, now: number) => `waiting ${formatDuration(now - wait.since)} for the lock of ${wait.lock} (held by ${wait.holders.at(-1) ?? 'nobody now'})`;
  const redraw = () => {
    if (!live) return;
    if (current.size === 0) {
      stream.write('\r\x1b[2K');
      return;
    }
    const line = `[${at}] ${[...current.entries()].map(([name, state]) => `${name}: ${state}`).join(' | ')}`;
    const columns = (stream.columns || 100) - 1;
    stream.write(`\r\x1b[2K${[...line].length > columns ? `${[...line].slice(0, columns - 1).join('')}…` : line}`);
  };
  const print = (line: string) => stream.write(`${live ? '\r\x1b[2K' : ''}[${at}] ${line}\n`);
  const endWait = (name: string, now: number) => {
    const wait = waits.get(name);
    if (!wait) return;
    waits.delete(name);
    const holders = wait.holders.length > 0 ? wait.holders.join(', then ') : 'an execution that had already released it';
    print(`${name}  waited ${formatDuration(now - wait.since)} for the lock of ${wait.lock}, held by ${holders}`);
  };

  return (record, event) => {
    at = formatOffset((event.at - start) / 1000);
    const wait = waits.get(record.name);
    if (event.type === 'StateFailed' && event.error === LOCK_HELD && event.state && takesLock(event.state)) {
      const { lock, holder } = options.lockHolder(record);
      const ongoing = wait ?? { since: event.at, lock, holders: [], failed: true };
      ongoing.failed = true;
      if (holder !== undefined && holder !== ongoing.holders.at(-1)) ongoing.holders.push(holder);
      waits.set(record.name, ongoing);
      current.set(record.name, waiting(ongoing, event.at));
      redraw();
    } else if (wait && event.state && takesLock(event.state) && (event.type === 'StateEntered' || event.type === 'StateRetried')) {
      wait.failed = false;
      current.set(record.name, waiting(wait, event.at));
      redraw();
    } else if (wait && event.state && takesLock(event.state) && event.type === 'StateExited' && !wait.failed) {
      endWait(record.name, event.at);
    } else if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') {
      endWait(record.name, event.at);
      current.delete(record.name);
      redraw();
    } else if (wait) {
      // Inside the wait loop (Wait, resolve again, acquire again, or a Retry): the status line says it.
      current.set(record.name, waiting(wait, event.at));
      redraw();
    } else if (event.type === 'StateEntered' && event.state) {
      current.set(record.name, event.state);
      if (live) redraw();
      else print(`${record.name}  ${event.state}`);
    } else if (event.type === 'StateExited' && event.state && event.detail) {
      // A traffic step or a look at a bake: what it did, on its own line (the status line too, when live).
      current.set(record.name, `${event.state}: ${event.detail}`);
      print(`${record.name}  ${event.state}: ${event.detail}`);
    } else if (event.type === 'StateRetried' && event.state && !live) {
      print(`${record.name}  ${event.state}: retry after ${event.error ?? 'an error'}`);
    }
  };
}

/** The lock an execution waits for: its service's (a rollout) or the monolith's (the cut-over), and the owner on its item. */
function lockHolderIn(pipeline: LocalPipeline, record: ExecutionRecord): LockHolder {
  const input = record.input as { lockKey?: unknown; event?: { detail?: { 'repository-name'?: unknown } } } | undefined;
  const repository = input?.event?.detail?.['repository-name'];
  const service = typeof repository === 'string' ? findByRepository(pipeline.catalog, repository)?.name : monolithOf(pipeline.catalog)?.name;
  const key = typeof input?.lockKey === 'string' ? input.lockKey : lockKeyOf(service ?? '?');
  const item = pipeline.emulator.snapshot().dynamodbItems[pipeline.lockTableName]?.find((candidate) => candidate.pk === key);
  return { lock: key.replace(/^lock#/, ''), holder: typeof item?.owner === 'string' ? item.owner : undefined };
}

export function attachProgress(pipeline: LocalPipeline, stream: NodeJS.WriteStream = process.stderr): void {
  pipeline.sfn.listeners.push(progressListener({ start: pipeline.time.now(), stream, lockHolder: (record) => lockHolderIn(pipeline, record) }));
}
