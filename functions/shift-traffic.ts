import { planShiftTraffic } from '../lib/domain/listener-rule-plan';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/** Step 7: the service is healthy; all of its paths go to its own group. */
export const makeHandler = (deps: HandlerDeps<'elb'>) => async (input: unknown): Promise<Release> => {
  const release = parseRelease(input, 'shift traffic');
  const manifest = manifestOf(deps, release);
  const targetGroupArn = requireField(release.targetGroupArn, 'shift traffic', 'release.targetGroupArn');
  const plan = planShiftTraffic(manifest, await deps.elb.listenerRules(deps.config.listenerArn), targetGroupArn, release.stickyTargetGroups ?? []);
  const changes = [...release.changes];
  if (plan.kind === 'modify') {
    await deps.elb.setRuleActions(plan.ruleArn, plan.actions);
    changes.push(`shifted ${manifest.paths.join(',')} to ${manifest.targetGroupName}`);
  } else if (plan.kind === 'create') {
    await deps.elb.createPathRule(deps.config.listenerArn, manifest.priority, manifest.paths, plan.actions);
    changes.push(`created rule ${manifest.paths.join(',')} → ${manifest.targetGroupName}`);
  }
  deps.logger.info('traffic shifted', { ...logKeys(release), plan: plan.kind });
  return { ...release, live: true, changes };
};

export const handler = lambdaHandler(makeHandler, () => ({ elb: elbAdapter() }));
