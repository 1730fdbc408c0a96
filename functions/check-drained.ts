import { DrainTimeoutError } from '../lib/errors';
import type { CutoverState } from '../lib/domain/cutover-state';
import { parseCutoverStep } from '../lib/runtime/cutover-input';
import { lambdaHandler } from '../lib/runtime/lambda';
import { logKeys } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';
import type { Deps } from '../lib/runtime/deps';

/** Draining takes the group's deregistration delay; past that plus this margin, something is stuck. */
const DRAIN_MARGIN_SECONDS = 300;

export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CutoverState> => {
  const { release, cutover, monolith } = parseCutoverStep(input, 'check monolith drained');
  const drain = requireField(cutover.drain, 'check monolith drained', 'cutover.drain');
  const waitedSeconds = drain.waitedSeconds + drain.nextWaitSeconds;
  const service = await deps.ecs.describeService(monolith.service);
  const running = service?.runningCount ?? 0;
  // ECS stops counting a task as running as soon as it is deactivating; its connections drain until the
  // group stops listing its target as 'draining'. Drained means both.
  const targets = running === 0 ? await deps.elb.targetCounts(monolith.targetGroupArn) : undefined;
  const inGroup = targets ? targets.healthy + targets.initial + targets.unhealthy + targets.draining : 0;
  if (running === 0 && inGroup === 0) {
    deps.logger.info('monolith drained', { ...logKeys(release), waitedSeconds });
    return { ...cutover, drain: { waitedSeconds, nextWaitSeconds: 0, drained: true } };
  }
  const limit = monolith.deregistrationDelaySeconds + DRAIN_MARGIN_SECONDS;
  if (waitedSeconds >= limit) {
    throw new DrainTimeoutError(`drain monolith ${monolith.service}: ${running} task(s) running and ${inGroup} target(s) still in its group after ${waitedSeconds}s (limit ${limit}s)`);
  }
  const untilDelayEnds = monolith.deregistrationDelaySeconds - waitedSeconds;
  const next = untilDelayEnds > 0 ? untilDelayEnds + 5 : 10;
  return { ...cutover, drain: { waitedSeconds, nextWaitSeconds: Math.min(next, limit - waitedSeconds), drained: false } };
};

export const handler = lambdaHandler(makeHandler);
