/**
 * How ECS moves traffic for blue/green, canary and linear deployments: it rewrites the weights of the forward action
 * of the production listener rule (and of the test listener rule) in the emulator's ELB state, so the traffic model
 * (traffic-flow.ts, route.ts) routes the simulated requests by those weights.
 *
 * Developer guide, "Application Load Balancer resources for blue/green, linear, and canary deployments": "During a
 * blue/green deployment, Amazon ECS automatically updates the listener rules to route traffic to the appropriate
 * target group based on the deployment stage"; Limitations: "Blue/green deployments are not supported when using
 * Application Load Balancer listeners that have multiple action types configured with non-forward actions. If your
 * Application Load Balancer listener rules contain a mix of forward and non-forward actions (such as redirect,
 * fixed-response, or authentication actions), the deployment fails." Developer guide, "Migrating from a CodeDeploy
 * blue/green to an Amazon ECS blue/green service deployment": without a test listener both target groups must be
 * associated with the production listener rule; with one, one group with the production rule and the other with the
 * test rule; otherwise "the service deployment will fail with the following error: Service deployment rolled back
 * because of invalid networking configuration. Both targetGroup and alternateTargetGroup must be associated with the
 * productionListenerRule or testListenerRule."
 */
import type { EmulatorContext, ServiceRecord } from '../context';
import type { ActionState } from '../types';
import type { TrafficLane } from './service-deployment-types';

type ForwardAction = Extract<ActionState, { type: 'forward' }>;

/** A listener rule by ARN: a rule of ctx.rules, or a listener's default rule (its default actions). */
export interface RuleHandle {
  readonly arn: string;
  actions(): ActionState[];
  replace(actions: ActionState[]): void;
}

export function findRule(ctx: EmulatorContext, arn: string | undefined): RuleHandle | undefined {
  if (arn === undefined) return undefined;
  const rule = ctx.rules.get(arn);
  if (rule) return { arn, actions: () => rule.actions, replace: (actions) => { rule.actions = actions; } };
  const listener = [...ctx.listeners.values()].find((candidate) => candidate.defaultRuleArn === arn);
  if (listener) return { arn, actions: () => listener.defaultActions, replace: (actions) => { listener.defaultActions = actions; } };
  return undefined;
}

function forwardOf(rule: RuleHandle | undefined): ForwardAction | undefined {
  return rule?.actions().find((action): action is ForwardAction => action.type === 'forward');
}

const weightIn = (rule: RuleHandle | undefined, groupArn: string): number | undefined =>
  forwardOf(rule)?.targetGroups.find((group) => group.arn === groupArn)?.weight;

/**
 * ALB weights for `greenPercent` % of the traffic: percentages as weights (AWS leaves 100 / 0 after a deployment,
 * seen on live services), tenths of a percent when the percentage has a decimal (weights go up to 999).
 */
export function weightsFor(greenPercent: number): { blue: number; green: number } {
  if (Number.isInteger(greenPercent)) return { blue: 100 - greenPercent, green: greenPercent };
  return { blue: Math.round((100 - greenPercent) * 10), green: Math.round(greenPercent * 10) };
}

/** Sets the blue and green weights of the rule's forward action (adding a group it lacks); other groups stay as they are. */
export function setGroupWeights(ctx: EmulatorContext, ruleArn: string | undefined, lane: TrafficLane, greenPercent: number): void {
  const rule = findRule(ctx, ruleArn);
  const forward = forwardOf(rule);
  if (!rule || !forward) return;
  const weights = weightsFor(greenPercent);
  const targetGroups = forward.targetGroups.map((group) => ({ ...group }));
  for (const [arn, weight] of [[lane.blueGroupArn, weights.blue], [lane.greenGroupArn, weights.green]] as const) {
    const entry = targetGroups.find((group) => group.arn === arn);
    if (entry) entry.weight = weight;
    else targetGroups.push({ arn, weight });
  }
  rule.replace(rule.actions().map((action) => (action === forward ? { ...forward, targetGroups } : action)));
}

export function restoreActions(ctx: EmulatorContext, ruleArn: string | undefined, actions: ActionState[] | undefined): void {
  const rule = findRule(ctx, ruleArn);
  if (rule && actions) rule.replace(structuredClone(actions));
}

export function actionsOf(ctx: EmulatorContext, ruleArn: string | undefined): ActionState[] | undefined {
  const rule = findRule(ctx, ruleArn);
  return rule ? structuredClone(rule.actions()) : undefined;
}

/**
 * Which of the two groups serves production now: the one the production rule gives more weight; on a tie (or
 * neither weighted) the one the service's last deployment left serving, else the service's own target group.
 */
export function laneFor(ctx: EmulatorContext, service: ServiceRecord, index: number): TrafficLane | undefined {
  const loadBalancer = service.loadBalancers[index];
  const advanced = loadBalancer?.advancedConfiguration;
  if (!loadBalancer?.targetGroupArn || !advanced?.alternateTargetGroupArn || !advanced.productionListenerRule) return undefined;
  const primary = loadBalancer.targetGroupArn;
  const alternate = advanced.alternateTargetGroupArn;
  const production = findRule(ctx, advanced.productionListenerRule);
  const primaryWeight = weightIn(production, primary) ?? 0;
  const alternateWeight = weightIn(production, alternate) ?? 0;
  const remembered = service.liveTargetGroups?.[index];
  const blue = primaryWeight > alternateWeight ? primary
    : alternateWeight > primaryWeight ? alternate
      : remembered === alternate ? alternate : primary;
  return {
    index, productionRuleArn: advanced.productionListenerRule, ...(advanced.testListenerRule ? { testRuleArn: advanced.testListenerRule } : {}),
    blueGroupArn: blue, greenGroupArn: blue === primary ? alternate : primary,
  };
}

export const INVALID_NETWORKING =
  'Service deployment rolled back because of invalid networking configuration. Both targetGroup and alternateTargetGroup must be associated with the productionListenerRule or testListenerRule.';
// The emulator's wording: the guide documents that such a deployment fails, not the reason ECS gives.
export const MIXED_ACTIONS =
  'Service deployment rolled back because of invalid networking configuration. Blue/green deployments are not supported for listener rules that mix forward and non-forward actions.';

/** Why ECS cannot shift traffic on this lane (the deployment fails), or undefined when it can. */
export function networkingProblem(ctx: EmulatorContext, lane: TrafficLane): string | undefined {
  const production = findRule(ctx, lane.productionRuleArn);
  const test = findRule(ctx, lane.testRuleArn);
  if (!production || (lane.testRuleArn !== undefined && !test)) return INVALID_NETWORKING;
  for (const rule of [production, test]) {
    const actions = rule?.actions() ?? [];
    if (actions.some((action) => action.type !== 'forward') && actions.some((action) => action.type === 'forward')) return MIXED_ACTIONS;
  }
  const associated = (groupArn: string): boolean => weightIn(production, groupArn) !== undefined || weightIn(test, groupArn) !== undefined;
  return associated(lane.blueGroupArn) && associated(lane.greenGroupArn) ? undefined : INVALID_NETWORKING;
}
