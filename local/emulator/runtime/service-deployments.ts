/**
 * Service deployment records for every strategy. Developer guide, "View service history using Amazon ECS service
 * deployments": ECS creates a service deployment when a user creates a service, updates it with the force new
 * deployment option, or updates service properties that require a deployment; it updates the status, the running
 * task counts, the circuit breaker's failed tasks, the alarms in alarm, the rollback (start time, reason, the
 * revision rolled back to) and the status reason as the deployment goes. Stages: Pending = PENDING; Ongoing =
 * IN_PROGRESS, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS; Completed = SUCCESSFUL, STOPPED,
 * ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED. API reference, ServiceDeployment.stoppedAt: "The service deployment stops
 * when ... The rollback option is not in use for the failure detection mechanism (the circuit breaker or
 * alarm-based) and the service fails."
 *
 * A ROLLING deployment's record follows its ECS deployment (Service.deployments[]): COMPLETED -> SUCCESSFUL; a tripped
 * circuit breaker or alarm with rollback -> ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL when the rollback
 * deployment completes; without rollback -> STOPPED. Blue/green-family records are driven by blue-green.ts.
 */
import type { DeploymentRecord, EmulatorContext, ServiceRecord } from '../context';
import { deepClone } from '../clone';
import { startBlueGreen, supersedeBlueGreen } from './blue-green';
import { tasksOf } from './deployments';
import { circuitBreakerThreshold, initialAlarmStatus } from './failure-detection';
import {
  DEPLOYMENT_STRATEGIES, FINISHED_STATUSES, type DeploymentStrategyName, type ServiceDeploymentRecord, type ServiceDeploymentStatus,
  type ServiceRevisionRecord,
} from './service-deployment-types';

export function strategyOf(service: ServiceRecord): DeploymentStrategyName {
  const strategy = service.deploymentConfiguration.strategy ?? 'ROLLING';
  return DEPLOYMENT_STRATEGIES.includes(strategy) ? strategy : 'ROLLING';
}

export const isFinished = (record: ServiceDeploymentRecord): boolean => FINISHED_STATUSES.includes(record.status);

