/**
 * The ECS service scheduler, run at each virtual instant: replaces failed tasks, trips the deployment circuit
 * breaker (and deployment alarms), launches the primary deployment's tasks, scales old deployments down (rolling
 * update with minimumHealthyPercent 100 / maximumPercent 200) and marks the rollout COMPLETED. While a blue/green,
 * canary or linear deployment is in charge of the service, blue-green.ts does the launching and scaling down instead.
 */
import type { DeploymentRecord, EmulatorContext, ServiceRecord, TaskRecord } from '../context';
import { inGracePeriod } from '../ecs/health-check-grace';
import { blueGreenInCharge, reconcileBlueGreen } from './blue-green';
import { addEvent, deploymentTargetGroupArns, launchTask, startDeployment, stopTask, tasksOf } from './deployments';
import { alarmsInAlarm, circuitBreakerThreshold } from './failure-detection';
import { rollingDeploymentFailed, serviceDeploymentOf, syncRollingServiceDeployments } from './service-deployments';

export { circuitBreakerThreshold } from './failure-detection';

function targetsOf(ctx: EmulatorContext, service: ServiceRecord, task: TaskRecord): Array<{ state: string; groupName: string } | undefined> {
  return deploymentTargetGroupArns(service, task.deploymentId).map((targetGroupArn) => {
    const group = ctx.targetGroups.get(targetGroupArn);
    const target = group?.targets.find((candidate) => candidate.taskId === task.id);
    return target && group ? { state: target.state, groupName: group.name } : undefined;
  });
}

function isHealthy(ctx: EmulatorContext, service: ServiceRecord, task: TaskRecord): boolean {
  return task.status === 'RUNNING' && !task.stopping && targetsOf(ctx, service, task).every((target) => target?.state === 'healthy');
}

function failedGroup(ctx: EmulatorContext, service: ServiceRecord, task: TaskRecord): string | undefined {
  if (task.stopping || inGracePeriod(ctx, service, task)) return undefined;
  return targetsOf(ctx, service, task).find((target) => target?.state === 'unhealthy')?.groupName;
}

const live = (ctx: EmulatorContext, deployment: DeploymentRecord): TaskRecord[] => tasksOf(ctx, deployment).filter((task) => !task.stopping);

function stopFailedTasks(ctx: EmulatorContext, service: ServiceRecord): void {
  for (const deployment of service.deployments) {
    for (const task of live(ctx, deployment)) {
      const groupName = failedGroup(ctx, service, task);
      if (groupName === undefined) continue;
      stopTask(ctx, task, `Task failed ELB health checks in (target-group ${groupName})`);
      deployment.failedTasks += 1;
      deployment.updatedAt = ctx.simulatedUntil;
      addEvent(ctx, service, `(service ${service.name}) (task ${task.id}) failed ELB health checks in (target-group ${groupName}).`);
    }
  }
}

/** The rollout failed: roll back to the last completed deployment when asked and possible, else stop launching. */
function failRollout(ctx: EmulatorContext, service: ServiceRecord, primary: DeploymentRecord, reason: string, event: string, rollbackWanted: boolean): void {
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = reason;
  primary.updatedAt = ctx.simulatedUntil;
  addEvent(ctx, service, `(service ${service.name}) (deployment ${primary.id}) deployment failed: ${event}`);
  const rollbackTo = service.lastCompletedTaskDefinitionArn;
  if (rollbackWanted && rollbackTo !== undefined && rollbackTo !== primary.taskDefinitionArn) {
    primary.desiredCount = 0;
    const rollback = startDeployment(ctx, service, rollbackTo, service.lastCompletedRevisionArn);
    rollingDeploymentFailed(ctx, service, primary, reason, rollback);
    addEvent(ctx, service, `(service ${service.name}) rolling back to deployment ${rollback.id}.`);
  } else {
    primary.launchHalted = true;
    rollingDeploymentFailed(ctx, service, primary, reason);
  }
}

function applyCircuitBreaker(ctx: EmulatorContext, service: ServiceRecord, primary: DeploymentRecord): void {
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (breaker?.enable !== true || primary.rolloutState !== 'IN_PROGRESS') return;
  if (primary.failedTasks < circuitBreakerThreshold(primary.desiredCount)) return;
  const record = serviceDeploymentOf(service, primary);
  if (record?.circuitBreaker.status === 'MONITORING') record.circuitBreaker.status = 'TRIGGERED';
  failRollout(ctx, service, primary, 'ECS deployment circuit breaker: tasks failed to start.', 'tasks failed to start.', breaker.rollback === true);
}

/**
 * Deployment alarms on a rolling deployment (developer guide, "How CloudWatch alarms detect Amazon ECS deployment
 * failures"): an alarm of the deployment in ALARM while the rollout is IN_PROGRESS fails it; rollback as configured.
 * The bake time ECS adds after a rolling deployment with alarms is not modelled: the rollout completes at steady state.
 */
