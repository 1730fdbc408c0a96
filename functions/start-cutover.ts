import { microservicesOf } from '../lib/domain/catalog';
import { cutoverExecutionName, MAX_CUTOVER_ATTEMPTS, MAX_FAILED_CUTOVERS } from '../lib/domain/cutover-name';
import type { CutoverInput } from '../lib/domain/cutover-state';
import { cutoverHoldSeconds, leaseUntil, lockKeyOf } from '../lib/domain/lock-lease';
import { parseRelease } from '../lib/domain/release-schema';
import { parseInput } from '../lib/domain/parse-input';
import { assessCutover } from '../lib/runtime/cutover-readiness';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter, cutoverSfnAdapter } from '../lib/runtime/clients';
import { logKeys } from '../lib/runtime/manifest-of';
import * as v from 'valibot';

const InputSchema = v.object({ release: v.unknown() });

export interface CutoverStart {
  readonly started: boolean;
  /** The cut-over execution this rollout started, or the one that already runs or ran. */
  readonly name?: string;
  readonly reason: string;
}

/** Statuses after which an attempt is over without having cut over (StartExecution, DescribeExecution). */
const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * A service's rollout ends here. If every microservice is live and the monolith still serves, start the
 * cut-over as its own execution. Its name comes from the listener and the set of services, so when the last
 * two services go live at the same moment both rollouts ask for the same name and Step Functions starts it
 * once. Attempt N that failed (and was restored) makes the next rollout start attempt N+1.
 * Read-only towards ECS and ELB; the cut-over re-checks everything under the monolith's lock.
 */
export const makeHandler = (deps: HandlerDeps<'ecs' | 'elb' | 'cutoverSfn'>) => async (input: unknown): Promise<CutoverStart> => {
  const release = parseRelease(parseInput(InputSchema, input, 'start cut-over').release, 'start cut-over');
  const readiness = await assessCutover(deps);
  if (!readiness.ready) return { started: false, reason: readiness.reason };
  const { catalog, listenerArn } = deps.config;
  const services = microservicesOf(catalog).map((manifest) => manifest.name);
  const cutoverInput: CutoverInput = {
    lockKey: lockKeyOf(readiness.monolith.service),
    leaseUntil: leaseUntil(deps.now(), cutoverHoldSeconds(readiness.monolith.deregistrationDelaySeconds)),
    startedBy: release.executionName,
    services,
  };
  let failed = 0;
  for (let attempt = 1; attempt <= MAX_CUTOVER_ATTEMPTS; attempt += 1) {
    const name = cutoverExecutionName(listenerArn, services, attempt);
    const existing = await deps.cutoverSfn.describe(name);
    // A failed attempt was restored; after MAX_FAILED_CUTOVERS of them a human must look (each one dropped the
    // monolith's traffic, then put it back). A succeeded one that left the monolith serving (we are here because
    // it still does) found the cut-over not due under the lock: the next attempt is due.
    if (existing && FAILED_STATUSES.includes(existing.status)) {
      failed += 1;
      if (failed >= MAX_FAILED_CUTOVERS) {
        deps.logger.warn('cut-over failed too often: not starting another', { ...logKeys(release), failed });
        return { started: false, name, reason: `${failed} cut-over attempts failed (the last: ${name}): fix the cause, then push any service again after raising the limit or cut over by hand` };
      }
      continue;
    }
    if (existing?.status === 'SUCCEEDED') continue;
    if (existing) return { started: false, name, reason: `cut-over ${name} is already ${existing.status.toLowerCase()}` };
    const result = await deps.cutoverSfn.start(name, cutoverInput);
    // ExecutionAlreadyExists: another rollout started this very attempt a moment ago. Step Functions kept it to one.
    if (!result.started) return { started: false, name, reason: `cut-over ${name} was started by another rollout` };
    deps.logger.info('cut-over started', { ...logKeys(release), cutover: name, attempt });
    return { started: true, name, reason: readiness.reason };
  }
  deps.logger.warn('every cut-over attempt name is used', { ...logKeys(release) });
  return { started: false, reason: `all ${MAX_CUTOVER_ATTEMPTS} cut-over attempt names are used: cut over by hand or change the set of services` };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter(), cutoverSfn: cutoverSfnAdapter(config) }));
