import type { RuleAction } from './release';
import { forwardTargets, forwardTo, routingAction, sameActions, withForwardTargets, withRoutingAction } from './listener-actions';
import type { ObservedRule } from './routing';

/** What a dropped path answers: a fixed 503, or forward to the tutorial's empty "drop-traffic" group. */
export function dropTrafficActions(mode: 'fixed-response' | 'drop-target-group', dropTargetGroupArn?: string): RuleAction[] {
  if (mode === 'drop-target-group' && dropTargetGroupArn) return forwardTo([{ targetGroupArn: dropTargetGroupArn, weight: 1 }]);
  return [
    {
      Type: 'fixed-response',
      FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Service Unavailable: this path was served by the retired monolith' },
    },
  ];
}

/** One listener change of the cut-over: the default action (ruleArn 'default') or a rule. */
export interface ActionChange {
  readonly ruleArn: string;
  readonly isDefault: boolean;
  readonly priority: number | 'default';
  readonly before: RuleAction[];
  readonly after: RuleAction[];
}

/**
 * Every listener action that still forwards to the monolith's group stops doing so: weighted traffic that
 * also goes elsewhere keeps going there; traffic that only the monolith served is dropped. Only the routing
 * action changes: an authentication action before it stays, with its Order (a dropped path still authenticates,
 * then answers 503), and a forward that keeps other groups keeps its group stickiness. `before` is the
 * actions exactly as AWS answered them: compensation writes them back as they are.
 */
export function planDropMonolithTraffic(rules: readonly ObservedRule[], monolithTargetGroupArn: string, drop: RuleAction[]): ActionChange[] {
  const changes: ActionChange[] = [];
  const dropAction = routingAction(drop);
  for (const rule of rules) {
    const targets = forwardTargets(rule.actions);
    if (!targets.some((t) => t.targetGroupArn === monolithTargetGroupArn)) continue;
    const remaining = targets.filter((t) => t.targetGroupArn !== monolithTargetGroupArn && t.weight > 0);
    const after = remaining.length > 0 || !dropAction ? withForwardTargets(rule.actions, remaining) : withRoutingAction(rule.actions, dropAction);
    if (sameActions(rule.actions, after)) continue;
    changes.push({ ruleArn: rule.ruleArn, isDefault: rule.priority === 'default', priority: rule.priority, before: structuredClone([...rule.actions]), after });
  }
  return changes;
}

/** The monolith is retired once it runs no task and no listener action forwards to its group any more. */
export function monolithRetired(desiredCount: number | undefined, targetGroupArn: string | undefined, rules: readonly ObservedRule[]): boolean {
  const forwarded = targetGroupArn !== undefined && rules.some((rule) => forwardTargets(rule.actions).some((target) => target.targetGroupArn === targetGroupArn));
  return (desiredCount ?? 0) === 0 && !forwarded;
}
