import { fallbackTargets, planShiftTraffic, servingGroup } from '../lib/domain/listener-rule-plan';
import type { Release, Shift } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { bakeCheckSeconds, METRICS_SETTLE_SECONDS, shiftPlan } from '../lib/domain/traffic';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

type Deps = HandlerDeps<'elb'>;

/** The steps to take, fixed at the first shift: a rule that already sends everything to the group is an update. */
async function plannedShift(deps: Deps, release: Release, targetGroupArn: string): Promise<Shift> {
  if (release.shift) return release.shift;
  const manifest = manifestOf(deps, release);
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const splittable = fallbackTargets(manifest, rules, targetGroupArn, release.alternateTargetGroupArn).length > 0;
  return { steps: shiftPlan(manifest.traffic, splittable), done: 0, percent: splittable ? 0 : 100 };
}

/**
 * Step 7, once the service is healthy and after each bake that passed: the next weight change of the manifest's
 * strategy (canary 10 → 100, linear 25 → 50 → 75 → 100, all at once), then a bake judged by "Check service health"
 * when the step has one. The rule's other actions (authentication) stay; only the forward's weights change. The last
 * step done, the service is live. Each step is one DescribeRules (two at the first, which plans them) and at most one ModifyRule.
 */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<Release> => {
  const step = 'shift traffic';
  const release = parseRelease(input, step);
  const manifest = manifestOf(deps, release);
  const targetGroupArn = requireField(release.targetGroupArn, step, 'release.targetGroupArn');
  const gate = requireField(release.gate, step, 'release.gate');
  const shift = await plannedShift(deps, release, targetGroupArn);
  const planned = shift.steps[shift.done];
  if (planned === undefined) {
    deps.logger.info('traffic shifted', { ...logKeys(release), percent: shift.percent });
    return { ...release, shift: { ...shift, bake: undefined }, live: true, gate: { ...gate, healthy: true, nextWaitSeconds: 0 } };
  }
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const plan = planShiftTraffic(manifest, rules, targetGroupArn, release.stickyTargetGroups ?? [], planned.percent, release.alternateTargetGroupArn);
  // A rule that disappeared since "Ensure listener rule" is created whole: all of the paths at once, the last step.
  const next = plan.kind === 'create' ? { percent: 100, bake: false } : planned;
  const changes = [...release.changes];
  const trafficSteps = [...(release.trafficSteps ?? [])];
  const at = new Date(deps.now()).toISOString();
  if (plan.kind === 'modify') {
    await deps.elb.setRuleActions(plan.ruleArn, plan.actions);
    changes.push(next.percent >= 100 ? `shifted ${manifest.paths.join(',')} to ${manifest.targetGroupName}` : `shifted ${next.percent} % of ${manifest.paths.join(',')} to ${manifest.targetGroupName}`);
  } else if (plan.kind === 'create') {
    await deps.elb.createPathRule(deps.config.listenerArn, manifest.priority, manifest.paths, plan.actions);
    changes.push(`created rule ${manifest.paths.join(',')} → ${manifest.targetGroupName}`);
  }
  // Recorded when the weights moved, by this attempt or by an earlier one whose answer was lost (a retried step
  // finds the rule already at its percent): a step taken is always in trafficSteps, and only once.
  if (plan.kind !== 'none' || next.percent !== shift.percent) trafficSteps.push({ at, percent: next.percent });
  const done = plan.kind === 'create' ? shift.steps.length : shift.done + 1;
  const bakeSeconds = manifest.traffic.bakeMinutes * 60;
  deps.logger.info('traffic shifted', { ...logKeys(release), plan: plan.kind, percent: next.percent, bake: next.bake });
  const moved = { ...release, changes, trafficSteps };
  if (!next.bake) {
    const live = done >= shift.steps.length;
    // No bake: the next step at once (the Choice sends a healthy gate back here), or live.
    return { ...moved, shift: { steps: shift.steps, done, percent: next.percent }, ...(live ? { live: true } : {}), gate: { ...gate, healthy: true, nextWaitSeconds: 0 } };
  }
  return {
    ...moved,
    shift: {
      steps: shift.steps,
      done,
      percent: next.percent,
      // Judged on the group that serves the service's share, decided once: its own group while it migrates; after
      // ECS's own deployments, whichever of its two groups ECS left serving.
      bake: { startedAt: at, seconds: bakeSeconds, checks: 0, targetGroupArn: servingGroup(manifest, rules, targetGroupArn, release.alternateTargetGroupArn) },
    },
    gate: { ...gate, healthy: false, nextWaitSeconds: bakeCheckSeconds(manifest.traffic, bakeSeconds + METRICS_SETTLE_SECONDS) },
  };
};

export const handler = lambdaHandler(makeHandler, () => ({ elb: elbAdapter() }));
