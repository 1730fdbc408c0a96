import type { Manifest } from './manifest';
import type { Traffic } from './traffic';
import type { ObservedRule } from './routing';
import { forwardTargets } from './listener-actions';
import { ruleAtPriority } from './listener-rule-plan';

/**
 * How an update of a live service reaches its users: ECS's own deployment (CANARY, LINEAR or BLUE_GREEN: ECS shifts
 * the production rule's weights between the service's two target groups, bakes, and rolls back on its alarms), or,
 * where ECS's blue/green family cannot serve, a rolling update followed by one bake at 100 % judged by the pipeline's
 * gates (lib/runtime/bake-gate.ts).
 *
 * ECS developer guide, "Application Load Balancer resources for blue/green, linear, and canary deployments": the
 * service needs a primary and an alternate target group and a production listener rule whose forward action lists
 * both; "Amazon ECS blue/green deployments" considerations: listener rules that mix a forward with other actions
 * (authenticate-oidc, authenticate-cognito, redirect, fixed-response) are not supported.
 */
export type UpdatePath =
  | { readonly kind: 'ecs'; readonly strategy: EcsStrategy; readonly ruleArn: string; readonly servingTargetGroupArn: string; readonly greenTargetGroupArn: string }
  | { readonly kind: 'rolling'; readonly reason: string }
  /** The rule splits the traffic between the service's two groups: a deployment has not finished. */
  | { readonly kind: 'busy'; readonly reason: string };

export type EcsStrategy = 'CANARY' | 'LINEAR' | 'BLUE_GREEN';

/** ECS's deployment strategies that shift a production rule between two target groups. */
export const isBlueGreenFamily = (strategy: string | undefined): boolean => strategy === 'BLUE_GREEN' || strategy === 'CANARY' || strategy === 'LINEAR';

export const ECS_STRATEGY: Record<Traffic['strategy'], EcsStrategy> = { canary: 'CANARY', linear: 'LINEAR', 'all-at-once': 'BLUE_GREEN' };

export interface UpdatePathInput {
  readonly manifest: Manifest;
  readonly rules: readonly ObservedRule[];
  readonly targetGroupArn: string;
  readonly alternateTargetGroupArn: string | undefined;
  /** The deploy parameter ecsInfrastructureRoleArn; absent: ECS cannot move the rule's weights. */
  readonly infrastructureRoleArn: string | undefined;
}

/** Which path an update of a service that exists takes, and why; see UpdatePath. */
export function updatePath(input: UpdatePathInput): UpdatePath {
  const { manifest, rules, targetGroupArn, alternateTargetGroupArn } = input;
  const rolling = (reason: string): UpdatePath => ({ kind: 'rolling', reason });
  if (!input.infrastructureRoleArn) return rolling('no ECS infrastructure role is configured (deploy parameter ecsInfrastructureRoleArn)');
  if (!alternateTargetGroupArn) return rolling('the service has no alternate target group');
  const rule = ruleAtPriority(rules, manifest.priority);
  if (!rule) return rolling(`no listener rule at priority ${manifest.priority}`);
  const others = rule.actions.filter((action) => action.Type !== 'forward').map((action) => action.Type);
  if (others.length > 0) {
    return rolling(`its rule at priority ${manifest.priority} has ${[...new Set(others)].join(', ')} beside its forward, which ECS's blue/green, canary and linear deployments do not support`);
  }
  const forwards = rule.actions.filter((action) => action.Type === 'forward');
  const targets = forwardTargets(rule.actions);
  const ours = new Set([targetGroupArn, alternateTargetGroupArn]);
  if (forwards.length !== 1 || targets.length !== 2 || !targets.every((target) => ours.has(target.targetGroupArn))) {
    return rolling(`its rule at priority ${manifest.priority} does not forward to exactly its two target groups (the paths are not fully its own yet)`);
  }
  const weighted = targets.filter((target) => target.weight > 0);
  if (weighted.length !== 1) {
    const split = targets.map((target) => `${target.weight}`).join(' / ');
    return { kind: 'busy', reason: `its rule at priority ${manifest.priority} splits ${manifest.paths.join(',')} between its two target groups (weights ${split}): an ECS deployment of ${manifest.name} has not finished, or the rule was changed by hand` };
  }
  const serving = weighted[0]!.targetGroupArn;
  const green = serving === targetGroupArn ? alternateTargetGroupArn : targetGroupArn;
  return { kind: 'ecs', strategy: ECS_STRATEGY[manifest.traffic.strategy], ruleArn: rule.ruleArn, servingTargetGroupArn: serving, greenTargetGroupArn: green };
}

/** DeploymentConfiguration fields for the manifest's traffic block (ECS API reference, DeploymentConfiguration). */
export interface EcsDeploymentSettings {
  readonly strategy: EcsStrategy;
  readonly bakeTimeInMinutes: number;
  readonly canaryConfiguration?: { readonly canaryPercent: number; readonly canaryBakeTimeInMinutes: number };
  readonly linearConfiguration?: { readonly stepPercent: number; readonly stepBakeTimeInMinutes: number };
  readonly alarms: { readonly alarmNames: readonly string[]; readonly enable: boolean; readonly rollback: boolean };
}

