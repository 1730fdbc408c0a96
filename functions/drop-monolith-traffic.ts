import { z } from 'zod';
import { dropTrafficActions, planDropMonolithTraffic } from '../lib/domain/cutover-plan';
import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler } from '../lib/runtime/lambda';
import { parseInput } from '../lib/domain/parse-input';
import { logKeys } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';
import type { Deps } from '../lib/runtime/deps';

const InputSchema = z.object({ release: z.unknown(), cutover: z.unknown() });

/** Cut-over, part 1: every action still forwarding to the monolith drops traffic (503 or the drop group). */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CutoverState> => {
  const parsed = parseInput(InputSchema, input, 'drop monolith traffic');
  const release = parseRelease(parsed.release, 'drop monolith traffic');
  const cutover = parseCutover(parsed.cutover, 'drop monolith traffic');
  const monolith = requireField(cutover.monolith, 'drop monolith traffic', 'cutover.monolith');
  // Re-read and re-plan: a retry after a partial run converges instead of repeating calls.
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const changes = planDropMonolithTraffic(rules, monolith.targetGroupArn, dropTrafficActions(deps.config.cutoverMode, deps.config.dropTargetGroupArn));
  for (const change of changes) {
    if (change.isDefault) await deps.elb.setDefaultActions(deps.config.listenerArn, change.after);
    else await deps.elb.setRuleActions(change.ruleArn, change.after);
  }
  deps.logger.info('monolith traffic dropped', { ...logKeys(release), actions: changes.length });
  return cutover;
};

export const handler = lambdaHandler(makeHandler);
