import { createHash } from 'node:crypto';

/**
 * Attempts of one cut-over. A failed attempt is restored, and one that found the monolith's lock held or the
 * cut-over not due changed nothing; the next rollout to end starts the next attempt. Names stay taken for 90 days.
 */
export const MAX_CUTOVER_ATTEMPTS = 99;

/** Failed attempts (each dropped the monolith's traffic, then put it back) before no further one is started. */
export const MAX_FAILED_CUTOVERS = 3;

/**
 * The cut-over's execution name: the same listener and the same set of services give the same name, so two
 * rollouts that find everything live at the same moment both ask Step Functions for one execution, and it
 * starts at most once (StartExecution: a name is unique per state machine for 90 days). Adding a service
 * changes the set, hence the name: that is a new migration. 1-80 characters, no ':' (StartExecution).
 */
export function cutoverExecutionName(listenerArn: string, services: readonly string[], attempt = 1): string {
  const identity = JSON.stringify({ listenerArn, services: [...services].sort() });
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 24);
  return `cutover-${hash}-${attempt}`;
}

/** A name cutoverExecutionName gives: `cutover-<24 hex>-<attempt>`. */
export function isCutoverName(name: string): boolean {
  return /^cutover-[0-9a-f]{24}-\d+$/.test(name);
}
