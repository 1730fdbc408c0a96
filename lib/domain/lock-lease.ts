import { findByName, type Catalog } from './catalog';
import { plannedBakes } from './traffic';
import { ecsDeploymentLimitSeconds } from './ecs-update';

// ServiceDrainingError is retried for up to 24 × 30 s (rollout.asl.yaml, "Deploy service").
const DRAINING_RETRIES_SECONDS = 720;
// The monolith may stay in its group this long after its deregistration delay (policies.yaml, retryStillDraining).
const DRAIN_MARGIN_SECONDS = 20 * 15;
// Lambda time per step, throttling back-offs (up to 10 retries of every Task) and compensation, on top of the
// planned waits.
const MARGIN_SECONDS = 900;

/** The cut-over retries a held monolith lock every 10 s, 180 times (statemachines/policies.yaml, retryMonolithLockHeld). */
export const MONOLITH_LOCK_WAIT_SECONDS = 180 * 10;

/**
 * A push waits for its service's lock at most this long (then LockWaitTimeoutError, having changed nothing): past
 * it, something holds the lock that should not, and a Standard execution's 25,000-event history would run out
 * after about four hours of waiting anyway.
 */
export const MAX_SERVICE_LOCK_WAIT_SECONDS = 2 * 3600;

// Per bake, on top of its minutes: its looks' Lambda time and retries (lib/domain/traffic.ts, bakeCheckSeconds).
const BAKE_MARGIN_SECONDS = 300;

/**
 * How long a service's rollout may hold its lock. The health gate is bounded by the clock (lib/domain/health.ts) and
 * can overrun its timeout by at most its last wait, one attempt and one back-off (about 3 minutes); the lease allows
 * the gate three times over, which also covers the steps before it; then every bake the manifest's traffic strategy
 * may wait out (canary: one; linear: one per step but the last), or ECS's own deployment of an update, if longer. A holder that dies (an execution stopped by hand)
 * frees the lock within about an hour with the tutorial's manifests (`rollout abort` frees it at once).
 */
export function serviceHoldSeconds(catalog: Catalog, service: string): number {
  const manifest = findByName(catalog, service);
  // The pipeline's own bakes, or an update through ECS's own deployment (its bakes, the old tasks' drain: its
  // watch ends it by then, lib/domain/ecs-update.ts), whichever is longer.
  const ecsUpdate = manifest && manifest.role === 'microservice' ? ecsDeploymentLimitSeconds(manifest) - manifest.healthGateTimeoutSeconds : 0;
  const bakes = manifest ? Math.max(plannedBakes(manifest.traffic) * (manifest.traffic.bakeMinutes * 60 + BAKE_MARGIN_SECONDS), ecsUpdate) : 0;
  return 3 * (manifest?.healthGateTimeoutSeconds ?? 600) + DRAINING_RETRIES_SECONDS + MARGIN_SECONDS + bakes;
}

/**
 * How long the cut-over may hold the monolith's lock, counted from its start: its wait for the lock, the monolith
 * group's real deregistration delay, then the drain checks.
 */
export function cutoverHoldSeconds(deregistrationDelaySeconds: number): number {
  return MONOLITH_LOCK_WAIT_SECONDS + deregistrationDelaySeconds + DRAIN_MARGIN_SECONDS + MARGIN_SECONDS;
}

/** How long to wait before asking for a held lock again: 10 s at first, growing to 60 s (fewer reads, fewer history events). */
export function lockWaitSeconds(waitedSeconds: number): number {
  return Math.min(60, 10 + 10 * Math.floor(Math.max(0, waitedSeconds) / 300));
}

/**
 * The moment a lock taken now stops protecting its holder, as an ISO-8601 UTC timestamp (the lock states compare
 * it with $$.State.EnteredTime as strings). Computed by the Lambda that runs just before the lock is taken, since
 * Step Functions has no clock arithmetic: "Resolve release" (run again after every wait for the lock, so the lease
 * is always fresh) and "Start cut-over if due" (whose lease covers the cut-over's own wait for the lock).
 */
export function leaseUntil(nowMs: number, holdSeconds: number): string {
  return new Date(nowMs + holdSeconds * 1000).toISOString();
}

/** The lock item of a service (also the cut-over's lock, for the monolith): one per service, see serverless.yml. */
export function lockKeyOf(service: string): string {
  return `lock#${service}`;
}
