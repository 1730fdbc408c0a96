/** ECS deployments and tasks: the records the scheduler creates and stops. */
import type { DeploymentRecord, EmulatorContext, ServiceRecord, TaskRecord } from '../context';
import { nextHex } from '../context';
import { startDraining } from './health';

const MAX_EVENTS = 100;

export function addEvent(ctx: EmulatorContext, service: ServiceRecord, message: string): void {
  service.events.unshift({ id: nextHex(ctx, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-'), createdAt: ctx.simulatedUntil, message });
  service.events.length = Math.min(service.events.length, MAX_EVENTS);
}

/**
 * ARN of a service revision ("arn:aws:ecs:region:account:service-revision/cluster/service/id", developer guide,
 * "Amazon ECS service revisions"); the id is the number of the deployment that introduced it (19 digits, like AWS's).
 */
export function revisionArnFor(ctx: EmulatorContext, service: ServiceRecord, serial: string): string {
  const clusterName = service.clusterArn.split(':cluster/')[1] ?? 'default';
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service-revision/${clusterName}/${service.name}/${serial}`;
}

/**
 * A new PRIMARY deployment; the previous ones become ACTIVE and are scaled down by the scheduler. A rollback passes
 * the revision it returns to; otherwise the deployment runs a new service revision.
 */
export function startDeployment(ctx: EmulatorContext, service: ServiceRecord, taskDefinitionArn: string, revisionArn?: string): DeploymentRecord {
  for (const deployment of service.deployments) deployment.status = 'ACTIVE';
  ctx.counter += 1;
  const serial = String(ctx.counter).padStart(19, '0');
  const id = `ecs-svc/${serial}`;
  const deployment: DeploymentRecord = {
    id, status: 'PRIMARY', taskDefinitionArn, desiredCount: service.desiredCount, failedTasks: 0, createdAt: ctx.simulatedUntil,
    updatedAt: ctx.simulatedUntil, rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment ${id} in progress.`, launchHalted: false,
    revisionArn: revisionArn ?? revisionArnFor(ctx, service, serial),
    // after a blue/green deployment the alternate group may be the one serving: new tasks register there
    ...(service.liveTargetGroups ? { targetGroupArns: service.loadBalancers.map((loadBalancer, index) => service.liveTargetGroups?.[index] ?? loadBalancer.targetGroupArn ?? '') } : {}),
  };
  service.deployments.unshift(deployment);
  service.taskDefinitionArn = taskDefinitionArn;
  return deployment;
}

/** The groups a deployment's tasks register in, by the service's loadBalancers index (blue/green: its own groups). */
export function deploymentTargetGroupArns(service: ServiceRecord, deploymentId: string): string[] {
  const deployment = service.deployments.find((candidate) => candidate.id === deploymentId);
  return service.loadBalancers.map((loadBalancer, index) => deployment?.targetGroupArns?.[index] ?? loadBalancer.targetGroupArn ?? '');
}

export function tasksOf(ctx: EmulatorContext, deployment: DeploymentRecord): TaskRecord[] {
  return ctx.tasks.filter((task) => task.deploymentId === deployment.id && task.status !== 'STOPPED');
}

export function launchTask(ctx: EmulatorContext, service: ServiceRecord, deployment: DeploymentRecord): TaskRecord {
  const id = nextHex(ctx, 32);
  const clusterName = service.clusterArn.split(':cluster/')[1] ?? 'default';
  const awsvpc = ctx.taskDefinitions.get(deployment.taskDefinitionArn)?.input.networkMode === 'awsvpc';
  const index = ctx.counter;
  const task: TaskRecord = {
    id, arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${clusterName}/${id}`, clusterArn: service.clusterArn, serviceArn: service.arn,
    deploymentId: deployment.id, taskDefinitionArn: deployment.taskDefinitionArn, status: 'PENDING', stopping: false,
    createdAt: ctx.simulatedUntil, startAt: ctx.simulatedUntil + ctx.taskStartSeconds * 1000,
    // bridge mode: an EC2 instance id and a dynamic host port (32768+); awsvpc: the task's ENI address
    targetId: awsvpc ? `10.0.${(index >> 8) & 255}.${index & 255}` : `i-0${index.toString(16).padStart(16, '0')}`,
    hostPort: 32768 + (index % 28000),
  };
  ctx.tasks.push(task);
  return task;
}

/** ECS stops a task: its targets drain for the group's deregistration delay; it stays RUNNING until then. */
export function stopTask(ctx: EmulatorContext, task: TaskRecord, reason: string): void {
  if (task.stopping || task.status === 'STOPPED') return;
  task.stopping = true;
  task.stoppedReason = reason;
  if (task.status === 'PENDING') {
    task.status = 'STOPPED';
    task.stopAt = ctx.simulatedUntil;
    return;
  }
  let stopAt = ctx.simulatedUntil;
  for (const group of ctx.targetGroups.values()) {
    for (const target of group.targets.filter((candidate) => candidate.taskId === task.id)) {
      startDraining(ctx, group, target);
      if (target.state === 'draining' && target.dueAt !== undefined) stopAt = Math.max(stopAt, target.dueAt);
    }
  }
  task.stopAt = stopAt;
}
