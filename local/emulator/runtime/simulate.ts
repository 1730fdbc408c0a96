/**
 * The background runtime: time is virtual, nothing runs on timers. Before each API call the emulator replays,
 * event by event, what AWS would have done since the last call (tasks starting and stopping, health verdicts, draining).
 */
import type { EmulatorContext } from '../context';
import { nextGracePeriodEnd } from '../ecs/health-check-grace';
import { nextDeploymentEvent } from './blue-green';
import { deploymentTargetGroupArns } from './deployments';
import { applyHealthTransitions, nextHealthEvent, registerTarget } from './health';
import { reconcileService } from './scheduler';
import { advanceTraffic } from './traffic';

function nextEvent(ctx: EmulatorContext): number | undefined {
  const health = nextHealthEvent(ctx);
  const graceEnd = nextGracePeriodEnd(ctx);
  let next = health === undefined || graceEnd === undefined ? (health ?? graceEnd) : Math.min(health, graceEnd);
  const deployment = nextDeploymentEvent(ctx);
  if (deployment !== undefined && (next === undefined || deployment < next)) next = deployment;
  for (const task of ctx.tasks) {
    const due = task.status === 'PENDING' && !task.stopping ? task.startAt : task.stopping && task.status !== 'STOPPED' ? task.stopAt : undefined;
    if (due !== undefined && (next === undefined || due < next)) next = due;
  }
  return next;
}

function startAndStopTasks(ctx: EmulatorContext, at: number): void {
  for (const task of ctx.tasks) {
    if (task.status === 'PENDING' && task.stopping) task.status = 'STOPPED';
    if (task.status === 'PENDING' && task.startAt <= at) {
      task.status = 'RUNNING';
      const service = ctx.services.get(task.serviceArn);
      const containerPort = (index: number): number => service?.loadBalancers[index]?.containerPort ?? 80;
      // a blue/green deployment's tasks register in its own group (the one not serving production)
      (service ? deploymentTargetGroupArns(service, task.deploymentId) : []).forEach((targetGroupArn, index) => {
        const group = ctx.targetGroups.get(targetGroupArn);
        const port = group?.targetType === 'ip' ? containerPort(index) : task.hostPort;
        if (group) registerTarget(ctx, group, task.targetId, port, task.id);
      });
    }
    if (task.stopping && task.status === 'RUNNING' && task.stopAt !== undefined && task.stopAt <= at) task.status = 'STOPPED';
  }
  // forget stopped tasks once their targets are gone, so long simulations stay small
  ctx.tasks = ctx.tasks.filter((task) => task.status !== 'STOPPED' || task.stopAt === undefined || task.stopAt > at - 3_600_000);
}

export function reconcileAll(ctx: EmulatorContext): void {
  for (const service of ctx.services.values()) reconcileService(ctx, service);
}

/** Simulates everything due up to `until` (virtual ms). */
export function simulateUntil(ctx: EmulatorContext, until: number): void {
  reconcileAll(ctx);
  for (let guard = 0; guard < 1_000_000; guard += 1) {
    const next = nextEvent(ctx);
    if (next === undefined || next > until) break;
    advanceTraffic(ctx, next); // requests up to the event, routed as before it
    ctx.simulatedUntil = Math.max(ctx.simulatedUntil, next);
    startAndStopTasks(ctx, ctx.simulatedUntil);
    applyHealthTransitions(ctx, ctx.simulatedUntil);
    reconcileAll(ctx);
  }
  advanceTraffic(ctx, until);
  ctx.simulatedUntil = Math.max(ctx.simulatedUntil, until);
}
