import { planServiceRule, ruleIsLive } from '../lib/domain/listener-rule-plan';
import { alternateTargetGroupName } from '../lib/domain/manifest';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/**
 * Step 4: the service's path rule at its priority, its new group at weight 0: no request reaches a group
 * without healthy targets, and the group is now associated with the load balancer (CreateService needs it).
 * Only the rule's forward changes: its authentication and group stickiness stay (lib/domain/listener-rule-plan.ts).
 */
export const makeHandler = (deps: HandlerDeps<'elb'>) => async (input: unknown): Promise<Release> => {
  const release = parseRelease(input, 'ensure listener rule');
  const manifest = manifestOf(deps, release);
  const targetGroupArn = requireField(release.targetGroupArn, 'ensure listener rule', 'release.targetGroupArn');
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const plan = planServiceRule(manifest, rules, targetGroupArn, release.stickyTargetGroups ?? [], release.alternateTargetGroupArn);
  const paths = manifest.paths.join(',');
  if (plan.kind === 'none') return { ...release, ruleArn: plan.ruleArn };
  if (plan.kind === 'modify') {
    // A live rule gains the alternate group (an upgrade from before there was one); otherwise the new group joins.
    const added = ruleIsLive(manifest, rules, targetGroupArn, release.alternateTargetGroupArn) ? alternateTargetGroupName(manifest) : manifest.targetGroupName;
    await deps.elb.setRuleActions(plan.ruleArn, plan.actions);
    deps.logger.info('listener rule now carries a group at weight 0', { ...logKeys(release), priority: manifest.priority, added });
    return { ...release, ruleArn: plan.ruleArn, changes: [...release.changes, `rule ${paths} now carries ${added} at weight 0`] };
  }
  const ruleArn = await deps.elb.createPathRule(deps.config.listenerArn, manifest.priority, manifest.paths, plan.actions);
  deps.logger.info('listener rule created', { ...logKeys(release), priority: manifest.priority });
  return { ...release, ruleArn, changes: [...release.changes, `created rule ${paths} at priority ${manifest.priority} (${manifest.targetGroupName} at weight 0)`] };
};

export const handler = lambdaHandler(makeHandler, () => ({ elb: elbAdapter() }));
