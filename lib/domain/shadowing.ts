import type { Manifest } from './manifest';
import type { ObservedRule } from './routing';

/**
 * Whether every request path that `inner` matches also matches `outer`, so a rule on `outer` evaluated first would
 * take all of `inner`'s requests. Decided token by token: outer's `*` absorbs any run of inner's tokens, its `?` one
 * literal or `?`, its literals only the same literal. Sound (it never claims a cover that is not one); a few
 * equivalent spellings (`?*` against `*?`) are not recognised, so such a rule is not refused.
 */
export function pathPatternCovers(outer: string, inner: string): boolean {
  const seen = new Map<number, boolean>();
  const covers = (i: number, j: number): boolean => {
    const key = i * (inner.length + 1) + j;
    const known = seen.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === outer.length) result = j === inner.length;
    else if (outer[i] === '*') result = covers(i + 1, j) || (j < inner.length && covers(i, j + 1));
    else if (j === inner.length) result = false;
    else if (outer[i] === '?') result = inner[j] !== '*' && covers(i + 1, j + 1);
    else result = outer[i] === inner[j] && covers(i + 1, j + 1);
    seen.set(key, result);
    return result;
  };
  return covers(0, 0);
}

/** The first of `paths` whose every request a rule with these path patterns takes, if any. */
function coveredPath(rulePaths: readonly string[], paths: readonly string[]): string | undefined {
  return paths.find((path) => rulePaths.some((pattern) => pathPatternCovers(pattern, path)));
}

export interface Shadowing {
  readonly ruleArn: string;
  readonly priority: number;
  readonly paths: readonly string[];
  /** The service's path pattern whose requests the rule takes. */
  readonly path: string;
}

/**
 * The first rule (by priority) that an ALB evaluates before the service's own rule and that takes every request of
 * one of the service's paths: they would keep reaching whatever that rule serves, and answer 503 after the
 * cut-over. A more specific rule first (/api/posts/admin* before /api/posts*) is ordinary routing, not shadowing;
 * so are rules with other conditions (host, header), which take only some requests. The service's own rule (at its
 * priority) is not counted.
 */
export function shadowingRule(manifest: Pick<Manifest, 'priority' | 'paths'>, rules: readonly ObservedRule[]): Shadowing | undefined {
  const earlier = rules
    .filter((rule): rule is ObservedRule & { priority: number } => rule.priority !== 'default' && rule.priority < manifest.priority && !rule.otherConditions)
    .sort((x, y) => x.priority - y.priority);
  for (const rule of earlier) {
    const path = coveredPath(rule.paths, manifest.paths);
    if (path !== undefined) return { ruleArn: rule.ruleArn, priority: rule.priority, paths: rule.paths, path };
  }
  return undefined;
}
