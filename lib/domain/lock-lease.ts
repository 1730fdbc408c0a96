import { findByName, monolithOf, type Catalog } from './catalog';

/** Waiting for a lock longer than this means the holder is stuck: fail by name instead of queueing on. */
export const MAX_LOCK_WAIT_SECONDS = 3600;

// ServiceDrainingError is retried for up to 24 × 30 s; the rest is margin for retries and slow calls.
const DRAINING_RETRIES_SECONDS = 720;
const MARGIN_SECONDS = 900;

/**
 * How long a lock may be held before it expires by itself (its TTL): long enough for the longest legitimate
 * hold (the service's health gate, a wait for a draining name, and the cut-over's drain of the monolith, which
 * runs under the same locks), short enough that an execution stopped by hand frees the queue within the hour.
 */
export function lockLeaseSeconds(catalog: Catalog, lockName: string): number {
  const service = findByName(catalog, lockName);
  const monolith = monolithOf(catalog);
  const gate = service?.healthGateTimeoutSeconds ?? 600;
  const drain = (monolith?.deregistrationDelaySeconds ?? 300) + 300;
  return gate + DRAINING_RETRIES_SECONDS + drain + MARGIN_SECONDS;
}
