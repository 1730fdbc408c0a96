import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter } from '../lib/runtime/clients';
import { cutoverLogKeys } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/** Cut-over, part 2: the monolith to desired count 0; the drain gate then waits out its deregistration delay. */
export const makeHandler = (deps: HandlerDeps<'ecs'>) => async (input: unknown): Promise<CutoverState> => {
  const cutover = parseCutover(input, 'scale monolith to zero');
  const monolith = requireField(cutover.monolith, 'scale monolith to zero', 'cutover.monolith');
  const service = await deps.ecs.describeService(monolith.service);
  if (service && service.desiredCount > 0) {
    await deps.ecs.updateService(monolith.service, { desiredCount: 0 });
    deps.logger.info('monolith scaled to zero', cutoverLogKeys(cutover.executionName, monolith.service));
  }
  // Tasks stop only after their targets drained for the deregistration delay: no point looking earlier.
  return { ...cutover, drainWaitSeconds: service && service.runningCount > 0 ? monolith.deregistrationDelaySeconds + 5 : 0 };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config) }));