/** "arn:aws:ecs:region:account:service-deployment/cluster/service/id". */
function serviceDeploymentArn(ctx: EmulatorContext, service: ServiceRecord, id: string): string {
  const clusterName = service.clusterArn.split(':cluster/')[1] ?? 'default';
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service-deployment/${clusterName}/${service.name}/${id}`;
}

const revisionOf = (ctx: EmulatorContext, deployment: DeploymentRecord, requestedTaskCount: number): ServiceRevisionRecord => ({
  arn: deployment.revisionArn, taskDefinitionArn: deployment.taskDefinitionArn, deploymentId: deployment.id, requestedTaskCount,
});

const liveTaskCount = (ctx: EmulatorContext, deployment: DeploymentRecord): number => tasksOf(ctx, deployment).filter((task) => !task.stopping).length;

/** Ends a service deployment in `status` (a Completed one). */
export function finishServiceDeployment(ctx: EmulatorContext, record: ServiceDeploymentRecord, status: ServiceDeploymentStatus, reason?: string): void {
  record.status = status;
  if (reason !== undefined) record.statusReason = reason;
  record.finishedAt = ctx.simulatedUntil;
  if (status === 'STOPPED') record.stoppedAt = ctx.simulatedUntil;
  record.updatedAt = ctx.simulatedUntil;
  if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
  if (record.circuitBreaker.status === 'MONITORING') record.circuitBreaker.status = 'MONITORING_COMPLETE';
}

/** A newer deployment replaces one still in progress. */
function supersede(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord): void {
  if (record.blueGreen) supersedeBlueGreen(ctx, service, record);
  finishServiceDeployment(ctx, record, 'STOPPED', 'Service deployment stopped: a newer service deployment replaced it.');
}

/**
 * The service deployment of a new ECS deployment (`deployment`, already PRIMARY): its source revisions are the older
 * deployments that still run tasks. A blue/green-family one starts its traffic lanes (blue-green.ts).
 */
export function beginServiceDeployment(ctx: EmulatorContext, service: ServiceRecord, deployment: DeploymentRecord): ServiceDeploymentRecord {
  for (const record of service.serviceDeployments) if (!isFinished(record)) supersede(ctx, service, record);
  // the id is derived from the ECS deployment's number (deterministic, and no extra draw on the shared counter)
  const id = Number(deployment.id.replace('ecs-svc/', '')).toString(36).padStart(22, '0');
  const configuration = service.deploymentConfiguration;
  const sources = service.deployments.filter((candidate) => candidate !== deployment && liveTaskCount(ctx, candidate) > 0);
  const record: ServiceDeploymentRecord = {
    id, arn: serviceDeploymentArn(ctx, service, id), serviceArn: service.arn, clusterArn: service.clusterArn, strategy: strategyOf(service),
    createdAt: ctx.simulatedUntil, startedAt: ctx.simulatedUntil, updatedAt: ctx.simulatedUntil, status: 'IN_PROGRESS',
    target: revisionOf(ctx, deployment, deployment.desiredCount),
    sources: sources.map((source) => revisionOf(ctx, source, liveTaskCount(ctx, source))),
    deploymentConfiguration: deepClone(configuration),
    alarms: { status: initialAlarmStatus(ctx, configuration), alarmNames: [...(configuration.alarms?.alarmNames ?? [])], triggeredAlarmNames: [] },
    circuitBreaker: {
      status: configuration.deploymentCircuitBreaker?.enable === true ? 'MONITORING' : 'DISABLED', threshold: circuitBreakerThreshold(deployment.desiredCount),
    },
  };
  deployment.serviceDeploymentId = id;
  service.serviceDeployments.unshift(record);
  if (record.strategy !== 'ROLLING') startBlueGreen(ctx, service, record, deployment);
  else if (service.liveTargetGroups) {
    // a rolling deployment after blue/green ones registers in the groups serving (supersede may just have changed them)
    deployment.targetGroupArns = service.loadBalancers.map((loadBalancer, index) => service.liveTargetGroups?.[index] ?? loadBalancer.targetGroupArn ?? '');
  }
  return record;
}

export function serviceDeploymentOf(service: ServiceRecord, deployment: DeploymentRecord | undefined): ServiceDeploymentRecord | undefined {
  return deployment?.serviceDeploymentId === undefined ? undefined : service.serviceDeployments.find((record) => record.id === deployment.serviceDeploymentId);
}

/**
 * A rolling deployment failed (circuit breaker or alarm): with a rollback it continues as ROLLBACK_IN_PROGRESS while
 * ECS deploys `rollback` (the revision of the last completed deployment); without one it is STOPPED.
 */
export function rollingDeploymentFailed(ctx: EmulatorContext, service: ServiceRecord, failed: DeploymentRecord, reason: string, rollback?: DeploymentRecord): void {
  const record = serviceDeploymentOf(service, failed);
  if (!record || isFinished(record)) return;
  record.updatedAt = ctx.simulatedUntil;
  if (record.status === 'ROLLBACK_IN_PROGRESS') {
    finishServiceDeployment(ctx, record, 'ROLLBACK_FAILED', reason);
    return;
  }
  if (!rollback) {
    finishServiceDeployment(ctx, record, 'STOPPED', reason);
    return;
  }
  record.status = 'ROLLBACK_IN_PROGRESS';
  record.statusReason = reason;
  record.rollback = { reason, startedAt: ctx.simulatedUntil, serviceRevisionArn: rollback.revisionArn };
  record.rollbackDeploymentId = rollback.id;
  rollback.serviceDeploymentId = record.id;
}

/**
 * Brings the records of rolling deployments up to date with their ECS deployments; DeleteService stops any deployment
 * still going (blue/green ones included: the service is then drained like any other).
 */
export function syncRollingServiceDeployments(ctx: EmulatorContext, service: ServiceRecord): void {
  for (const record of service.serviceDeployments) {
    if (isFinished(record)) continue;
    if (service.status !== 'ACTIVE') {
      finishServiceDeployment(ctx, record, 'STOPPED', 'Service deployment stopped: the service is being deleted.');
      continue;
    }
    if (record.strategy !== 'ROLLING') continue;
    const byId = (id: string | undefined) => service.deployments.find((deployment) => deployment.id === id);
    if (record.rollbackDeploymentId !== undefined) {
      const rollback = byId(record.rollbackDeploymentId);
      if (rollback?.rolloutState === 'COMPLETED') finishServiceDeployment(ctx, record, 'ROLLBACK_SUCCESSFUL');
      else if (rollback?.rolloutState === 'FAILED') finishServiceDeployment(ctx, record, 'ROLLBACK_FAILED', rollback.rolloutStateReason);
      continue;
    }
    const target = byId(record.target.deploymentId);
    if (target?.rolloutState === 'COMPLETED') finishServiceDeployment(ctx, record, 'SUCCESSFUL', 'Service deployment completed successfully.');
  }
}
