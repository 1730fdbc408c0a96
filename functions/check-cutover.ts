import * as v from 'valibot';
import { monolithOf } from '../lib/domain/catalog';
import type { CutoverState } from '../lib/domain/cutover-state';
import { parseInput } from '../lib/domain/parse-input';
import { assessCutover } from '../lib/runtime/cutover-readiness';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { cutoverLogKeys } from '../lib/runtime/manifest-of';

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(80));
const InputSchema = v.object({ executionName: name, startedBy: name });

/**
 * The cut-over's first step, under the monolith's lock: the rollout that started it checked without a lock,
 * and a push of the monolith, or another cut-over attempt, may have changed things since. Read-only.
 */
export const makeHandler = (deps: HandlerDeps<'ecs' | 'elb'>) => async (input: unknown): Promise<CutoverState> => {
  const { executionName, startedBy } = parseInput(InputSchema, input, 'check cut-over');
  const readiness = await assessCutover(deps);
  deps.logger.info(readiness.ready ? 'every microservice is live: cutting over' : 'cut-over not due', { ...cutoverLogKeys(executionName, monolithOf(deps.config.catalog)?.name), startedBy, reason: readiness.reason });
  return readiness.ready
    ? { executionName, ready: true, reason: readiness.reason, monolith: readiness.monolith, plan: readiness.plan }
    : { executionName, ready: false, reason: readiness.reason, plan: [] };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
