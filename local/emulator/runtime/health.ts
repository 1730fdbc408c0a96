/**
 * ALB health checking on virtual time, by the ELB user guide ("Health checks for Application Load Balancer target
 * groups"): the load balancer sends each registered target a check every HealthCheckIntervalSeconds ("the time it
 * takes for the target to respond does not affect the interval for the next health check request"); no answer
 * within HealthCheckTimeoutSeconds is a failed check. "After your target is registered, it must pass one health
 * check to be considered healthy"; UnhealthyThresholdCount consecutive failures take a target out of service and
 * HealthyThresholdCount consecutive successes put an unhealthy one back. A new target is 'initial' meanwhile
 * (reason codes Elb.RegistrationInProgress, then Elb.InitialHealthChecking).
 *
 * The emulator takes the latest timing those rules allow, so the pipeline is tested against the slow end: a
 * target's first check goes out one interval after its registration and every answer counts at the check's
 * timeout. A new target that answers is healthy interval + timeout after its registration; one that does not
 * stays 'initial' until unhealthyThreshold checks have failed. Deregistered targets drain for the group's
 * deregistration delay, then disappear.
 */
import type { EmulatorContext, TargetGroupRecord, TargetRecord, TaskRecord } from '../context';
import { deregistrationDelayMs } from '../elbv2/target-groups';
import { taskDefinitionIsUnhealthy, taskDefinitionStartUpSeconds } from './images';

const intervalMs = (group: TargetGroupRecord): number => group.healthCheck.intervalSeconds * 1000;
const timeoutMs = (group: TargetGroupRecord): number => group.healthCheck.timeoutSeconds * 1000;

function taskOf(ctx: EmulatorContext, target: TargetRecord): TaskRecord | undefined {
  return target.taskId === undefined ? undefined : ctx.tasks.find((candidate) => candidate.id === target.taskId);
}

/** The target's task runs a bad image: it fails every check, for good. */
export function targetRunsBadImage(ctx: EmulatorContext, target: TargetRecord): boolean {
  const task = taskOf(ctx, target);
  return task !== undefined && taskDefinitionIsUnhealthy(ctx, task.taskDefinitionArn);
}

/** Whether the target passes a check answered at `at`: not with a bad image, nor while its application starts. */
export function targetPasses(ctx: EmulatorContext, target: TargetRecord, at: number): boolean {
  const task = taskOf(ctx, target);
  if (task === undefined) return true;
  if (taskDefinitionIsUnhealthy(ctx, task.taskDefinitionArn)) return false;
  return at >= task.startAt + taskDefinitionStartUpSeconds(ctx, task.taskDefinitionArn) * 1000;
}

/** A new target's first check has gone out: Elb.InitialHealthChecking rather than Elb.RegistrationInProgress. */
export function firstCheckSent(ctx: EmulatorContext, group: TargetGroupRecord, target: TargetRecord): boolean {
  return ctx.simulatedUntil >= target.registeredAt + intervalMs(group);
}

/** When the answer of the first check after `after` counts: checks go out every interval from the registration. */
function nextAnswerAt(group: TargetGroupRecord, target: TargetRecord, after: number): number {
  const first = target.registeredAt + intervalMs(group) + timeoutMs(group);
  if (after < first) return first;
  return first + (Math.floor((after - first) / intervalMs(group)) + 1) * intervalMs(group);
}

export function registerTarget(ctx: EmulatorContext, group: TargetGroupRecord, id: string, port: number, taskId?: string): void {
  const existing = group.targets.find((target) => target.id === id && target.port === port);
  if (existing && existing.state !== 'draining') return;
  const target: TargetRecord = { id, port, state: 'initial', taskId, registeredAt: ctx.simulatedUntil, passes: 0, failures: 0 };
  target.dueAt = nextAnswerAt(group, target, ctx.simulatedUntil);
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

/** One check's answer, counted against the group's thresholds; the next check is due unless nothing can change. */
function countAnswer(ctx: EmulatorContext, group: TargetGroupRecord, target: TargetRecord, at: number): void {
  const passed = targetPasses(ctx, target, at);
  target.passes = passed ? target.passes + 1 : 0;
  target.failures = passed ? 0 : target.failures + 1;
  // One pass makes a new target healthy; an unhealthy one needs healthyThreshold passes in a row.
  if (passed && (target.state === 'initial' || target.passes >= group.healthCheck.healthyThreshold)) target.state = 'healthy';
  if (!passed && target.failures >= group.healthCheck.unhealthyThreshold) target.state = 'unhealthy';
  // Healthy and answering, or failing for good: further checks change nothing (until an image is marked bad).
  const settled = (target.state === 'healthy' && passed) || (target.state === 'unhealthy' && targetRunsBadImage(ctx, target));
  target.dueAt = settled ? undefined : at + intervalMs(group);
}

/** Applies every health transition due at or before `at`. Returns true when something changed. */
export function applyHealthTransitions(ctx: EmulatorContext, at: number): boolean {
  let changed = false;
  for (const group of ctx.targetGroups.values()) {
    for (const target of [...group.targets]) {
      if (target.dueAt === undefined || target.dueAt > at) continue;
      changed = true;
      if (target.state === 'draining') group.targets = group.targets.filter((other) => other !== target);
      else countAnswer(ctx, group, target, target.dueAt);
    }
  }
  return changed;
}

/** Healthy targets whose image was marked bad later fail their next checks: count them from the next answer. */
export function scheduleFailingChecks(ctx: EmulatorContext): void {
  for (const group of ctx.targetGroups.values()) {
    for (const target of group.targets) {
      if (target.state === 'healthy' && target.dueAt === undefined && !targetPasses(ctx, target, ctx.simulatedUntil)) {
        target.dueAt = nextAnswerAt(group, target, ctx.simulatedUntil);
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
