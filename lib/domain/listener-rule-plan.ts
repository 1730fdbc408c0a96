import { PriorityConflictError } from '../errors';
import type { Manifest } from './manifest';
import type { RuleAction } from './release';
import { actionsForPath, forwardTargets, forwardTo, representativePath, sameActions, type ObservedRule } from './routing';

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

/**
 * The rule for a service before it is healthy: its paths keep going where they go today (the monolith,
 * or whatever answers after cut-over) and the new group rides along at weight 0. Weight 0 sends it no
 * request yet, and the reference associates the group with the load balancer, which CreateService needs.
 */
export function planServiceRule(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string): RulePlan {
  const existing = ruleAtPriority(rules, manifest.priority);
  if (existing) assertRuleIsOurs(existing, manifest, `ensure rule ${manifest.paths.join(',')} for ${manifest.name}`);
  if (existing && forwardTargets(existing.actions).some((target) => target.targetGroupArn === targetGroupArn)) {
    // Already ours (weight 0 while rolling out, or live): never downgrade a live rule.
    return { kind: 'none', ruleArn: existing.ruleArn };
  }
  const others = rules.filter((rule) => rule !== existing);
  const fallbackPath = representativePath(manifest.paths[0] ?? '/');
  const fallback = forwardTargets(actionsForPath(others, fallbackPath)).filter((t) => t.weight > 0 && t.targetGroupArn !== targetGroupArn);
  const actions = forwardTo([...fallback, { targetGroupArn, weight: 0 }]);
  return existing ? { kind: 'modify', ruleArn: existing.ruleArn, actions } : { kind: 'create', actions };
}

/** The rule once the service is healthy: all of its paths to its own group. */
export function planShiftTraffic(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string): RulePlan {
  const existing = ruleAtPriority(rules, manifest.priority);
  const actions = forwardTo([{ targetGroupArn, weight: 1 }]);
  if (!existing) return { kind: 'create', actions };
  assertRuleIsOurs(existing, manifest, `shift traffic for ${manifest.name}`);
  return sameActions(existing.actions, actions) ? { kind: 'none', ruleArn: existing.ruleArn } : { kind: 'modify', ruleArn: existing.ruleArn, actions };
}

/** True when the rule at the manifest's priority sends all its weighted traffic to the service's group. */
export function ruleIsLive(manifest: Manifest, rules: readonly ObservedRule[], targetGroupArn: string): boolean {
  const existing = ruleAtPriority(rules, manifest.priority);
  if (!existing || !samePaths(existing.paths, manifest.paths)) return false;
  const weighted = forwardTargets(existing.actions).filter((target) => target.weight > 0);
  return weighted.length > 0 && weighted.every((target) => target.targetGroupArn === targetGroupArn);
}
