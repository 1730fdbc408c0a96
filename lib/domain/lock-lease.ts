import { findByName, monolithOf, type Catalog } from './catalog';

/**
 * How long an execution may wait for a lock: the "Acquire ... lock" states retry a held lock every 10 s,
 * 180 times (statemachines/policies.yaml, retryLockHeld). Kept in step by test/workflow/definition.test.ts.
 */
export const LOCK_WAIT_SECONDS = 180 * 10;

// ServiceDrainingError is retried for up to 24 × 30 s (rollout.asl.yaml, "Deploy service").
const DRAINING_RETRIES_SECONDS = 720;
// The monolith may stay in its group this long after its deregistration delay (policies.yaml, retryStillDraining).
const DRAIN_MARGIN_SECONDS = 20 * 15;
// Lambda timeouts, retries and Wait rounding on top of the planned waits.
const MARGIN_SECONDS = 600;

/**
 * The moment a lock taken by an execution starting now stops protecting it, as an ISO-8601 UTC timestamp
 * (the lock states compare it with $$.State.EnteredTime as strings). The lease is fixed when the execution
 * starts, since Step Functions has no clock arithmetic: it covers the longest wait for the lock plus the
 * longest legitimate hold, so a live holder never loses it, and a holder stopped by hand frees it within
 * about an hour. A service's rollout holds its lock through its own health gate only (the cut-over is a
 * separate execution under the monolith's lock); the cut-over holds the monolith's through the drain.
 */
export function leaseUntil(nowMs: number, catalog: Catalog, hold: { service: string } | 'cutover'): string {
  let holdSeconds: number;
  if (hold === 'cutover') {
    holdSeconds = (monolithOf(catalog)?.deregistrationDelaySeconds ?? 300) + DRAIN_MARGIN_SECONDS;
  } else {
    holdSeconds = (findByName(catalog, hold.service)?.healthGateTimeoutSeconds ?? 600) + DRAINING_RETRIES_SECONDS;
  }
  return new Date(nowMs + (LOCK_WAIT_SECONDS + holdSeconds + MARGIN_SECONDS) * 1000).toISOString();
}

/** The lock item of a service (also the cut-over's lock, for the monolith): one per service, see serverless.yml. */
export function lockKeyOf(service: string): string {
  return `lock#${service}`;
}
