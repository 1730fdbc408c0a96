import { z } from 'zod';
import { CompensationError, TransientAwsError, errorMessage } from '../lib/errors';
import { parseCutover, type CutoverState } from '../lib/domain/cutover-state';
import type { Release, TargetGroupSettings } from '../lib/domain/release';
import type { Manifest } from '../lib/domain/manifest';
import { healthCheckFrom, targetGroupSettings, targetGroupSpec } from '../lib/domain/target-group';
import { parseRelease } from '../lib/domain/release-schema';
import { ruleAtPriority } from '../lib/domain/listener-rule-plan';
import { sameActions } from '../lib/domain/routing';
import { causeMessage } from '../lib/domain/lambda-cause';
import { lambdaHandler } from '../lib/runtime/lambda';
import { parseInput } from '../lib/domain/parse-input';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import type { Deps } from '../lib/runtime/deps';

const InputSchema = z.object({
  executionName: z.string().min(1),
  state: z.looseObject({
    release: z.unknown().optional(),
    cutover: z.unknown().optional(),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }),
  }),
});

export interface CompensationOutcome {
  readonly error: string;
  readonly cause: string;
  readonly restored: string[];
}


async function restoreCutover(deps: Deps, cutover: CutoverState, restored: string[]): Promise<void> {
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

async function restoreService(deps: Deps, release: Release, restored: string[]): Promise<void> {
  const manifest = manifestOf(deps, release);
  const before = release.before;
  if (!before) return; // the service lock was never taken: this execution changed nothing of the service
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const rule = ruleAtPriority(rules, manifest.priority);
  if (before.rule === null && rule && rule.paths.every((path) => manifest.paths.includes(path))) {
    await deps.elb.deleteRule(rule.ruleArn);
    restored.push(`removed rule ${manifest.paths.join(',')}: those paths go to the monolith again`);
  } else if (before.rule && rule && !sameActions(rule.actions, before.rule.actions)) {
    await deps.elb.setRuleActions(before.rule.ruleArn, before.rule.actions);
    restored.push(`rule ${manifest.paths.join(',')} restored to its previous actions`);
  }
  const found = await deps.ecs.describeService(manifest.name);
  const service = found?.status === 'ACTIVE' ? found : undefined;
  if (!before.service.exists && service) {
    await deps.ecs.deleteService(manifest.name);
    restored.push(`removed new service ${manifest.name}`);
  } else if (before.service.exists && service) {
    const taskDefinitionArn = before.service.taskDefinitionArn;
    const desiredCount = before.service.desiredCount;
    if (service.taskDefinition !== taskDefinitionArn || service.desiredCount !== desiredCount) {
      await deps.ecs.updateService(manifest.name, { taskDefinitionArn, desiredCount });
      restored.push(`service ${manifest.name} back to ${taskDefinitionArn?.split('/').pop()} × ${desiredCount}`);
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
}

/** Puts back an existing group's health check and deregistration delay if this execution reconciled them. */
async function restoreTargetGroup(deps: Deps, manifest: Manifest, before: TargetGroupSettings, restored: string[]): Promise<void> {
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

/** Runs a lock-table write; a permanent failure is reported in the cause instead of failing compensation. */
async function bookkeeping(what: string, restored: string[], write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (error instanceof TransientAwsError) throw error;
    restored.push(`${what} could not be written (${errorMessage(error)}): it expires by its TTL`);
  }
}

/**
 * Step 9: puts back exactly what this execution changed, judged against the prior state recorded before
 * the first change (so it is right even when a step died half-way, e.g. a Lambda timeout after its call).
 * An execution is all or nothing: a failed cut-over also takes back the service this execution made live,
 * so the routing is exactly what it was before the push.
 */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CompensationOutcome> => {
  const { executionName, state } = parseInput(InputSchema, input, 'compensate');
  const restored: string[] = [];
  const failure = `${state.error.Error}: ${state.error.Cause ? causeMessage(state.error.Cause) : 'no cause reported'}`;
  let keys: Record<string, string> = { execution: executionName };
  try {
    const release = state.release === undefined ? undefined : parseRelease(state.release, 'compensate');
    if (release) keys = logKeys(release);
    // Restore only under a lock this execution still holds: if its lease lapsed and another execution took it,
    // that execution's work is not ours to undo.
    const stillOurs = async (lock: string) => {
      const holder = await deps.locks.holder(lock, deps.now());
      if (holder === undefined || holder === executionName) return true;
      restored.push(`not restored under lock ${lock}: it is now held by ${holder}`);
      return false;
    };
    if (release && state.cutover !== undefined && (await stillOurs(release.cutoverLock))) {
      await restoreCutover(deps, parseCutover(state.cutover, 'compensate'), restored);
    }
    if (release?.before && !release.retired && (await stillOurs(release.service))) await restoreService(deps, release, restored);
    // Bookkeeping last, and never fatal: routing is what users see; a lock left behind expires by its TTL.
    if (release?.before) {
      await bookkeeping(`release record of ${release.service}`, restored, async () => {
        if (await deps.locks.forgetDeployed(release.service, executionName)) restored.push(`release record of ${release.service} put back`);
      });
    }
    // locks are taken only after "Resolve release": without a release there is no lock to give back (and no call to make)
    if (release) {
      for (const lock of new Set([release.service, release.cutoverLock])) {
        await bookkeeping(`lock ${lock}`, restored, async () => void (await deps.locks.release(lock, executionName)));
      }
    }
  } catch (error) {
    // A throttle is retried by the state machine (compensation is idempotent); anything else needs a human.
    if (error instanceof TransientAwsError) throw error;
    throw new CompensationError(`compensate after ${failure}: restoring failed: ${errorMessage(error)}; restored so far: ${restored.join('; ') || 'nothing'}`, { cause: error });
  }
  const cause = `${failure}. Restored: ${restored.length > 0 ? restored.join('; ') : 'nothing needed restoring'}.`;
  deps.logger.warn('rollout failed; prior state restored', { ...keys, error: state.error.Error, restored: restored.length });
  return { error: state.error.Error, cause, restored };
};

export const handler = lambdaHandler(makeHandler);
