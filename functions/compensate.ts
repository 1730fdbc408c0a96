import * as v from 'valibot';
import { CompensationError, TransientAwsError, errorMessage } from '../lib/errors';
import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import type { Release, TargetGroupSettings } from '../lib/domain/release';
import { alternateTargetGroupName, type Manifest } from '../lib/domain/manifest';
import { healthCheckFrom, targetGroupSettings, targetGroupSpec } from '../lib/domain/target-group';
import { parseRelease } from '../lib/domain/release-schema';
import { ruleAtPriority } from '../lib/domain/listener-rule-plan';
import { DEPLOYMENT_STATUS, greenPercent, isBlueGreenFamily } from '../lib/domain/ecs-update';
import type { ServiceView } from '../lib/aws/ecs';
import { sameActions } from '../lib/domain/routing';
import { causeMessage } from '../lib/domain/lambda-cause';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { parseInput } from '../lib/domain/parse-input';
import { cutoverLogKeys, logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { monolithOf } from '../lib/domain/catalog';

type CompensateDeps = HandlerDeps<'ecs' | 'elb'>;

const InputSchema = v.object({
  executionName: v.pipe(v.string(), v.minLength(1)),
  state: v.looseObject({
    /** A service rollout's state. */
    release: v.optional(v.unknown()),
    /** A cut-over's state: its lock, and what it planned (absent when it failed before planning). */
    lockKey: v.optional(v.string()),
    cutover: v.optional(v.unknown()),
    error: v.object({ Error: v.string(), Cause: v.optional(v.string()) }),
  }),
});

/** Written over $.error, so the Fail state after it reads Error and Cause where a refused push has them too. */
export interface CompensationOutcome {
  readonly Error: string;
  readonly Cause: string;
  readonly restored: string[];
  /** The execution's weight changes, and the last one compensation made: 0 % when it put a shifted rule back. */
  readonly trafficSteps?: { at: string; percent: number }[];
}

async function restoreCutover(deps: CompensateDeps, cutover: CutoverState, restored: string[]): Promise<void> {
  if (!cutover.monolith) return;
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  for (const change of cutover.plan) {
    const current = rules.find((rule) => (change.isDefault ? rule.priority === 'default' : rule.ruleArn === change.ruleArn));
    if (!current || sameActions(current.actions, change.before)) continue;
    if (change.isDefault) await deps.elb.setDefaultActions(deps.config.listenerArn, change.before);
    else await deps.elb.setRuleActions(change.ruleArn, change.before);
    restored.push(`${change.isDefault ? 'default action' : `rule at priority ${String(change.priority)}`} forwards to the monolith again`);
  }
  const service = await deps.ecs.describeService(cutover.monolith.service);
  if (service && service.desiredCount !== cutover.monolith.desiredCount) {
    await deps.ecs.updateService(cutover.monolith.service, { desiredCount: cutover.monolith.desiredCount });
    restored.push(`monolith ${cutover.monolith.service} back to ${cutover.monolith.desiredCount} task(s)`);
  }
}

/**
 * A service whose updates are ECS's own deployments (lib/domain/ecs-update.ts): ECS owns the production rule's weights.
 * - ECS rolled back already (the service is on its previous revision): only what a service revision does not hold
 *   goes back, the desired count and the grace period.
 * - A deployment still under way (e.g. the step that watched it timed out): ECS is asked to roll it back
 *   (StopServiceDeployment ROLLBACK), and does so on its own.
 * - A deployment ECS had finished before the gate tripped: the previous revision is deployed again, by ECS, with the
 *   service's strategy.
 */
async function restoreEcsUpdatedService(deps: CompensateDeps, release: Release, service: ServiceView, restored: string[]): Promise<void> {
  const before = release.before?.service;
  if (!before?.exists) return;
  const name = service.serviceName;
  const grace = before.healthCheckGracePeriodSeconds;
  const graceChanged = grace !== undefined && (service.healthCheckGracePeriodSeconds ?? 0) !== grace;
  const sizes = { desiredCount: before.desiredCount, ...(graceChanged ? { healthCheckGracePeriodSeconds: grace } : {}) };
  const previous = before.taskDefinitionArn?.split('/').pop();
  if (service.taskDefinition === before.taskDefinitionArn) {
    if (service.desiredCount === before.desiredCount && !graceChanged) return;
    await deps.ecs.updateService(name, sizes);
    restored.push(`service ${name} back to ${before.desiredCount} task(s)${graceChanged ? `, health-check grace period ${grace} s` : ''}`);
    return;
  }
  const current = service.currentServiceDeployment ? await deps.ecs.serviceDeployment(service.currentServiceDeployment) : undefined;
  if (current && DEPLOYMENT_STATUS.rollingBack.has(current.status)) {
    restored.push(`ECS is already rolling ${name}'s deployment back to ${previous} (${current.status})`);
    return;
  }
  if (current && DEPLOYMENT_STATUS.stoppable.has(current.status)) {
    await deps.ecs.rollBackServiceDeployment(current.arn);
    restored.push(`asked ECS to roll ${name}'s deployment back to ${previous} (StopServiceDeployment; ECS finishes it on its own)`);
    return;
  }
  // All at once, without a bake or alarms (a manifest alarm still in ALARM would roll this back to the bad revision);
  // the next push of the service restores its manifest's strategy.
  await deps.ecs.updateService(name, { taskDefinitionArn: before.taskDefinitionArn, ...sizes, deployment: RESTORE });
  restored.push(`asked ECS to deploy ${previous} × ${before.desiredCount} of ${name} again, all at once (BLUE_GREEN; ECS finishes it on its own)`);
}

const RESTORE = { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0, alarms: { alarmNames: [], enable: false, rollback: false } } as const;

/**
 * Whether the service's rule was put back (its paths' traffic off the new revision); after ECS's own deployment, the
 * percent of the traffic ECS has on the new revision now.
 */
async function restoreService(deps: CompensateDeps, release: Release, restored: string[]): Promise<{ ruleRestored: boolean; ecsPercent?: number }> {
  const manifest = manifestOf(deps, release);
  const before = release.before;
  if (!before) return { ruleRestored: false }; // the service lock was never taken: this execution changed nothing of the service
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const rule = ruleAtPriority(rules, manifest.priority);
  let ruleRestored = false;
  const found = await deps.ecs.describeService(manifest.name);
  const service = found?.status === 'ACTIVE' ? found : undefined;
  if (service && before.service.exists && (release.ecsDeployment || isBlueGreenFamily(service.strategy))) {
    // ECS's own deployment owns the production rule's weights: it puts them back itself when it rolls back, and a
    // rule written back now could send the traffic to a group whose tasks ECS has already stopped.
    await restoreEcsUpdatedService(deps, release, service, restored);
    return { ruleRestored: false, ...(release.ecsDeployment ? { ecsPercent: greenPercent(manifest, rules, release.ecsDeployment.greenTargetGroupArn) } : {}) };
  }
  if (before.rule === null && rule && rule.paths.every((path) => manifest.paths.includes(path))) {
    await deps.elb.deleteRule(rule.ruleArn);
    ruleRestored = true;
    restored.push(`removed rule ${manifest.paths.join(',')}: those paths go to the monolith again`);
  } else if (before.rule && rule && !sameActions(rule.actions, before.rule.actions)) {
    await deps.elb.setRuleActions(before.rule.ruleArn, before.rule.actions);
    ruleRestored = true;
    restored.push(`rule ${manifest.paths.join(',')} restored to its previous actions`);
  }
  if (!before.service.exists && service) {
    await deps.ecs.deleteService(manifest.name);
    restored.push(`removed new service ${manifest.name}`);
  } else if (before.service.exists && service) {
    const taskDefinitionArn = before.service.taskDefinitionArn;
    const desiredCount = before.service.desiredCount;
    // Recorded since "Deploy service" sets the manifest's grace period; absent in a release recorded before that.
    const grace = before.service.healthCheckGracePeriodSeconds;
    const graceChanged = grace !== undefined && (service.healthCheckGracePeriodSeconds ?? 0) !== grace;
    if (service.taskDefinition !== taskDefinitionArn || service.desiredCount !== desiredCount || graceChanged) {
      await deps.ecs.updateService(manifest.name, { taskDefinitionArn, desiredCount, ...(graceChanged ? { healthCheckGracePeriodSeconds: grace } : {}) });
      restored.push(`service ${manifest.name} back to ${taskDefinitionArn?.split('/').pop()} × ${desiredCount}${graceChanged ? `, health-check grace period ${grace} s` : ''}`);
    }
  }
  if (before.targetGroupExisted && before.targetGroup) await restoreTargetGroup(deps, manifest, before.targetGroup, restored);
  // Judged by name, not release.targetGroupArn: a step that dies after CreateTargetGroup never hands its
  // ARN on, and under the service lock a group with this name that did not exist before is ours.
  if (!before.targetGroupExisted) {
    const group = await deps.elb.findTargetGroup(manifest.targetGroupName);
    if (group) {
      await deps.elb.deleteTargetGroup(group.TargetGroupArn);
      restored.push(`removed new target group ${manifest.targetGroupName}`);
    }
  }
  // The alternate group likewise; a record made before there was one (undefined) leaves it alone.
  if (before.alternateTargetGroupExisted === false) {
    const name = alternateTargetGroupName(manifest);
    const group = await deps.elb.findTargetGroup(name);
    if (group) {
      await deps.elb.deleteTargetGroup(group.TargetGroupArn);
      restored.push(`removed new target group ${name}`);
    }
  }
  return { ruleRestored };
}

/** Puts back an existing group's health check and deregistration delay if this execution reconciled them. */
async function restoreTargetGroup(deps: CompensateDeps, manifest: Manifest, before: TargetGroupSettings, restored: string[]): Promise<void> {
  const group = await deps.elb.findTargetGroup(manifest.targetGroupName);
  if (!group) return;
  const now = targetGroupSettings(group, before.deregistrationDelaySeconds === undefined ? undefined : await deps.elb.deregistrationDelay(group.TargetGroupArn));
  const { deregistrationDelaySeconds: beforeDelay, ...beforeHealth } = before;
  const { deregistrationDelaySeconds: nowDelay, ...nowHealth } = now;
  if (JSON.stringify(beforeHealth) !== JSON.stringify(nowHealth)) {
    await deps.elb.modifyHealthCheck(group.TargetGroupArn, healthCheckFrom(manifest.targetGroupName, before, targetGroupSpec(manifest, deps.config.vpcId)));
    restored.push(`health check of target group ${manifest.targetGroupName} put back`);
  }
  if (beforeDelay !== undefined && beforeDelay !== nowDelay) {
    await deps.elb.setDeregistrationDelay(group.TargetGroupArn, beforeDelay);
    restored.push(`deregistration delay of ${manifest.targetGroupName} back to ${beforeDelay}s`);
  }
}

/**
 * Step 9: puts back exactly what this execution changed, judged against the prior state recorded before
 * the first change (so it is right even when a step died half-way, e.g. a Lambda timeout after its call).
 * A service rollout restores its service, rule and target group; a cut-over restores the listener actions
 * it changed and the monolith's desired count, and nothing else: the services that went live stay live.
 * It runs under the execution's lock; the state machine frees that lock afterwards.
 */
export const makeHandler = (deps: HandlerDeps<'ecs' | 'elb'>) => async (input: unknown): Promise<CompensationOutcome> => {
  const { executionName, state } = parseInput(InputSchema, input, 'compensate');
  const restored: string[] = [];
  const failure = `${state.error.Error}: ${state.error.Cause ? causeMessage(state.error.Cause) : 'no cause reported'}`;
  let keys: Record<string, string> = { execution: executionName };
  let trafficSteps: { at: string; percent: number }[] | undefined;
  try {
    if (state.release !== undefined) {
      const release = parseRelease(state.release, 'compensate');
      keys = logKeys(release);
      // Without a recorded prior state the lock was never taken (or nothing was changed yet): nothing to restore.
      const outcome = release.before && !release.retired && !release.superseded ? await restoreService(deps, release, restored) : { ruleRestored: false };
      const shifted = release.trafficSteps ?? [];
      const last = shifted.at(-1)?.percent ?? 0;
      const now = outcome.ecsPercent ?? (outcome.ruleRestored ? 0 : last);
      if (shifted.length > 0 || now !== last) trafficSteps = now !== last ? [...shifted, { at: new Date(deps.now()).toISOString(), percent: now }] : shifted;
    } else if (state.lockKey !== undefined) {
      keys = cutoverLogKeys(executionName, monolithOf(deps.config.catalog)?.name);
      if (state.cutover !== undefined) await restoreCutover(deps, parseCutover(state.cutover, 'compensate'), restored);
    }
  } catch (error) {
    // A throttle is retried by the state machine (compensation is idempotent); anything else needs a human.
    if (error instanceof TransientAwsError) throw error;
    throw new CompensationError(`compensate after ${failure}: restoring failed: ${errorMessage(error)}; restored so far: ${restored.join('; ') || 'nothing'}`, { cause: error });
  }
  const cause = `${failure}. Restored: ${restored.length > 0 ? restored.join('; ') : 'nothing needed restoring'}.`;
  deps.logger.warn('execution failed; prior state restored', { ...keys, error: state.error.Error, restored: restored.length });
  return { Error: state.error.Error, Cause: cause, restored, ...(trafficSteps ? { trafficSteps } : {}) };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
