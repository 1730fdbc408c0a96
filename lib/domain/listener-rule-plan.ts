import { ClientSecretUnavailableError, PriorityConflictError } from '../errors';
import type { Manifest } from './manifest';
import type { RuleAction } from './release';
import { forwardTargets, oidcActionsWithoutSecret, sameActions, withForwardTargets, type StickyGroup, type WeightedTarget } from './listener-actions';
import { representativePath, ruleForPath, type ObservedRule } from './routing';
import { weightsFor } from './traffic';

export type RulePlan =
  | { kind: 'create'; actions: RuleAction[] }
  | { kind: 'modify'; ruleArn: string; actions: RuleAction[] }
  | { kind: 'none'; ruleArn: string };

const samePaths = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/** The rule at the manifest's priority must be the service's own (same paths, nothing else): never take over another. */
function assertRuleIsOurs(existing: ObservedRule, manifest: Manifest, what: string): void {
  if (existing.otherConditions || !samePaths(existing.paths, manifest.paths)) {
    throw new PriorityConflictError(`${what}: priority ${manifest.priority} is taken by rule ${existing.ruleArn} (paths ${existing.paths.join(',') || 'none'})`);
  }
}

export function ruleAtPriority(rules: readonly ObservedRule[], priority: number): ObservedRule | undefined {
  return rules.find((rule) => rule.priority === priority);
}

/** The rule that serves the service's paths today, other than its own (the /api* rule, or the default action). */
function takenOverFrom(manifest: Manifest, rules: readonly ObservedRule[]): ObservedRule | undefined {
  const existing = ruleAtPriority(rules, manifest.priority);
  return ruleForPath(rules.filter((rule) => rule !== existing), representativePath(manifest.paths[0] ?? '/'));
}

/**
 * A new rule for the service's paths: the actions of the rule that serves them today, authentication included (in
 * place, with its Order), with its routing action forwarding to `targets`. An authenticate-oidc action cannot be
 * created without its client secret, which AWS never answers: refused before anything changes.
 */
function newRuleActions(manifest: Manifest, rules: readonly ObservedRule[], targets: readonly WeightedTarget[], sticky: readonly StickyGroup[], what: string): RuleAction[] {
  const from = takenOverFrom(manifest, rules);
  const [oidc] = oidcActionsWithoutSecret(from?.actions ?? []);
  if (from && oidc) {
    const source = from.priority === 'default' ? 'the listener’s default action' : `rule ${from.ruleArn} at priority ${from.priority}`;
    const config = oidc.AuthenticateOidcConfig;
    throw new ClientSecretUnavailableError(
      `${what}: ${manifest.paths.join(',')} are served by ${source}, which authenticates with authenticate-oidc (issuer ${config?.Issuer ?? '?'}, client ${config?.ClientId ?? '?'}); ` +
        `a new rule must carry it, and CreateRule needs its client secret, which AWS never returns: create the rule at priority ${manifest.priority} for ${manifest.paths.join(',')} with the same actions by hand, then push again`,
    );
  }
  return withForwardTargets(from?.actions ?? [], targets, sticky);
}

/** Refuses, before any change, a push whose first rollout would need a rule the pipeline cannot create (see newRuleActions). */
export function assertServiceRuleCreatable(manifest: Manifest, rules: readonly ObservedRule[]): void {
  if (ruleAtPriority(rules, manifest.priority)) return;
  try {
    newRuleActions(manifest, rules, [], [], `resolve release of ${manifest.name}`);
  } catch (error) {
    if (error instanceof ClientSecretUnavailableError) throw new ClientSecretUnavailableError(`${error.message}; nothing was changed`);
    throw error;
  }
}

/**
 * The rule for a service before it is healthy: its paths keep going where they go today (the monolith,
 * or whatever answers after cut-over) and the new group rides along at weight 0. Weight 0 sends it no
 * request yet, and the reference associates the group with the load balancer, which CreateService needs.
 * Only the forward changes: authentication actions, Orders and group stickiness stay (enabled where AWS requires
 * it: `sticky` lists the groups whose target stickiness is on). When today's routing action is a redirect or a
 * fixed response, the rule forwards to the new group alone, at weight 0, behind the same authentication.
 */
export function planServiceRule(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string, sticky: readonly StickyGroup[] = [], alternateTargetGroupArn?: string): RulePlan {
  const what = `ensure rule ${manifest.paths.join(',')} for ${manifest.name}`;
  const existing = ruleAtPriority(rules, manifest.priority);
  if (existing) assertRuleIsOurs(existing, manifest, what);
  const ours = serviceGroups(targetGroupArn, alternateTargetGroupArn);
  if (existing && forwardTargets(existing.actions).some((target) => ours.has(target.targetGroupArn))) {
    const current = forwardTargets(existing.actions);
    // A live rule from before services had an alternate group: the alternate joins it at weight 0 (no request moves),
    // so that this and later updates can be ECS's own deployments (lib/domain/ecs-update.ts).
    if (alternateTargetGroupArn && ruleIsLive(manifest, rules, targetGroupArn, alternateTargetGroupArn) && !current.some((target) => target.targetGroupArn === alternateTargetGroupArn)) {
      return { kind: 'modify', ruleArn: existing.ruleArn, actions: withForwardTargets(existing.actions, [...current, { targetGroupArn: alternateTargetGroupArn, weight: 0 }], sticky) };
    }
    // Already ours (weight 0 while rolling out, or live): never downgrade a live rule.
    return { kind: 'none', ruleArn: existing.ruleArn };
  }
  const fallback = forwardTargets(takenOverFrom(manifest, rules)?.actions ?? []).filter((t) => t.weight > 0 && !ours.has(t.targetGroupArn));
  const targets = [...fallback, { targetGroupArn, weight: 0 }];
  if (existing) return { kind: 'modify', ruleArn: existing.ruleArn, actions: withForwardTargets(existing.actions, targets, sticky) };
  return { kind: 'create', actions: newRuleActions(manifest, rules, targets, sticky, what) };
}

