import { dropTrafficActions, planDropMonolithTraffic } from '../lib/domain/cutover-plan';
import type { CutoverState } from '../lib/domain/cutover-state';
import { parseCutoverStep } from '../lib/runtime/cutover-input';
import { lambdaHandler } from '../lib/runtime/lambda';
import { logKeys } from '../lib/runtime/manifest-of';
import type { Deps } from '../lib/runtime/deps';

/** Cut-over, part 1: every action still forwarding to the monolith drops traffic (503 or the drop group). */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CutoverState> => {
  const { release, cutover, monolith } = parseCutoverStep(input, 'drop monolith traffic');
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
