import { dropTrafficActions, planDropMonolithTraffic } from '../lib/domain/cutover-plan';
import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { elbAdapter } from '../lib/runtime/clients';
import { cutoverLogKeys } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/** Cut-over, part 1: every action still forwarding to the monolith drops traffic (503 or the drop group). */
export const makeHandler = (deps: HandlerDeps<'elb'>) => async (input: unknown): Promise<CutoverState> => {
  const cutover = parseCutover(input, 'drop monolith traffic');
  const monolith = requireField(cutover.monolith, 'drop monolith traffic', 'cutover.monolith');
  // Re-read and re-plan: a retry after a partial run converges instead of repeating calls.
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const changes = planDropMonolithTraffic(rules, monolith.targetGroupArn, dropTrafficActions(deps.config.cutoverMode, deps.config.dropTargetGroupArn));
  for (const change of changes) {
    if (change.isDefault) await deps.elb.setDefaultActions(deps.config.listenerArn, change.after);
    else await deps.elb.setRuleActions(change.ruleArn, change.after);
  }
  deps.logger.info('monolith traffic dropped', { ...cutoverLogKeys(cutover.executionName, monolith.service), actions: changes.length });
  return cutover;
};

export const handler = lambdaHandler(makeHandler, () => ({ elb: elbAdapter() }));
