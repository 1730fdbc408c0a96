import type { CutoverState } from '../lib/domain/cutover-state';
import { parseCutoverStep } from '../lib/runtime/cutover-input';
import { lambdaHandler } from '../lib/runtime/lambda';
import { logKeys } from '../lib/runtime/manifest-of';
import type { Deps } from '../lib/runtime/deps';

/** Cut-over, part 2: the monolith to desired count 0; the drain gate then waits out its deregistration delay. */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CutoverState> => {
  const { release, cutover, monolith } = parseCutoverStep(input, 'scale monolith to zero');
  const service = await deps.ecs.describeService(monolith.service);
  if (service && service.desiredCount > 0) {
    await deps.ecs.updateService(monolith.service, { desiredCount: 0 });
    deps.logger.info('monolith scaled to zero', { ...logKeys(release), monolith: monolith.service });
  }
  // Tasks stop only after their targets drained for the deregistration delay: no point looking earlier.
  const firstWait = monolith.deregistrationDelaySeconds + 5;
  return { ...cutover, drain: { waitedSeconds: 0, nextWaitSeconds: service && service.runningCount > 0 ? firstWait : 0, drained: false } };
};

export const handler = lambdaHandler(makeHandler);
