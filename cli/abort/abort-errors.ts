import { RefusedError } from '../usage-error';

/** The execution is not RUNNING (it ended, or was stopped already): nothing was changed. */
export class ExecutionNotRunningError extends RefusedError {
  override readonly name = 'ExecutionNotRunningError';
}

/**
 * Its lock no longer protects it (another execution holds it, or its lease ran out): restoring now could undo someone
 * else's work, so nothing is restored.
 */
export class LockNotHeldError extends RefusedError {
  override readonly name = 'LockNotHeldError';
}

/** Its history does not hold a state abort can read (truncated, or not a rollout's or cut-over's): nothing was changed. */
export class ExecutionStateUnreadableError extends RefusedError {
  override readonly name = 'ExecutionStateUnreadableError';
}

/** The execution was stopped, but what it changed could not all be put back: the message says what was and what is left. */
export class AbortIncompleteError extends RefusedError {
  override readonly name = 'AbortIncompleteError';
}
