/** Listener/rule actions and conditions: validation (AWS rules) and the shapes the SDK returns. */
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EmulatorContext } from '../context';
import { elbv2Error } from '../errors';
import type { ActionState } from '../types';
import { parseCognito, parseOidc, parseRedirect } from './action-configs';

// ELB user guide, quotas: 5 target groups per forward action, weights 0-999; fixed-response 2XX/4XX/5XX, body <= 1024.
const MAX_TARGET_GROUPS_PER_ACTION = 5;
const MAX_WEIGHT = 999;
const MAX_CONDITION_VALUES = 5;
const MAX_PATH_PATTERN_LENGTH = 128;
// API reference, Action.Order: 1-50000; TargetGroupStickinessConfig.DurationSeconds: 1-604800.
const MAX_ORDER = 50000;
const MAX_GROUP_STICKINESS_SECONDS = 604800;
const TERMINAL = new Set(['forward', 'redirect', 'fixed-response']);
const AUTHENTICATE = new Set(['authenticate-oidc', 'authenticate-cognito']);

/** Where the actions go: the listener's protocol (authentication needs HTTPS) and the actions they replace (an OIDC secret). */
export interface ActionTarget {
  readonly protocol: string;
  readonly existing?: readonly ActionState[];
}

/**
 * The rules of the Action shape (API reference, "Action"): every action has an Order (1-50000, unique; optional only
 * when there is one action, which then gets 1); exactly one routing action (forward, redirect, fixed-response), and it
 * comes last; before it at most one authentication action, and only on an HTTPS listener. Kept sorted by Order.
 */
export function parseActions(ctx: EmulatorContext, actions: Action[] | undefined, target: ActionTarget): ActionState[] {
  if (!actions || actions.length === 0) throw elbv2Error('ValidationError', 'At least one action must be specified');
  const orders = actions.map((action) => action.Order ?? (actions.length === 1 ? 1 : undefined));
  for (const order of orders) {
    if (order === undefined) throw elbv2Error('ValidationError', 'An order must be specified for every action of a rule with more than one action');
    if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) throw elbv2Error('ValidationError', `Action order '${order}' must be between 1 and ${MAX_ORDER}`);
  }
  if (new Set(orders).size !== orders.length) throw elbv2Error('ValidationError', 'Each action must have a unique order');
  const parsed = actions.map((action, index) => parseAction(ctx, action, orders[index] as number, target)).sort((a, b) => a.order - b.order);
  const terminal = parsed.filter((action) => TERMINAL.has(action.type));
  if (terminal.length !== 1 || parsed[parsed.length - 1] !== terminal[0]) {
    throw elbv2Error('InvalidLoadBalancerActionException', 'A rule must have exactly one forward, redirect or fixed-response action, and it must be the last action');
  }
  const authenticate = parsed.filter((action) => AUTHENTICATE.has(action.type));
  if (authenticate.length > 1) throw elbv2Error('InvalidLoadBalancerActionException', 'A rule can have at most one authenticate action');
  if (authenticate.length > 0 && target.protocol !== 'HTTPS') {
    throw elbv2Error('InvalidLoadBalancerActionException', `Authenticate actions are supported only on HTTPS listeners, not ${target.protocol}`);
  }
  return parsed;
}

function parseAction(ctx: EmulatorContext, action: Action, order: number, target: ActionTarget): ActionState {
  switch (action.Type) {
    case 'forward':
      return parseForward(ctx, action, order);
    case 'fixed-response': {
      const config = action.FixedResponseConfig;
      const statusCode = config?.StatusCode ?? '';
      if (!/^[245]\d\d$/.test(statusCode)) throw elbv2Error('ValidationError', `Status code '${statusCode}' must be 2XX, 4XX or 5XX`);
      if ((config?.MessageBody ?? '').length > 1024) throw elbv2Error('ValidationError', 'Fixed response message body must be at most 1024 characters');
      return { type: 'fixed-response', order, statusCode, contentType: config?.ContentType, messageBody: config?.MessageBody };
    }
    case 'redirect':
      return parseRedirect(action.RedirectConfig, order);
    case 'authenticate-oidc':
      return parseOidc(action.AuthenticateOidcConfig, order, target.existing ?? []);
    case 'authenticate-cognito':
      return parseCognito(action.AuthenticateCognitoConfig, order);
    default:
      throw new Error(`emulator does not implement elbv2 action type ${String(action.Type)}`);
  }
}

