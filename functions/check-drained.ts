import { MonolithDrainingError } from '../lib/errors';
import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { cutoverLogKeys } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/**
 * Drained means no task running and no target left in the monolith's group. ECS stops counting a task as
 * running as soon as it is deactivating; its connections drain until the group stops listing its target as
 * 'draining'. Not yet is a MonolithDrainingError, which the state machine retries every 15 s for 5 minutes
 * (statemachines/policies.yaml, retryStillDraining) and then hands to compensation.
 */
export const makeHandler = (deps: HandlerDeps<'ecs' | 'elb'>) => async (input: unknown): Promise<CutoverState> => {
  const cutover = parseCutover(input, 'check monolith drained');
  const monolith = requireField(cutover.monolith, 'check monolith drained', 'cutover.monolith');
  const service = await deps.ecs.describeService(monolith.service);
  const running = service?.runningCount ?? 0;
  const targets = running === 0 ? await deps.elb.targetCounts(monolith.targetGroupArn) : undefined;
  const inGroup = targets ? targets.healthy + targets.initial + targets.unhealthy + targets.draining : 0;
  if (running > 0 || inGroup > 0) {
    throw new MonolithDrainingError(`drain monolith ${monolith.service}: ${running} task(s) running and ${inGroup} target(s) still in its group`);
  }
  deps.logger.info('monolith drained', cutoverLogKeys(cutover.executionName, monolith.service));
  return cutover;
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
