import * as v from 'valibot';
import { parseInput, text } from './parse-input';
import { parseRelease, type Release } from './release-schema';

/** The error a stopped execution carries (StopExecution's `error`) and the failure compensation is told about. */
export const ABORT_ERROR = 'ExecutionAborted';

/** An execution's newest state as its history has it: the state's input when it was entered, its output when it was left. */
export interface LatestState {
  /** null: no state entered yet; `data` is then the execution's input. */
  readonly state: string | null;
  readonly data: unknown;
  /**
   * When the newest event is a Task state entered and not yet left: the moment it was entered (ms). A stopped
   * execution runs no further state, but a Lambda it already invoked runs on to its end.
   */
  readonly taskInFlightSince?: number;
}

/**
 * How long abort waits, after the stop, before it compensates: until a Task in flight cannot be running any more
 * (its Lambda's timeout, bounded by the Task's own TimeoutSeconds; lib/runtime/time-budget.ts), so what that step
 * does lands before compensation reads what to restore. 0 when no Task was in flight or it is long over.
 */
export function inFlightWaitMs(latest: LatestState, nowMs: number, taskTimeoutSeconds: number): number {
  if (latest.taskInFlightSince === undefined) return 0;
  return Math.max(0, latest.taskInFlightSince + taskTimeoutSeconds * 1000 - nowMs);
}

/** A lock item of the lock table (lib/domain/lock-lease.ts): who holds it, until when. */
export interface LockItem {
  readonly owner?: string;
  readonly leaseUntil?: string;
}

/**
 * What `rollout abort` does with an execution it stopped: put back the prior state it recorded, nothing (it changed
 * nothing, or its own compensation already ran), or nothing because its work is done and is not undone.
 */
export type AbortAction = 'restore' | 'nothing-to-restore' | 'not-undone';

export interface AbortSubject {
  readonly kind: 'rollout' | 'cutover';
  /** The lock item it takes; absent before "Resolve release" has named it. */
  readonly lockKey?: string;
  readonly action: AbortAction;
  /** Why, in words, for the report. */
  readonly reason: string;
  /** A live rollout's release: "Release service lock" records its digest and time on the lock item. */
  readonly release?: Release;
}

// The states after a rollout's work is over (rollout.asl.yaml): its traffic shifted, or a monolith's update healthy.
// "Start cut-over if due" and after are also reached after a compensation, or having deployed nothing: told apart first.
const ROLLOUT_DONE_STATES = ['Release service lock', 'Start cut-over if due', 'Succeeded or failed?', 'Done'];
// The cut-over's states after its work is over: it found nothing due, or the monolith has drained (cutover.asl.yaml).
const CUTOVER_DONE_STATES = ['Release monolith lock', 'Done'];

const StateSchema = v.looseObject({
  /** A rollout's release (rollout.asl.yaml), from "Resolve release" on. */
  release: v.optional(v.unknown()),
  /** A cut-over's lock (its input) and its plan, from "Check cut-over" on (cutover.asl.yaml). */
  lockKey: v.optional(text(1, 80)),
  cutover: v.optional(v.unknown()),
  /** A caught error; Compensate writes its outcome over it, with `restored`. */
  error: v.optional(v.looseObject({ restored: v.optional(v.array(v.string())) })),
});

/** What the execution's newest state says abort must put back, and under which lock. */
export function abortSubject(latest: LatestState): AbortSubject {
  const state = parseInput(StateSchema, latest.data, 'abort', 'state.');
  const compensated = state.error?.restored !== undefined;
  if (state.release !== undefined) {
    const release = parseRelease(state.release, 'abort');
    const rollout = { kind: 'rollout', lockKey: release.lockKey } as const;
    if (compensated) return { ...rollout, action: 'nothing-to-restore', reason: 'its own compensation had already restored its prior state' };
    if (!release.before) return { ...rollout, action: 'nothing-to-restore', reason: 'it had not recorded its prior state yet: it changed nothing' };
    if (release.superseded || release.retired) return { ...rollout, action: 'nothing-to-restore', reason: 'it had found nothing to deploy: it changed nothing' };
    if (release.live || (latest.state !== null && ROLLOUT_DONE_STATES.includes(latest.state))) {
      return { ...rollout, action: 'not-undone', reason: 'its rollout was done (the new revision live and serving its paths), and abort does not undo it', release };
    }
    return { ...rollout, action: 'restore', reason: `the prior state it recorded under ${release.lockKey} before its first change` };
  }
  if (state.lockKey !== undefined) {
    const cutover = { kind: 'cutover', lockKey: state.lockKey } as const;
    if (latest.state !== null && CUTOVER_DONE_STATES.includes(latest.state)) {
      return { ...cutover, action: 'not-undone', reason: 'the cut-over had finished its work (or found nothing due), and abort does not undo it' };
    }
    if (compensated) return { ...cutover, action: 'nothing-to-restore', reason: 'its own compensation had already restored what it changed' };
    if (state.cutover === undefined) return { ...cutover, action: 'nothing-to-restore', reason: 'it had not planned the cut-over yet: it changed nothing' };
    return { ...cutover, action: 'restore', reason: `the listener actions and the monolith's desired count it recorded under ${state.lockKey}` };
  }
  return { kind: 'rollout', action: 'nothing-to-restore', reason: 'it had not resolved its release yet: it held no lock and changed nothing' };
}

/** The lock still protects `owner`'s work: it holds it and its lease has not run out (ISO-8601 UTC strings compare in time order). */
export function protects(lock: LockItem, owner: string, nowIso: string): boolean {
  return lock.owner === owner && lock.leaseUntil !== undefined && lock.leaseUntil > nowIso;
}

/** StopExecution's cause: who stopped it, and where. */
export function abortCause(latest: LatestState): string {
  return `stopped by rollout abort ${latest.state === null ? 'before its first state' : `in "${latest.state}"`}`;
}
