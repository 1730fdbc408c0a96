import type { RuleAction } from './release';

// What an action list does (and the edits the pipeline makes to one) lives in listener-actions.ts.
export { forwardTargets, forwardTo, sameActions } from './listener-actions';

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

/** The rule an ALB applies to `path`: the lowest-priority matching path rule, else the default rule. */
export function ruleForPath(rules: readonly ObservedRule[], path: string): ObservedRule | undefined {
  const ordered = [...rules].filter((rule) => rule.priority !== 'default').sort((a, b) => (a.priority as number) - (b.priority as number));
  for (const rule of ordered) {
    if (!rule.otherConditions && rule.paths.some((pattern) => pathPatternMatches(pattern, path))) return rule;
  }
  return rules.find((rule) => rule.priority === 'default');
}

/** The actions an ALB applies to `path` (see ruleForPath). */
export function actionsForPath(rules: readonly ObservedRule[], path: string): readonly RuleAction[] {
  return ruleForPath(rules, path)?.actions ?? [];
}