function applyAlarms(ctx: EmulatorContext, service: ServiceRecord, primary: DeploymentRecord): void {
  const record = serviceDeploymentOf(service, primary);
  if (!record || record.status !== 'IN_PROGRESS' || record.alarms.status !== 'MONITORING' || primary.rolloutState !== 'IN_PROGRESS') return;
  const triggered = alarmsInAlarm(ctx, record.alarms.alarmNames);
  if (triggered.length === 0) return;
  record.alarms.status = 'TRIGGERED';
  record.alarms.triggeredAlarmNames = triggered;
  const reason = `ECS deployment alarms: ${triggered.join(', ')} in ALARM state.`;
  failRollout(ctx, service, primary, reason, reason, record.deploymentConfiguration.alarms?.rollback === true);
}

function scaleDown(ctx: EmulatorContext, service: ServiceRecord, primary: DeploymentRecord): void {
  const primaryTasks = live(ctx, primary);
  // excess primary tasks (desired count lowered): stop the least useful first
  const ordered = [...primaryTasks].sort((a, b) => Number(isHealthy(ctx, service, a)) - Number(isHealthy(ctx, service, b)));
  for (const task of ordered.slice(0, Math.max(0, primaryTasks.length - primary.desiredCount))) stopTask(ctx, task, 'Scaling activity initiated by (deployment ' + primary.id + ')');
  // minimumHealthyPercent 100: old healthy tasks stay until the primary's healthy tasks replace them
  let keep = Math.max(0, service.desiredCount - primaryTasks.filter((task) => isHealthy(ctx, service, task)).length);
  for (const deployment of service.deployments.slice(1)) {
    for (const task of live(ctx, deployment)) {
      if (isHealthy(ctx, service, task) && keep > 0) keep -= 1;
      else stopTask(ctx, task, `Scaling activity initiated by (deployment ${primary.id})`);
    }
    deployment.desiredCount = live(ctx, deployment).length;
  }
  service.deployments = service.deployments.filter((deployment, index) => index === 0 || tasksOf(ctx, deployment).length > 0);
}

function launch(ctx: EmulatorContext, service: ServiceRecord, primary: DeploymentRecord): void {
  if (service.status !== 'ACTIVE' || primary.launchHalted) return;
  const maximumPercent = service.deploymentConfiguration.maximumPercent ?? 200;
  const liveAll = service.deployments.reduce((sum, deployment) => sum + live(ctx, deployment).length, 0);
  const ceiling = Math.max(primary.desiredCount, Math.floor((service.desiredCount * maximumPercent) / 100));
  const count = Math.min(primary.desiredCount - live(ctx, primary).length, ceiling - liveAll);
  for (let index = 0; index < count; index += 1) {
    const task = launchTask(ctx, service, primary);
    addEvent(ctx, service, `(service ${service.name}) has started 1 tasks: (task ${task.id}).`);
  }
}

function markCompleted(ctx: EmulatorContext, service: ServiceRecord, primary: DeploymentRecord): void {
  if (primary.rolloutState !== 'IN_PROGRESS' || service.deployments.length !== 1) return;
  const tasks = tasksOf(ctx, primary);
  if (tasks.length !== primary.desiredCount || !tasks.every((task) => isHealthy(ctx, service, task))) return;
  primary.rolloutState = 'COMPLETED';
  primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
  primary.updatedAt = ctx.simulatedUntil;
  service.lastCompletedTaskDefinitionArn = primary.taskDefinitionArn;
  service.lastCompletedRevisionArn = primary.revisionArn;
  addEvent(ctx, service, `(service ${service.name}) has reached a steady state.`);
}

export function reconcileService(ctx: EmulatorContext, service: ServiceRecord): void {
  if (service.status === 'INACTIVE') return;
  stopFailedTasks(ctx, service);
  const initialPrimary = service.deployments[0];
  if (!initialPrimary) return;
  const blueGreen = blueGreenInCharge(service);
  if (blueGreen) {
    reconcileBlueGreen(ctx, service, blueGreen);
  } else {
    applyCircuitBreaker(ctx, service, initialPrimary);
    if (service.deployments[0] === initialPrimary) applyAlarms(ctx, service, initialPrimary);
    const primary = service.deployments[0] ?? initialPrimary;
    scaleDown(ctx, service, primary);
    launch(ctx, service, primary);
    markCompleted(ctx, service, primary);
    syncRollingServiceDeployments(ctx, service);
  }
  if (service.status === 'DRAINING' && service.deployments.every((deployment) => tasksOf(ctx, deployment).length === 0)) {
    service.status = 'INACTIVE';
    addEvent(ctx, service, `(service ${service.name}) has stopped.`);
  }
}
