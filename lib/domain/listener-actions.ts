import type { RuleAction } from './release';

/**
 * Listener and rule actions, carried whole. An action list is what the ALB performs in Order: optionally one
 * authentication action (authenticate-oidc, authenticate-cognito, jwt-validation), then exactly one routing action
 * (forward, redirect, fixed-response), last (ELB API reference, "Action"). The pipeline changes only the routing
 * action (a forward's target groups and weights, or the whole routing action at the cut-over) and keeps every
 * other action, every Order and every other field as AWS answered them.
 */
export interface WeightedTarget {
  readonly targetGroupArn: string;
  readonly weight: number;
}

/** A target group whose own (target-level) stickiness is on, with its cookie's duration (Record prior state). */
export interface StickyGroup {
  readonly targetGroupArn: string;
  readonly durationSeconds: number;
}

/** Target stickiness as DescribeTargetGroupAttributes answers it: on, and how long its cookie (lb_cookie or app_cookie) lasts. */
export function stickyGroupOf(targetGroupArn: string, attributes: Readonly<Record<string, string>>): StickyGroup | undefined {
  if (attributes['stickiness.enabled'] !== 'true') return undefined;
  const type = attributes['stickiness.type'] ?? 'lb_cookie';
  // ALB's default cookie duration is one day (target group attributes, stickiness.lb_cookie.duration_seconds).
  const seconds = Number(attributes[`stickiness.${type}.duration_seconds`] ?? 86400);
  return { targetGroupArn, durationSeconds: Number.isInteger(seconds) && seconds > 0 ? seconds : 86400 };
}

type StickinessConfig = NonNullable<NonNullable<RuleAction['ForwardConfig']>['TargetGroupStickinessConfig']>;

const ROUTING = new Set(['forward', 'redirect', 'fixed-response']);
// API reference, TargetGroupStickinessConfig.DurationSeconds: 1-604800 seconds.
const MAX_GROUP_STICKINESS_SECONDS = 604800;

export const isRouting = (action: RuleAction): boolean => ROUTING.has(action.Type);

/** The actions in the order the ALB performs them: by Order; an action without one stands where it is listed. */
export function inOrder(actions: readonly RuleAction[]): RuleAction[] {
  return actions.map((action, index) => ({ action, order: action.Order ?? index + 1 })).sort((a, b) => a.order - b.order).map(({ action }) => action);
}

/** The routing action: the last forward, redirect or fixed-response (AWS allows exactly one, last). */
export function routingAction(actions: readonly RuleAction[]): RuleAction | undefined {
  return inOrder(actions).filter(isRouting).pop();
}

/** Target groups the routing action forwards to, with their weights (a plain TargetGroupArn counts as weight 1). */
export function forwardTargets(actions: readonly RuleAction[]): WeightedTarget[] {
  const forward = routingAction(actions);
  if (forward?.Type !== 'forward') return [];
  const groups = forward.ForwardConfig?.TargetGroups;
  if (groups && groups.length > 0) {
    return groups.filter((group) => group.TargetGroupArn).map((group) => ({ targetGroupArn: group.TargetGroupArn as string, weight: group.Weight ?? 1 }));
  }
  return forward.TargetGroupArn ? [{ targetGroupArn: forward.TargetGroupArn, weight: 1 }] : [];
}

/** A new action list that only forwards (a rule of the pipeline's own, or the cut-over's drop group). */
export function forwardTo(targets: readonly WeightedTarget[]): RuleAction[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: targets.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })) } }];
}

/**
 * Group stickiness for a forward to `targets`: a config the forward already carries is kept as it is; a forward to
 * several groups of which one has target stickiness on must enable group stickiness (ALB user guide, forward actions;
 * AWS refuses the write otherwise), for as long as the longest of those groups' own stickiness lasts.
 */
