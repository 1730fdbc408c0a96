/** ELBv2 listener rules: create, describe (with the listener's default rule), modify, delete, set priorities. */
import type {
  CreateRuleCommandInput, DescribeRulesCommandInput, ModifyRuleCommandInput, Rule, SetRulePrioritiesCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { nextHex, type EmulatorContext, type ListenerRecord, type RuleRecord } from '../context';
import { elbv2Error } from '../errors';
import { parseActions, parseConditions, toSdkActions, toSdkConditions } from './actions';
import { requireListener } from './listeners';

// ELB user guide, quotas: priorities 1-50000 unique per listener; 100 rules per load balancer (default rules not counted).
const MAX_PRIORITY = 50000;
const MAX_RULES_PER_LOAD_BALANCER = 100;

function toSdkRule(rule: RuleRecord): Rule {
  return { RuleArn: rule.arn, Priority: String(rule.priority), Conditions: toSdkConditions(rule.conditions), Actions: toSdkActions(rule.actions), IsDefault: false };
}

function toSdkDefaultRule(listener: ListenerRecord): Rule {
  return { RuleArn: listener.defaultRuleArn, Priority: 'default', Conditions: [], Actions: toSdkActions(listener.defaultActions), IsDefault: true };
}

function rulesOf(ctx: EmulatorContext, listenerArn: string): RuleRecord[] {
  return [...ctx.rules.values()].filter((rule) => rule.listenerArn === listenerArn).sort((a, b) => a.priority - b.priority);
}

export function listenerRulesInOrder(ctx: EmulatorContext, listenerArn: string): RuleRecord[] {
  return rulesOf(ctx, listenerArn);
}

function validatePriority(priority: number | undefined): number {
  if (priority === undefined || !Number.isInteger(priority) || priority < 1 || priority > MAX_PRIORITY) {
    throw elbv2Error('ValidationError', `Priority '${String(priority)}' must be between 1 and ${MAX_PRIORITY}`);
  }
  return priority;
}

function defaultRuleListener(ctx: EmulatorContext, ruleArn: string): ListenerRecord | undefined {
  return [...ctx.listeners.values()].find((listener) => listener.defaultRuleArn === ruleArn);
}

export function createRule(ctx: EmulatorContext, input: CreateRuleCommandInput): { Rules: Rule[] } {
  const listener = requireListener(ctx, input.ListenerArn);
  const priority = validatePriority(input.Priority);
  const conditions = parseConditions(input.Conditions);
  const actions = parseActions(ctx, input.Actions, { protocol: listener.protocol });
  const holder = rulesOf(ctx, listener.arn).find((rule) => rule.priority === priority);
  if (holder) throw elbv2Error('PriorityInUseException', `Priority '${priority}' is currently in use`);
  const listenersOfLoadBalancer = new Set([...ctx.listeners.values()].filter((other) => other.loadBalancerArn === listener.loadBalancerArn).map((other) => other.arn));
  const ruleCount = [...ctx.rules.values()].filter((rule) => listenersOfLoadBalancer.has(rule.listenerArn)).length;
  if (ruleCount >= MAX_RULES_PER_LOAD_BALANCER) throw elbv2Error('TooManyRulesException', `You've reached the limit on the number of rules per load balancer`);
  const listenerPath = listener.arn.split(':listener/')[1] ?? '';
  const rule: RuleRecord = {
    arn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener-rule/${listenerPath}/${nextHex(ctx, 16)}`,
    listenerArn: listener.arn, priority, conditions, actions,
  };
  ctx.rules.set(rule.arn, rule);
  return { Rules: [toSdkRule(rule)] };
}

export function describeRules(ctx: EmulatorContext, input: DescribeRulesCommandInput): { Rules: Rule[] } {
  if (input.RuleArns) {
    return {
      Rules: input.RuleArns.map((arn) => {
        const rule = ctx.rules.get(arn);
        if (rule) return toSdkRule(rule);
        const listener = defaultRuleListener(ctx, arn);
        if (listener) return toSdkDefaultRule(listener);
        throw elbv2Error('RuleNotFoundException', `One or more rules not found`);
      }),
    };
  }
  if (input.ListenerArn === undefined) throw elbv2Error('ValidationError', 'You must specify either listener ARN or rule ARNs');
  const listener = requireListener(ctx, input.ListenerArn);
  return { Rules: [...rulesOf(ctx, listener.arn).map(toSdkRule), toSdkDefaultRule(listener)] };
}

export function modifyRule(ctx: EmulatorContext, input: ModifyRuleCommandInput): { Rules: Rule[] } {
  const arn = input.RuleArn ?? '';
  const listener = defaultRuleListener(ctx, arn);
  if (listener) {
    if (input.Conditions) throw elbv2Error('OperationNotPermittedException', `The conditions of default rule '${arn}' cannot be modified`);
    if (input.Actions) listener.defaultActions = parseActions(ctx, input.Actions, { protocol: listener.protocol, existing: listener.defaultActions });
    return { Rules: [toSdkDefaultRule(listener)] };
  }
  const rule = ctx.rules.get(arn);
  if (!rule) throw elbv2Error('RuleNotFoundException', `One or more rules not found`);
  const conditions = input.Conditions ? parseConditions(input.Conditions) : rule.conditions;
  const protocol = ctx.listeners.get(rule.listenerArn)?.protocol ?? 'HTTP';
  const actions = input.Actions ? parseActions(ctx, input.Actions, { protocol, existing: rule.actions }) : rule.actions;
  rule.conditions = conditions;
  rule.actions = actions;
  return { Rules: [toSdkRule(rule)] };
}

export function deleteRule(ctx: EmulatorContext, arn: string | undefined): void {
  if (arn !== undefined && defaultRuleListener(ctx, arn)) throw elbv2Error('OperationNotPermittedException', `Default rule '${arn}' cannot be deleted`);
  if (arn === undefined || !ctx.rules.delete(arn)) throw elbv2Error('RuleNotFoundException', `One or more rules not found`);
}

export function setRulePriorities(ctx: EmulatorContext, input: SetRulePrioritiesCommandInput): { Rules: Rule[] } {
  const changes = (input.RulePriorities ?? []).map(({ RuleArn, Priority }) => {
    if (RuleArn !== undefined && defaultRuleListener(ctx, RuleArn)) throw elbv2Error('OperationNotPermittedException', `The priority of default rule '${RuleArn}' cannot be changed`);
    const rule = RuleArn === undefined ? undefined : ctx.rules.get(RuleArn);
    if (!rule) throw elbv2Error('RuleNotFoundException', `One or more rules not found`);
    return { rule, priority: validatePriority(Priority) };
  });
  const moving = new Set(changes.map(({ rule }) => rule.arn));
  const taken = new Set<string>();
  for (const { rule, priority } of changes) {
    const key = `${rule.listenerArn}#${priority}`;
    const heldByOther = rulesOf(ctx, rule.listenerArn).some((other) => other.priority === priority && !moving.has(other.arn));
    if (heldByOther || taken.has(key)) throw elbv2Error('PriorityInUseException', `Priority '${priority}' is currently in use`);
    taken.add(key);
  }
  for (const { rule, priority } of changes) rule.priority = priority;
  return { Rules: changes.map(({ rule }) => toSdkRule(rule)) };
}
