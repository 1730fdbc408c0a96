/**
 * The service's health check grace period (CreateService / UpdateService `healthCheckGracePeriodSeconds`, ECS API
 * reference): "the period of time, in seconds, that the Amazon ECS service scheduler ignores unhealthy Elastic Load
 * Balancing ... health checks after a task has first started"; 0 when unset, at most 2,147,483,647. A task whose
 * target fails its checks meanwhile is not replaced, so a slow start does not count toward the circuit breaker.
 */
import type { EmulatorContext, ServiceRecord, TaskRecord } from '../context';
import { ecsError } from '../errors';

const MAX_GRACE_PERIOD_SECONDS = 2_147_483_647;

/** The value as the service keeps it, or InvalidParameterException outside the API's range. */
export function gracePeriodSeconds(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_GRACE_PERIOD_SECONDS) {
    throw ecsError('InvalidParameterException', `healthCheckGracePeriodSeconds must be an integer between 0 and ${MAX_GRACE_PERIOD_SECONDS}.`);
  }
  return value;
}

const graceEndsAt = (service: ServiceRecord, task: TaskRecord): number => task.startAt + (service.healthCheckGracePeriodSeconds ?? 0) * 1000;

/** The scheduler ignores this task's failed ELB health checks for now. */
export function inGracePeriod(ctx: EmulatorContext, service: ServiceRecord, task: TaskRecord): boolean {
  return task.status === 'RUNNING' && ctx.simulatedUntil < graceEndsAt(service, task);
}

/** When the next grace period of a task with an unhealthy target ends: the scheduler replaces it then. */
export function nextGracePeriodEnd(ctx: EmulatorContext): number | undefined {
  const failing = new Set<string>();
  for (const group of ctx.targetGroups.values()) {
    for (const target of group.targets) if (target.state === 'unhealthy' && target.taskId !== undefined) failing.add(target.taskId);
  }
  let next: number | undefined;
  for (const task of ctx.tasks) {
    const service = ctx.services.get(task.serviceArn);
    if (!service || task.stopping || !failing.has(task.id) || !inGracePeriod(ctx, service, task)) continue;
    const end = graceEndsAt(service, task);
    if (next === undefined || end < next) next = end;
  }
  return next;
}