export function groupStickiness(targets: readonly WeightedTarget[], current: StickinessConfig | undefined, sticky: readonly StickyGroup[]): StickinessConfig | undefined {
  if (current?.Enabled === true || targets.length < 2) return current;
  const durations = sticky.filter((group) => targets.some((t) => t.targetGroupArn === group.targetGroupArn)).map((group) => group.durationSeconds);
  if (durations.length === 0) return current;
  return { Enabled: true, DurationSeconds: Math.min(Math.max(1, ...durations), MAX_GROUP_STICKINESS_SECONDS) };
}

/**
 * The same actions with the routing action replaced by `routing`, which takes the Order of the one it replaces:
 * authentication actions stay where they are.
 */
export function withRoutingAction(actions: readonly RuleAction[], routing: RuleAction): RuleAction[] {
  const current = routingAction(actions);
  const { Order: _ignored, ...fields } = structuredClone(routing);
  const replacement: RuleAction = current?.Order !== undefined ? { ...fields, Order: current.Order } : fields;
  if (!current) return [...actions.map((action) => structuredClone(action)), replacement];
  return actions.map((action) => (action === current ? replacement : structuredClone(action)));
}

/**
 * The same actions with the routing action forwarding to `targets`: the forward keeps its Order and its other fields
 * (group stickiness included, enabled where AWS requires it); a redirect or fixed-response routing action becomes a
 * forward at its Order. Every other action is kept as it is.
 */
export function withForwardTargets(actions: readonly RuleAction[], targets: readonly WeightedTarget[], sticky: readonly StickyGroup[] = []): RuleAction[] {
  const current = routingAction(actions);
  const base: RuleAction = current?.Type === 'forward' ? structuredClone(current) : { Type: 'forward' };
  // A single-group forward also answers TargetGroupArn; AWS accepts both only when they agree, so send ForwardConfig alone.
  const { TargetGroupArn: _single, ForwardConfig, ...fields } = base;
  const stickiness = groupStickiness(targets, ForwardConfig?.TargetGroupStickinessConfig, sticky);
  const forward: RuleAction = {
    ...fields,
    ForwardConfig: {
      ...ForwardConfig,
      TargetGroups: targets.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })),
      ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}),
    },
  };
  return withRoutingAction(actions, forward);
}

/** Authentication actions whose write needs a client secret the pipeline cannot have (AWS never answers it). */
export function oidcActionsWithoutSecret(actions: readonly RuleAction[]): RuleAction[] {
  return actions.filter((action) => action.AuthenticateOidcConfig !== undefined && !action.AuthenticateOidcConfig.ClientSecret);
}

/** JSON with sorted keys and no undefined values: equal actions compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** What an action does, without the forms AWS answers interchangeably (a single group's TargetGroupArn, default weights and orders). */
function canonicalActions(actions: readonly RuleAction[]): unknown[] {
  return inOrder(actions).map((action, index) => {
    const order = action.Order ?? index + 1;
    if (action.Type === 'forward') {
      const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
      return {
        Type: action.Type,
        Order: order,
        targets: forwardTargets([action]).sort((a, b) => a.targetGroupArn.localeCompare(b.targetGroupArn)),
        groupStickiness: stickiness?.Enabled === true ? { Enabled: true, DurationSeconds: stickiness.DurationSeconds } : { Enabled: false },
      };
    }
    if (action.AuthenticateOidcConfig) {
      // The secret a write sends (or UseExistingClientSecret) is never answered back.
      const { ClientSecret: _secret, UseExistingClientSecret: _existing, ...config } = action.AuthenticateOidcConfig;
      return { ...action, AuthenticateOidcConfig: config, Order: order };
    }
    return { ...action, Order: order };
  });
}

/** True when two action lists do the same: every action, every field, in the same order. */
export function sameActions(left: readonly RuleAction[], right: readonly RuleAction[]): boolean {
  return canonicalJson(canonicalActions(left)) === canonicalJson(canonicalActions(right));
}
