import type { Manifest } from './manifest';
import type { ObservedRule } from './routing';

/**
 * Whether some request path matches both ALB path patterns (`*` any run of characters, `?` exactly one, everything
 * else literal and case-sensitive). A search over positions in both patterns: at each step either pattern's `*` may
 * match nothing, or both consume one character they can agree on.
 */
export function pathPatternsOverlap(a: string, b: string): boolean {
  const seen = new Set<number>();
  const visit = (i: number, j: number): boolean => {
    const key = i * (b.length + 1) + j;
    if (seen.has(key)) return false;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    if (a[i] === '*' && visit(i + 1, j)) return true;
    if (b[j] === '*' && visit(i, j + 1)) return true;
    if (i === a.length || j === b.length) return false;
    const [x, y] = [a[i] as string, b[j] as string];
    const agree = x === '*' || y === '*' || x === '?' || y === '?' || x === y;
    if (!agree) return false;
    // A '*' that consumes a character stays where it is; two '*' consuming together is covered by the moves above.
    if (x === '*' && y === '*') return false;
    return visit(x === '*' ? i : i + 1, y === '*' ? j : j + 1);
  };
  return visit(0, 0);
}

/** One of `paths` that a rule with these path patterns (none: every path) would take first, if any. */
function overlappingPath(rulePaths: readonly string[], paths: readonly string[]): string | undefined {
  if (rulePaths.length === 0) return paths[0];
  return paths.find((path) => rulePaths.some((pattern) => pathPatternsOverlap(pattern, path)));
}

export interface Shadowing {
  readonly ruleArn: string;
  readonly priority: number;
  readonly paths: readonly string[];
  /** The service's path pattern the rule takes requests from. */
  readonly path: string;
}

/**
 * The first rule (by priority) that an ALB evaluates before the service's own rule and that takes some of the
 * service's requests: its paths would keep reaching whatever that rule serves, and answer 503 after the cut-over.
 * The service's own rule (at its priority) is not counted. Rules with other conditions (host, header) count: they
 * take the service's requests for that host or header.
 */
export function shadowingRule(manifest: Pick<Manifest, 'priority' | 'paths'>, rules: readonly ObservedRule[]): Shadowing | undefined {
  const earlier = rules
    .filter((rule): rule is ObservedRule & { priority: number } => rule.priority !== 'default' && rule.priority < manifest.priority)
    .sort((x, y) => x.priority - y.priority);
  for (const rule of earlier) {
    const path = overlappingPath(rule.paths, manifest.paths);
    if (path !== undefined) return { ruleArn: rule.ruleArn, priority: rule.priority, paths: rule.paths, path };
  }
  return undefined;
}
