/** Listener/rule actions and conditions: validation (AWS rules) and the shapes the SDK returns. */
import type { Action, RuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EmulatorContext } from '../context';
import { elbv2Error } from '../errors';
import type { ActionState } from '../types';

// ELB user guide, quotas: 5 target groups per forward action, weights 0-999; fixed-response 2XX/4XX/5XX, body <= 1024.
const MAX_TARGET_GROUPS_PER_ACTION = 5;
const MAX_WEIGHT = 999;
const MAX_CONDITION_VALUES = 5;
const MAX_PATH_PATTERN_LENGTH = 128;

export function parseActions(ctx: EmulatorContext, actions: Action[] | undefined): ActionState[] {
  if (!actions || actions.length === 0) throw elbv2Error('ValidationError', 'At least one action must be specified');
  return actions.map((action) => parseAction(ctx, action));
}

function parseAction(ctx: EmulatorContext, action: Action): ActionState {
  switch (action.Type) {
    case 'forward':
      return { type: 'forward', targetGroups: parseForwardTargets(ctx, action) };
    case 'fixed-response': {
      const config = action.FixedResponseConfig;
      const statusCode = config?.StatusCode ?? '';
      if (!/^[245]\d\d$/.test(statusCode)) throw elbv2Error('ValidationError', `Status code '${statusCode}' must be 2XX, 4XX or 5XX`);
      if ((config?.MessageBody ?? '').length > 1024) throw elbv2Error('ValidationError', 'Fixed response message body must be at most 1024 characters');
      return { type: 'fixed-response', statusCode, contentType: config?.ContentType, messageBody: config?.MessageBody };
    }
    case 'redirect':
      return { type: 'redirect', config: { ...action.RedirectConfig } };
    default:
      throw new Error(`emulator does not implement elbv2 action type ${String(action.Type)}`);
  }
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

export function toSdkActions(actions: ActionState[]): Action[] {
  return actions.map((action): Action => {
    if (action.type === 'forward') {
      const forwardConfig = {
        TargetGroups: action.targetGroups.map((group) => ({ TargetGroupArn: group.arn, Weight: group.weight })),
        TargetGroupStickinessConfig: { Enabled: false },
      };
      // AWS echoes the top-level TargetGroupArn only for a single-group forward
      const single = action.targetGroups.length === 1 ? action.targetGroups[0]?.arn : undefined;
      return single !== undefined ? { Type: 'forward', TargetGroupArn: single, ForwardConfig: forwardConfig } : { Type: 'forward', ForwardConfig: forwardConfig };
    }
    if (action.type === 'fixed-response') {
      return { Type: 'fixed-response', FixedResponseConfig: { StatusCode: action.statusCode, ContentType: action.contentType, MessageBody: action.messageBody } };
    }
    return { Type: 'redirect', RedirectConfig: { ...action.config, StatusCode: action.config.StatusCode === 'HTTP_302' ? 'HTTP_302' : 'HTTP_301' } };
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