/**
 * canary → CANARY (canaryPercent, canary bake = bakeMinutes), linear → LINEAR (stepPercent, step bake = bakeMinutes),
 * all-at-once → BLUE_GREEN. The deployment bake time (ECS waits it after all production traffic has shifted, before it
 * stops the old revision) is bakeMinutes too, but at least MIN_DEPLOYMENT_BAKE_MINUTES, so the pipeline's own last look (one CloudWatch
 * period after the last shift, lib/runtime/ecs-deployment-watch.ts) comes while the old revision can still take the
 * traffic back. The manifest's alarms roll the deployment back (alarms.rollback); none: alarms off.
 */
export function ecsDeploymentSettings(traffic: Traffic): EcsDeploymentSettings {
  const strategy = ECS_STRATEGY[traffic.strategy];
  const alarms = { alarmNames: [...traffic.alarms], enable: traffic.alarms.length > 0, rollback: traffic.alarms.length > 0 };
  const bakeTimeInMinutes = Math.max(MIN_DEPLOYMENT_BAKE_MINUTES, traffic.bakeMinutes);
  if (strategy === 'CANARY') return { strategy, bakeTimeInMinutes, canaryConfiguration: { canaryPercent: traffic.canaryPercent, canaryBakeTimeInMinutes: traffic.bakeMinutes }, alarms };
  if (strategy === 'LINEAR') return { strategy, bakeTimeInMinutes, linearConfiguration: { stepPercent: traffic.stepPercent, stepBakeTimeInMinutes: traffic.bakeMinutes }, alarms };
  return { strategy, bakeTimeInMinutes, alarms };
}

/**
 * The pipeline's last look needs one CloudWatch period after the last shift, which it sees up to one look (60 s)
 * late, plus the Wait and Lambda time around it.
 */
export const MIN_DEPLOYMENT_BAKE_MINUTES = 3;

/** An upper bound on how long ECS's deployment takes: every bake, plus the health gate's own time and the old tasks' drain. */
export function ecsDeploymentLimitSeconds(manifest: Manifest): number {
  const settings = ecsDeploymentSettings(manifest.traffic);
  const stepBakes = settings.canaryConfiguration ? 1 : settings.linearConfiguration ? Math.ceil(100 / settings.linearConfiguration.stepPercent) - 1 : 0;
  return manifest.healthGateTimeoutSeconds + (stepBakes * manifest.traffic.bakeMinutes + settings.bakeTimeInMinutes) * 60 + manifest.deregistrationDelaySeconds + 300;
}

/** One line for plan and logs: "ECS CANARY (10 %, bake 5 min, then 100 %; 5 min before the old revision stops)". */
export function describeEcsDeployment(traffic: Traffic): string {
  const settings = ecsDeploymentSettings(traffic);
  const alarms = traffic.alarms.length > 0 ? `; rolls back on ${traffic.alarms.join(', ')}` : '';
  const tail = `${settings.bakeTimeInMinutes} min before the old revision stops${alarms}`;
  if (settings.canaryConfiguration) return `ECS CANARY (${settings.canaryConfiguration.canaryPercent} %, bake ${traffic.bakeMinutes} min, then 100 %; ${tail})`;
  if (settings.linearConfiguration) return `ECS LINEAR (${settings.linearConfiguration.stepPercent} % steps, bake ${traffic.bakeMinutes} min each; ${tail})`;
  return `ECS BLUE_GREEN (all at once; ${tail})`;
}

/** The percent of the rule's weight on the green group (ECS writes the production rule's weights as it shifts). */
export function greenPercent(manifest: Manifest, rules: readonly ObservedRule[], greenTargetGroupArn: string): number {
  const targets = forwardTargets(ruleAtPriority(rules, manifest.priority)?.actions ?? []);
  const total = targets.reduce((sum, target) => sum + target.weight, 0);
  const green = targets.filter((target) => target.targetGroupArn === greenTargetGroupArn).reduce((sum, target) => sum + target.weight, 0);
  return total > 0 ? Math.round((green / total) * 1000) / 10 : 0;
}

/**
 * ServiceDeployment.status (ECS API reference) in the groups the pipeline acts on; the rollback statuses per the
 * developer guide, "Stopping Amazon ECS service deployments".
 */
export const DEPLOYMENT_STATUS = {
  /** Over, and not on the new revision. */
  failed: new Set(['ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED']),
  /** Still going forward: StopServiceDeployment with ROLLBACK rolls it back. */
  stoppable: new Set(['PENDING', 'IN_PROGRESS']),
  /** "The service deployment continues the rollback operation" (or stops) on its own. */
  rollingBack: new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'STOP_REQUESTED']),
} as const;

/** SUCCESSFUL, or over and failed. */
export const deploymentFinished = (status: string): boolean => status === 'SUCCESSFUL' || DEPLOYMENT_STATUS.failed.has(status);
