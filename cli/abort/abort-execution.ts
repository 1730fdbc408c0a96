import type { CompensationOutcome } from '../../functions/compensate';
import type { LockTable } from '../../lib/aws/lock-table';
import type { ExecutionControl } from '../../lib/aws/sfn-execution-control';
import { TASK_TIMEOUT_SECONDS } from '../../lib/runtime/time-budget';
import { ABORT_ERROR, abortCause, abortSubject, inFlightWaitMs, protects, type AbortAction, type AbortSubject, type LatestState, type LockItem } from '../../lib/domain/abort';
import { ValidationError, errorMessage } from '../../lib/errors';
import { RefusedError, UsageError } from '../usage-error';
import { AbortIncompleteError, ExecutionNotRunningError, ExecutionStateUnreadableError, LockNotHeldError } from './abort-errors';

/** What abort needs, injected: the execution, the lock table, the workflow's own compensation (functions/compensate.ts). */
export interface AbortPorts {
  readonly executions: Pick<ExecutionControl, 'describe' | 'stop' | 'latestState'>;
  readonly locks: Pick<LockTable, 'read' | 'free' | 'releaseLive' | 'renew'>;
  readonly compensate: (input: unknown) => Promise<CompensationOutcome>;
  /** Where NAME was looked for, for the message when it is not there ("state machine arn:…"). */
  readonly where: string;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface AbortReport {
  readonly execution: string;
  readonly kind: AbortSubject['kind'];
  /** The state it was in when it stopped; null: before its first state. */
  readonly stoppedIn: string | null;
  readonly statusBefore: 'RUNNING';
  readonly statusAfter: string;
  /** Seconds abort waited after the stop for a step already running (its Lambda) to end; 0 when none was. */
  readonly waitedForStepSeconds: number;
  readonly outcome: 'restored' | Exclude<AbortAction, 'restore'>;
  readonly reason: string;
  /** What compensation put back, one line each (its `restored`); [] when nothing needed it. */
  readonly restored: string[];
  /** Its lock: who held it when abort looked, and whether abort freed it. null: it had taken none yet. */
  readonly lock: { readonly key: string; readonly heldBy: string | null; readonly freed: boolean } | null;
}

/** How long abort's restore may take under the lock: compensation's own Task bound, twice over (lib/runtime/time-budget.ts). */
const RESTORE_LEASE_MS = 2 * TASK_TIMEOUT_SECONDS.compensate * 1000;

// DescribeExecution is eventually consistent (API reference): a stop may take a moment to show.
const STATUS_POLLS = 10;
const STATUS_POLL_MS = 1000;

async function readState(ports: AbortPorts, name: string): Promise<{ latest: LatestState; subject: AbortSubject }> {
  try {
    const latest = await ports.executions.latestState(name);
    return { latest, subject: abortSubject(latest) };
  } catch (error) {
    if (error instanceof ValidationError) throw new ExecutionStateUnreadableError(`cannot read what ${name} changed: ${error.message}`, { cause: error });
    throw error;
  }
}

function lockHolder(lockKey: string, lock: LockItem): string {
  return lock.owner ? `${lockKey} is held by ${lock.owner}${lock.leaseUntil ? ` (lease until ${lock.leaseUntil})` : ''}` : `${lockKey} is not held`;
}

async function statusAfterStop(ports: AbortPorts, name: string): Promise<string> {
  for (let poll = 1; ; poll += 1) {
    const status = (await ports.executions.describe(name))?.status ?? 'UNKNOWN';
    if (status !== 'RUNNING' || poll >= STATUS_POLLS) return status;
    await ports.sleep(STATUS_POLL_MS);
  }
}

/** After the stop: restore under its lock what its newest state says it changed, then free the lock (only if it still holds it). */
async function restoreAndRelease(ports: AbortPorts, name: string): Promise<AbortReport> {
  const status = await statusAfterStop(ports, name);
  if (status === 'RUNNING') throw new AbortIncompleteError(`${name} still reports RUNNING after StopExecution and ${STATUS_POLLS} looks: nothing restored, its lock left as it is`);
  if (status !== 'ABORTED') throw new ExecutionNotRunningError(`${name} ended ${status} before the stop took effect: nothing aborted, nothing changed`);
  const stopped = await readState(ports, name);
  // A step whose Lambda was already running goes on after the stop: let it end (it cannot outlive its Task's
  // timeout) before compensation reads what to restore, so nothing it does lands after the restore.
  const taskSeconds = stopped.latest.state === 'Compensate' ? TASK_TIMEOUT_SECONDS.compensate : TASK_TIMEOUT_SECONDS.step;
  const waitMs = inFlightWaitMs(stopped.latest, ports.now(), taskSeconds);
  if (waitMs > 0) await ports.sleep(waitMs);
  const { latest, subject } = stopped;
  const { lockKey } = subject;
  const lock = lockKey ? await ports.locks.read(lockKey) : undefined;
  let restored: string[] = [];
  if (subject.action === 'restore' && lockKey && lock) {
    // Still its lock, but a lease too short for the restore (it may have run out while it waited): renewed, by a
    // write conditioned on the owner, so no other push can take the lock while abort restores.
    const until = new Date(ports.now() + RESTORE_LEASE_MS).toISOString();
    const held = protects(lock, name, until) || (lock.owner === name && (await ports.locks.renew(lockKey, name, until)));
    if (!held) {
      throw new LockNotHeldError(`${name} was stopped (ABORTED), but ${lockHolder(lockKey, lock)}: nothing restored; what it changed is still in place`);
    }
    const state = { ...(latest.data as object), error: { Error: ABORT_ERROR, Cause: abortCause(latest) } };
    try {
      ({ restored } = await ports.compensate({ executionName: name, state }));
    } catch (error) {
      throw new AbortIncompleteError(`${name} was stopped (ABORTED), but restoring failed: ${errorMessage(error)}; ${lockKey} stays held by it until ${lock.leaseUntil ?? 'its lease ends'}`, {
        cause: error,
      });
    }
  }
  let freed = false;
  if (lockKey && lock?.owner === name) {
    const push = subject.release?.push;
    freed = subject.action === 'not-undone' && push ? await ports.locks.releaseLive(lockKey, name, push) : await ports.locks.free(lockKey, name);
  }
  return {
    execution: name,
    kind: subject.kind,
    stoppedIn: latest.state,
    statusBefore: 'RUNNING',
    statusAfter: status,
    waitedForStepSeconds: Math.round(waitMs / 1000),
    outcome: subject.action === 'restore' ? 'restored' : subject.action,
    reason: subject.reason,
    restored,
    lock: lockKey ? { key: lockKey, heldBy: lock?.owner ?? null, freed } : null,
  };
}

/**
 * `rollout abort NAME`: stops a RUNNING execution, then puts back the prior state it recorded through the workflow's
 * own compensation, while its lock still keeps every other push out, and frees that lock. Refused, with nothing
 * changed, when the execution is not running or its lock no longer protects it; a live rollout is stopped, not undone.
 */
export async function abortExecution(name: string, ports: AbortPorts): Promise<AbortReport> {
  const found = await ports.executions.describe(name);
  if (!found) throw new UsageError(`no execution named ${name} in ${ports.where}`);
  if (found.status !== 'RUNNING') throw new ExecutionNotRunningError(`${name} is ${found.status}, not RUNNING: nothing to abort, nothing changed`);
  const { latest, subject } = await readState(ports, name);
  if (subject.action === 'restore' && subject.lockKey) {
    const lock = await ports.locks.read(subject.lockKey);
    // Its own lock, even past its lease (nobody has taken it since): abort renews the lease before it restores.
    if (lock.owner !== name) {
      throw new LockNotHeldError(`${name} is RUNNING but ${lockHolder(subject.lockKey, lock)}: restoring could undo another execution's work; nothing changed`);
    }
  }
  await ports.executions.stop(name, ABORT_ERROR, abortCause(latest));
  try {
    return await restoreAndRelease(ports, name);
  } catch (error) {
    if (error instanceof RefusedError) throw error;
    throw new AbortIncompleteError(`${name} was stopped (ABORTED), but abort could not finish: ${errorMessage(error)}`, { cause: error });
  }
}
