/** What the ALB does with `GET path`: rules by ascending priority (path-pattern conditions), then the default action. */
import type { EmulatorContext } from './context';
import { listenerRulesInOrder } from './elbv2/rules';
import type { ActionState, RouteResult } from './types';

/** ALB path patterns: case-sensitive, `*` matches any run of characters, `?` exactly one; the whole path must match. */
export function pathPatternMatches(pattern: string, path: string): boolean {
  const source = pattern.split('').map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(path);
}

function conditionMatches(condition: { field: string; values: string[] }, path: string): boolean {
  // only path conditions are modelled; a rule that needs a header or host cannot match a bare GET
  return condition.field === 'path-pattern' && condition.values.some((pattern) => pathPatternMatches(pattern, path));
}

function toRoute(ctx: EmulatorContext, action: ActionState | undefined): RouteResult {
  if (!action) throw new Error('route: the matched rule has no action');
  if (action.type === 'fixed-response') return { kind: 'fixed-response', statusCode: Number(action.statusCode) };
  if (action.type === 'redirect') return { kind: 'redirect' };
  if (action.type !== 'forward') throw new Error(`route: the routing action is ${action.type}, not forward, redirect or fixed-response`);
  return {
    kind: 'forward',
    targetGroups: action.targetGroups.map(({ arn, weight }) => {
      const group = ctx.targetGroups.get(arn);
      return { arn, name: group?.name ?? '', weight, healthyTargets: group?.targets.filter((target) => target.state === 'healthy').length ?? 0 };
    }),
  };
}

export function route(ctx: EmulatorContext, listenerArn: string, path: string): RouteResult {
  const listener = ctx.listeners.get(listenerArn);
  if (!listener) throw new Error(`route ${path}: listener ${listenerArn} does not exist`);
  const pathOnly = path.split('?')[0] ?? path;
  const rule = listenerRulesInOrder(ctx, listenerArn).find((candidate) => candidate.conditions.every((condition) => conditionMatches(condition, pathOnly)));
  const actions = rule ? rule.actions : listener.defaultActions;
  // Actions are kept in Order, the routing one last; an authenticate action before it is taken as passed
  // (the request is an authenticated user's): authentication itself is not modelled.
  return toRoute(ctx, actions[actions.length - 1]);
}
