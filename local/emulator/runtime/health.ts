/**
 * ALB health checking on virtual time: a registered target is 'initial', then 'healthy' after
 * healthyThreshold x interval, or 'unhealthy' after unhealthyThreshold x interval when its task runs a bad image.
 * Deregistered targets drain for the group's deregistration delay, then disappear.
 */
import type { EmulatorContext, TargetGroupRecord, TargetRecord } from '../context';
import { deregistrationDelayMs } from '../elbv2/target-groups';
import { taskDefinitionIsUnhealthy } from './images';

export function targetWillFail(ctx: EmulatorContext, target: TargetRecord): boolean {
  if (target.taskId === undefined) return false;
  const task = ctx.tasks.find((candidate) => candidate.id === target.taskId);
  return task !== undefined && taskDefinitionIsUnhealthy(ctx, task.taskDefinitionArn);
}

function verdictDelayMs(group: TargetGroupRecord, failing: boolean): number {
  const check = group.healthCheck;
  return (failing ? check.unhealthyThreshold : check.healthyThreshold) * check.intervalSeconds * 1000;
}

export function registerTarget(ctx: EmulatorContext, group: TargetGroupRecord, id: string, port: number, taskId?: string): void {
  const existing = group.targets.find((target) => target.id === id && target.port === port);
  if (existing && existing.state !== 'draining') return;
  const target: TargetRecord = { id, port, state: 'initial', taskId };
  target.dueAt = ctx.simulatedUntil + verdictDelayMs(group, targetWillFail(ctx, target));
  group.targets = group.targets.filter((other) => other !== existing);
  group.targets.push(target);
}

export function startDraining(ctx: EmulatorContext, group: TargetGroupRecord, target: TargetRecord): void {
  if (target.state === 'draining') return;
  const delay = deregistrationDelayMs(group);
  if (delay === 0) {
    group.targets = group.targets.filter((other) => other !== target);
    return;
  }
  target.state = 'draining';
  target.dueAt = ctx.simulatedUntil + delay;
}

/** Applies every health transition due at or before `at`. Returns true when something changed. */
export function applyHealthTransitions(ctx: EmulatorContext, at: number): boolean {
  let changed = false;
  for (const group of ctx.targetGroups.values()) {
    for (const target of [...group.targets]) {
      if (target.dueAt === undefined || target.dueAt > at) continue;
      changed = true;
      if (target.state === 'draining') {
        group.targets = group.targets.filter((other) => other !== target);
        continue;
      }
      const failing = targetWillFail(ctx, target);
      if (target.state === 'initial' || (target.state === 'healthy' && failing)) {
        target.state = failing ? 'unhealthy' : 'healthy';
        target.dueAt = undefined;
      } else {
        target.dueAt = undefined;
      }
    }
  }
  return changed;
}

/** Healthy targets whose image was marked bad later start failing checks: schedule their verdict. */
export function scheduleFailingChecks(ctx: EmulatorContext): void {
  for (const group of ctx.targetGroups.values()) {
    for (const target of group.targets) {
      if (target.state === 'healthy' && target.dueAt === undefined && targetWillFail(ctx, target)) {
        target.dueAt = ctx.simulatedUntil + verdictDelayMs(group, true);
      }
    }
  }
}

export function nextHealthEvent(ctx: EmulatorContext): number | undefined {
  let next: number | undefined;
  for (const group of ctx.targetGroups.values()) {
    for (const target of group.targets) {
      if (target.dueAt !== undefined && (next === undefined || target.dueAt < next)) next = target.dueAt;
    }
  }
  return next;
}
