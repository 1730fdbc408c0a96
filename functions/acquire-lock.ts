import { z } from 'zod';
import { lambdaHandler } from '../lib/runtime/lambda';
import { parseInput } from '../lib/domain/parse-input';
import { LockTimeoutError } from '../lib/errors';
import { lockLeaseSeconds, MAX_LOCK_WAIT_SECONDS } from '../lib/domain/lock-lease';
import type { Deps } from '../lib/runtime/deps';

const InputSchema = z.object({
  lockName: z.string().min(1).max(64),
  owner: z.string().min(1).max(80),
  /** For a service lock: the push's event time, to detect that a newer push is already live. */
  eventTime: z.iso.datetime({ offset: true }).optional(),
  digest: z.string().optional(),
  /** A lock this execution already holds (its service lock while it queues for the cut-over): kept alive. */
  renewLock: z.string().min(1).max(64).optional(),
  /** The execution's start ($$.Execution.StartTime): waiting is bounded from there. */
  startedAt: z.iso.datetime({ offset: true }).optional(),
  ttlSeconds: z.number().int().min(60).max(86_400).optional(),
});

export interface LockOutcome {
  readonly acquired: boolean;
  /** A newer push of this service is already live: this one must not replace it. */
  readonly superseded: boolean;
  readonly holder?: string;
  readonly waitSeconds: number;
}

/** Polls every 10 s while another execution holds the lock: a rollout holds it for minutes, not hours. */
const LOCK_POLL_SECONDS = 10;

export const makeHandler = (deps: Deps) => async (input: unknown): Promise<LockOutcome> => {
  const { lockName, owner, eventTime, digest, startedAt, ttlSeconds, renewLock } = parseInput(InputSchema, input, 'acquire lock');
  // Renewed first and on every poll, so it cannot lapse (and let the next push of the service in) while we queue.
  if (renewLock && renewLock !== lockName) await deps.locks.renew(renewLock, owner, deps.now(), lockLeaseSeconds(deps.config.catalog, renewLock));
  const lock = await deps.locks.acquire(lockName, owner, deps.now(), ttlSeconds ?? lockLeaseSeconds(deps.config.catalog, lockName));
  if (!lock.acquired) {
    const waitedSeconds = startedAt ? Math.round((deps.now() - Date.parse(startedAt)) / 1000) : 0;
    if (waitedSeconds > MAX_LOCK_WAIT_SECONDS) {
      throw new LockTimeoutError(`acquire lock ${lockName}: still held by ${lock.holder ?? 'another execution'} after ${waitedSeconds}s (limit ${MAX_LOCK_WAIT_SECONDS}s)`);
    }
    deps.logger.info('lock held by another execution; waiting', { execution: owner, lock: lockName, holder: lock.holder });
    return { acquired: false, superseded: false, holder: lock.holder, waitSeconds: LOCK_POLL_SECONDS };
  }
  let superseded = false;
  if (eventTime) {
    const deployed = await deps.locks.deployedPush(lockName);
    superseded = deployed !== undefined && deployed.digest !== digest && deployed.eventTimeMs > Date.parse(eventTime);
    if (superseded) deps.logger.info('a newer push is already live; this push is superseded', { execution: owner, serviceName: lockName, digest, live: deployed?.digest });
  }
  return { acquired: true, superseded, waitSeconds: 0 };
};

export const handler = lambdaHandler(makeHandler);