function parseForward(ctx: EmulatorContext, action: Action, order: number): ActionState {
  const targetGroups = parseForwardTargets(ctx, action);
  const config = action.ForwardConfig?.TargetGroupStickinessConfig;
  const stickiness = { enabled: config?.Enabled === true, ...(config?.DurationSeconds !== undefined ? { durationSeconds: config.DurationSeconds } : {}) };
  if (stickiness.enabled) {
    const seconds = stickiness.durationSeconds;
    if (seconds === undefined || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_GROUP_STICKINESS_SECONDS) {
      // The wording AWS answers (seen in terraform-provider-aws reports).
      throw elbv2Error('ValidationError', `Target group stickiness duration must be between 1 and ${MAX_GROUP_STICKINESS_SECONDS} seconds`);
    }
  }
  if (targetGroups.length > 1 && !stickiness.enabled) {
    // ALB user guide, forward actions: with several target groups, any of them with stickiness on needs group stickiness.
    const sticky = targetGroups.find(({ arn }) => ctx.targetGroups.get(arn)?.attributes['stickiness.enabled'] === 'true');
    if (sticky) {
      throw elbv2Error('InvalidConfigurationRequestException', `Target group '${sticky.arn}' has stickiness enabled: a forward to several target groups must enable group stickiness (TargetGroupStickinessConfig)`);
    }
  }
  return { type: 'forward', order, targetGroups, stickiness };
}

function parseForwardTargets(ctx: EmulatorContext, action: Action): Array<{ arn: string; weight: number }> {
  const tuples = action.ForwardConfig?.TargetGroups ?? [];
  if (action.TargetGroupArn !== undefined && tuples.length > 0) {
    if (tuples.length !== 1 || tuples[0]?.TargetGroupArn !== action.TargetGroupArn) {
      throw elbv2Error('ValidationError', 'You can specify both a top-level target group ARN and a target group ARN within the forward action config only if the ARNs are the same');
    }
  }
  const targetGroups = tuples.length > 0
    ? tuples.map((tuple) => ({ arn: tuple.TargetGroupArn ?? '', weight: tuple.Weight ?? 1 }))
    : action.TargetGroupArn !== undefined ? [{ arn: action.TargetGroupArn, weight: 1 }] : [];
  if (targetGroups.length === 0) throw elbv2Error('ValidationError', 'A target group ARN must be specified for a forward action');
  if (targetGroups.length > MAX_TARGET_GROUPS_PER_ACTION) {
    throw elbv2Error('ValidationError', `A forward action can have at most ${MAX_TARGET_GROUPS_PER_ACTION} target groups`);
  }
  const seen = new Set<string>();
  for (const { arn, weight } of targetGroups) {
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
      throw elbv2Error('ValidationError', `Target group weight '${weight}' must be between 0 and ${MAX_WEIGHT}`);
    }
    if (seen.has(arn)) throw elbv2Error('ValidationError', `Target group '${arn}' is specified more than once`);
    seen.add(arn);
    if (!ctx.targetGroups.has(arn)) throw elbv2Error('TargetGroupNotFoundException', `Target groups '${arn}' not found`);
  }
  return targetGroups;
}

/** A forward to several groups that lists `targetGroupArn` without group stickiness: enabling its stickiness is refused. */
export function assertStickinessAllowed(ctx: EmulatorContext, targetGroupArn: string): void {
  const actionLists = [...[...ctx.listeners.values()].map((listener) => listener.defaultActions), ...[...ctx.rules.values()].map((rule) => rule.actions)];
  for (const action of actionLists.flat()) {
    if (action.type !== 'forward' || action.targetGroups.length < 2 || action.stickiness.enabled) continue;
    if (action.targetGroups.some((group) => group.arn === targetGroupArn)) {
      // The wording AWS answers (seen in aws-load-balancer-controller reports).
      throw elbv2Error('InvalidConfigurationRequestException', `This target group appears behind a rule with group stickiness disabled (${targetGroupArn}). You must enable group stickiness before enabling target stickiness`);
    }
  }
}

