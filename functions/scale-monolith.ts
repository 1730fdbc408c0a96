import { z } from 'zod';
import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler } from '../lib/runtime/lambda';
import { parseInput } from '../lib/domain/parse-input';
import { logKeys } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';
import type { Deps } from '../lib/runtime/deps';

const InputSchema = z.object({ release: z.unknown(), cutover: z.unknown() });

/** Cut-over, part 2: the monolith to desired count 0; the drain gate then waits out its deregistration delay. */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CutoverState> => {
  const parsed = parseInput(InputSchema, input, 'scale monolith to zero');
  const release = parseRelease(parsed.release, 'scale monolith to zero');
  const cutover = parseCutover(parsed.cutover, 'scale monolith to zero');
  const monolith = requireField(cutover.monolith, 'scale monolith to zero', 'cutover.monolith');
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