/** The service's own groups: its target group and, when it has one, its alternate (either may be serving). */
function serviceGroups(targetGroupArn: string, alternateTargetGroupArn: string | undefined): Set<string> {
  return new Set(alternateTargetGroupArn ? [targetGroupArn, alternateTargetGroupArn] : [targetGroupArn]);
}

/** The groups other than the service's own two that the rule at its priority forwards to with weight (the monolith's). */
export function fallbackTargets(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string, alternateTargetGroupArn?: string): WeightedTarget[] {
  const existing = ruleAtPriority(rules, manifest.priority);
  const ours = serviceGroups(targetGroupArn, alternateTargetGroupArn);
  return forwardTargets(existing?.actions ?? []).filter((target) => !ours.has(target.targetGroupArn) && target.weight > 0);
}

/**
 * `percent` of the rule's traffic to the service's group, the rest to the groups it forwards to today in their
 * present proportions (weights are integers, lib/domain/traffic.ts weightsFor); 100: all of its paths to its own
 * group, behind the rule's own authentication.
 */
function shiftedTargets(fallback: readonly WeightedTarget[], targetGroupArn: string, percent: number, alternateTargetGroupArn?: string): WeightedTarget[] {
  if (percent >= 100 || fallback.length === 0) {
    // With an alternate group: the shape ECS's blue/green family needs on the production rule, a lone forward to the
    // service's two groups, the serving one weighted (ECS developer guide, "Application Load Balancer resources for
    // blue/green, linear, and canary deployments").
    return alternateTargetGroupArn ? [{ targetGroupArn, weight: 1 }, { targetGroupArn: alternateTargetGroupArn, weight: 0 }] : [{ targetGroupArn, weight: 1 }];
  }
  const { newWeight, oldWeight } = weightsFor(percent);
  const total = fallback.reduce((sum, target) => sum + target.weight, 0);
  return [
    ...fallback.map((target) => ({ targetGroupArn: target.targetGroupArn, weight: Math.max(1, Math.round((oldWeight * target.weight) / total)) })),
    { targetGroupArn, weight: newWeight },
  ];
}

/** The rule once the service is healthy: `percent` (default all) of its paths' traffic to its own group. */
export function planShiftTraffic(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string, sticky: readonly StickyGroup[] = [], percent = 100, alternateTargetGroupArn?: string): RulePlan {
  const what = `shift traffic for ${manifest.name}`;
  const existing = ruleAtPriority(rules, manifest.priority);
  if (!existing) return { kind: 'create', actions: newRuleActions(manifest, rules, shiftedTargets([], targetGroupArn, 100, alternateTargetGroupArn), sticky, what) };
  assertRuleIsOurs(existing, manifest, what);
  const fallback = fallbackTargets(manifest, rules, targetGroupArn, alternateTargetGroupArn);
  // Already live on its two groups (an ECS deployment may have left the alternate serving): nothing to shift.
  if (fallback.length === 0 && ruleIsLive(manifest, rules, targetGroupArn, alternateTargetGroupArn) && forwardTargets(existing.actions).some((target) => target.weight > 0 && target.targetGroupArn === alternateTargetGroupArn)) {
    return { kind: 'none', ruleArn: existing.ruleArn };
  }
  const targets = shiftedTargets(fallback, targetGroupArn, percent, alternateTargetGroupArn);
  const actions = withForwardTargets(existing.actions, targets, sticky);
  return sameActions(existing.actions, actions) ? { kind: 'none', ruleArn: existing.ruleArn } : { kind: 'modify', ruleArn: existing.ruleArn, actions };
}

/** True when the rule at the manifest's priority sends all its weighted traffic to the service's groups (either of its two). */
export function ruleIsLive(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string, alternateTargetGroupArn?: string): boolean {
  const existing = ruleAtPriority(rules, manifest.priority);
  if (!existing || !samePaths(existing.paths, manifest.paths)) return false;
  const ours = serviceGroups(targetGroupArn, alternateTargetGroupArn);
  const weighted = forwardTargets(existing.actions).filter((target) => target.weight > 0);
  return weighted.length > 0 && weighted.every((target) => ours.has(target.targetGroupArn));
}

/** Of the service's two groups, the one its rule gives more weight (the one serving), else its target group. */
export function servingGroup(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string, alternateTargetGroupArn?: string): string {
  const existing = ruleAtPriority(rules, manifest.priority);
  const weightOf = (arn: string) => forwardTargets(existing?.actions ?? []).filter((target) => target.targetGroupArn === arn).reduce((sum, target) => sum + target.weight, 0);
  // The one with more weight; on a tie (or no alternate), the service's target group.
  return alternateTargetGroupArn && weightOf(alternateTargetGroupArn) > weightOf(targetGroupArn) ? alternateTargetGroupArn : targetGroupArn;
}