/** The actions as Describe* (and every write) answers them: every Order, the defaults AWS fills in, never a client secret. */
export function toSdkActions(actions: ActionState[]): Action[] {
  return actions.map((action): Action => {
    const Order = action.order;
    switch (action.type) {
      case 'forward': {
        const { enabled, durationSeconds } = action.stickiness;
        const forwardConfig = {
          TargetGroups: action.targetGroups.map((group) => ({ TargetGroupArn: group.arn, Weight: group.weight })),
          TargetGroupStickinessConfig: { Enabled: enabled, ...(durationSeconds !== undefined ? { DurationSeconds: durationSeconds } : {}) },
        };
        // AWS echoes the top-level TargetGroupArn only for a single-group forward
        const single = action.targetGroups.length === 1 ? action.targetGroups[0]?.arn : undefined;
        return single !== undefined ? { Type: 'forward', TargetGroupArn: single, Order, ForwardConfig: forwardConfig } : { Type: 'forward', Order, ForwardConfig: forwardConfig };
      }
      case 'fixed-response':
        return {
          Type: 'fixed-response',
          Order,
          FixedResponseConfig: {
            StatusCode: action.statusCode,
            ...(action.contentType !== undefined ? { ContentType: action.contentType } : {}),
            ...(action.messageBody !== undefined ? { MessageBody: action.messageBody } : {}),
          },
        };
      case 'redirect':
        return { Type: 'redirect', Order, RedirectConfig: { ...action.config } as Action['RedirectConfig'] };
      case 'authenticate-oidc':
        return { Type: 'authenticate-oidc', AuthenticateOidcConfig: structuredClone(action.config) as unknown as Action['AuthenticateOidcConfig'], Order };
      case 'authenticate-cognito':
        return { Type: 'authenticate-cognito', AuthenticateCognitoConfig: structuredClone(action.config) as unknown as Action['AuthenticateCognitoConfig'], Order };
    }
  });
}

export function parseConditions(conditions: RuleCondition[] | undefined): Array<{ field: string; values: string[] }> {
  if (!conditions || conditions.length === 0) throw elbv2Error('ValidationError', 'A rule must have at least one condition');
  const parsed = conditions.map((condition) => {
    const field = condition.Field ?? '';
    const values = condition.Values ?? condition.PathPatternConfig?.Values ?? condition.HostHeaderConfig?.Values ?? [];
    if (values.length === 0) throw elbv2Error('ValidationError', `A condition for field '${field}' must have at least one value`);
    if (field === 'path-pattern') {
      const tooLong = values.find((value) => value.length > MAX_PATH_PATTERN_LENGTH);
      if (tooLong !== undefined) throw elbv2Error('ValidationError', `Path pattern '${tooLong}' is longer than ${MAX_PATH_PATTERN_LENGTH} characters`);
    }
    return { field, values: [...values] };
  });
  const valueCount = parsed.reduce((sum, condition) => sum + condition.values.length, 0);
  if (valueCount > MAX_CONDITION_VALUES) throw elbv2Error('ValidationError', `A rule can only have '${MAX_CONDITION_VALUES}' condition values`);
  return parsed;
}

export function toSdkConditions(conditions: Array<{ field: string; values: string[] }>): RuleCondition[] {
  return conditions.map(({ field, values }): RuleCondition => {
    if (field === 'path-pattern') return { Field: field, Values: [...values], PathPatternConfig: { Values: [...values] } };
    if (field === 'host-header') return { Field: field, Values: [...values], HostHeaderConfig: { Values: [...values] } };
    return { Field: field, Values: [...values] };
  });
}

/** Target group ARN -> ARNs of the load balancers whose listener actions (default or rule) reference it. */
export function loadBalancersByTargetGroup(ctx: EmulatorContext): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  const note = (actions: ActionState[], loadBalancerArn: string): void => {
    for (const action of actions) {
      if (action.type !== 'forward') continue;
      for (const group of action.targetGroups) {
        const set = result.get(group.arn) ?? new Set<string>();
        set.add(loadBalancerArn);
        result.set(group.arn, set);
      }
    }
  };
  for (const listener of ctx.listeners.values()) note(listener.defaultActions, listener.loadBalancerArn);
  for (const rule of ctx.rules.values()) {
    const listener = ctx.listeners.get(rule.listenerArn);
    if (listener) note(rule.actions, listener.loadBalancerArn);
  }
  return result;
}
