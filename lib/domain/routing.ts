import type { RuleAction } from './release';

/** A listener rule as the pipeline sees it: non-default rules have a numeric priority. */
export interface ObservedRule {
  readonly ruleArn: string;
  readonly priority: number | 'default';
  readonly paths: readonly string[];
  /** True when the rule has conditions other than path-pattern (host, header…): we never claim those. */
  readonly otherConditions: boolean;
  readonly actions: readonly RuleAction[];
}

/** ALB path-pattern semantics: case-sensitive, '*' matches any run of characters, '?' exactly one. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(path);
}

/** A concrete path a pattern stands for ('/api/posts*' → '/api/posts'), used to ask "who serves this today?". */
export function representativePath(pattern: string): string {
  return pattern.replace(/[*?].*$/, '') || '/';
}

/** The action an ALB applies to `path`: the lowest-priority matching path rule, else the default rule. */
export function actionsForPath(rules: readonly ObservedRule[], path: string): readonly RuleAction[] {
  const ordered = [...rules].filter((rule) => rule.priority !== 'default').sort((a, b) => (a.priority as number) - (b.priority as number));
  for (const rule of ordered) {
    if (!rule.otherConditions && rule.paths.some((pattern) => pathPatternMatches(pattern, path))) return rule.actions;
  }
  return rules.find((rule) => rule.priority === 'default')?.actions ?? [];
}

/** Target groups an action list forwards to, with their weights (a plain TargetGroupArn counts as weight 1). */
export function forwardTargets(actions: readonly RuleAction[]): { targetGroupArn: string; weight: number }[] {
  const forward = actions.find((action) => action.Type === 'forward');
  if (!forward) return [];
  const groups = forward.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) {
    return groups.filter((group) => group.TargetGroupArn).map((group) => ({ targetGroupArn: group.TargetGroupArn as string, weight: group.Weight ?? 1 }));
  }
  return forward.TargetGroupArn ? [{ targetGroupArn: forward.TargetGroupArn, weight: 1 }] : [];
}

export function forwardTo(targets: readonly { targetGroupArn: string; weight: number }[]): RuleAction[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: targets.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })) } }];
}

/** Compares two action lists by what they do (forward targets and weights, or the fixed response). */
export function sameActions(left: readonly RuleAction[], right: readonly RuleAction[]): boolean {
  const describe = (actions: readonly RuleAction[]) =>
    JSON.stringify(
      actions.map((action) =>
        action.Type === 'forward'
          ? { forward: forwardTargets([action]).sort((a, b) => a.targetGroupArn.localeCompare(b.targetGroupArn)) }
          : { type: action.Type, fixed: action.FixedResponseConfig ?? null },
      ),
    );
  return describe(left) === describe(right);
}

/** Trims an SDK action to the fields we carry (drops AWS's echo of defaults). */
export function trimAction(action: RuleAction): RuleAction {
  const trimmed: RuleAction = { Type: action.Type };
  if (action.Order !== undefined) trimmed.Order = action.Order;
  if (action.Type === 'forward') {
    const targets = forwardTargets([action]);
    trimmed.ForwardConfig = { TargetGroups: targets.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })) };
  }
  if (action.FixedResponseConfig) {
    const { StatusCode, ContentType, MessageBody } = action.FixedResponseConfig;
    trimmed.FixedResponseConfig = { StatusCode, ...(ContentType ? { ContentType } : {}), ...(MessageBody ? { MessageBody } : {}) };
  }
  return trimmed;
}
