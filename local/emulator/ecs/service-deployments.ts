/**
 * DescribeServiceDeployments and ListServiceDeployments (API reference). DescribeServiceDeployments takes at most 20
 * ARNs ("You can specify a maximum of 20 ARNs"); one it does not know is a failure with reason MISSING (as for a
 * deployment older than service revisions). ListServiceDeployments takes the service (name or ARN, required), the
 * cluster (default "default"), an optional status filter and createdAt {before, after}, and pages by maxResults
 * (1-100, "If this parameter isn't used, then ListServiceDeployments returns up to 20 results") and nextToken.
 * Unknown clusters and services answer ClusterNotFoundException / ServiceNotFoundException (the operation's errors).
 *
 * Chosen here (undocumented): newest first; nextToken is the offset; a deleted (INACTIVE) service's deployments are
 * gone ("When you delete the service, Amazon ECS deletes the corresponding service deployments"); lifecycleStage is
 * answered for blue/green-family deployments only; traffic weights of revisions only for those too.
 */
import type {
  StopServiceDeploymentCommandInput,
  DescribeServiceDeploymentsCommandInput, ListServiceDeploymentsCommandInput, ServiceDeployment, ServiceDeploymentBrief, ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import { deepClone } from '../clone';
import type { EmulatorContext, ServiceRecord } from '../context';
import { ecsError } from '../errors';
import { tasksOf } from '../runtime/deployments';
import type { ServiceDeploymentRecord, ServiceRevisionRecord } from '../runtime/service-deployment-types';
import { findService } from './services';
import { requestBlueGreenRollback } from '../runtime/blue-green';

const MAX_DESCRIBE = 20;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 100;

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

function counts(ctx: EmulatorContext, service: ServiceRecord, revision: ServiceRevisionRecord): { runningTaskCount: number; pendingTaskCount: number } {
  const deployment = service.deployments.find((candidate) => candidate.id === revision.deploymentId);
  const tasks = deployment ? tasksOf(ctx, deployment).filter((task) => !task.stopping) : [];
  return { runningTaskCount: tasks.filter((task) => task.status === 'RUNNING').length, pendingTaskCount: tasks.filter((task) => task.status === 'PENDING').length };
}

function revisionSummary(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord, revision: ServiceRevisionRecord, isTarget: boolean): ServiceRevisionSummary {
  const progress = record.blueGreen;
  const weight = (percent: number): number => (isTarget ? percent : 100 - percent);
  return {
    arn: revision.arn, requestedTaskCount: revision.requestedTaskCount, ...counts(ctx, service, revision),
    ...(progress ? { requestedProductionTrafficWeight: weight(progress.greenPercent), requestedTestTrafficWeight: weight(progress.testPercent) } : {}),
  };
}

function failureCount(service: ServiceRecord, record: ServiceDeploymentRecord): number {
  return service.deployments.find((deployment) => deployment.id === record.target.deploymentId)?.failedTasks ?? 0;
}

export function toSdkServiceDeployment(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord): ServiceDeployment {
  return {
    serviceDeploymentArn: record.arn, serviceArn: record.serviceArn, clusterArn: record.clusterArn,
    createdAt: new Date(record.createdAt), startedAt: date(record.startedAt), finishedAt: date(record.finishedAt), stoppedAt: date(record.stoppedAt),
    updatedAt: new Date(record.updatedAt),
    sourceServiceRevisions: record.sources.map((source) => revisionSummary(ctx, service, record, source, false)),
    targetServiceRevision: revisionSummary(ctx, service, record, record.target, true),
    status: record.status, statusReason: record.statusReason,
    ...(record.blueGreen && record.lifecycleStage ? { lifecycleStage: record.lifecycleStage } : {}),
    deploymentConfiguration: deepClone(record.deploymentConfiguration),
    ...(record.rollback ? { rollback: { reason: record.rollback.reason, startedAt: new Date(record.rollback.startedAt), serviceRevisionArn: record.rollback.serviceRevisionArn } } : {}),
    deploymentCircuitBreaker: { status: record.circuitBreaker.status, failureCount: failureCount(service, record), threshold: record.circuitBreaker.threshold },
    alarms: { status: record.alarms.status, alarmNames: [...record.alarms.alarmNames], triggeredAlarmNames: [...record.alarms.triggeredAlarmNames] },
  };
}

function toBrief(record: ServiceDeploymentRecord): ServiceDeploymentBrief {
  return {
    serviceDeploymentArn: record.arn, serviceArn: record.serviceArn, clusterArn: record.clusterArn, createdAt: new Date(record.createdAt),
    startedAt: date(record.startedAt), finishedAt: date(record.finishedAt), targetServiceRevisionArn: record.target.arn, status: record.status,
    statusReason: record.statusReason,
  };
}

function liveServices(ctx: EmulatorContext): ServiceRecord[] {
  return [...ctx.services.values()].filter((service) => service.status !== 'INACTIVE');
}

export function describeServiceDeployments(ctx: EmulatorContext, input: DescribeServiceDeploymentsCommandInput): { serviceDeployments: ServiceDeployment[]; failures: Array<{ arn: string; reason: string }> } {
  const arns = input.serviceDeploymentArns ?? [];
  if (arns.length === 0 || arns.length > MAX_DESCRIBE) throw ecsError('InvalidParameterException', `serviceDeploymentArns must contain between 1 and ${MAX_DESCRIBE} items.`);
  const serviceDeployments: ServiceDeployment[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const arn of arns) {
    const service = liveServices(ctx).find((candidate) => candidate.serviceDeployments.some((record) => record.arn === arn));
    const record = service?.serviceDeployments.find((candidate) => candidate.arn === arn);
    if (service && record) serviceDeployments.push(toSdkServiceDeployment(ctx, service, record));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { serviceDeployments, failures };
}

export function listServiceDeployments(ctx: EmulatorContext, input: ListServiceDeploymentsCommandInput): { serviceDeployments: ServiceDeploymentBrief[]; nextToken?: string } {
  if (input.service === undefined || input.service === '') throw ecsError('InvalidParameterException', 'service must be specified.');
  const service = findService(ctx, input.cluster, input.service);
  if (!service || service.status === 'INACTIVE') throw ecsError('ServiceNotFoundException', 'Service not found.');
  const maxResults = input.maxResults ?? DEFAULT_PAGE;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE) throw ecsError('InvalidParameterException', `maxResults must be between 1 and ${MAX_PAGE}.`);
  const before = input.createdAt?.before?.getTime();
  const after = input.createdAt?.after?.getTime();
  const matching = service.serviceDeployments.filter((record) => (input.status === undefined || input.status.length === 0 || input.status.includes(record.status))
    && (before === undefined || record.createdAt < before) && (after === undefined || record.createdAt > after));
  const offset = input.nextToken === undefined ? 0 : Number(input.nextToken);
  if (!Number.isInteger(offset) || offset < 0) throw ecsError('InvalidParameterException', 'Invalid nextToken.');
  const page = matching.slice(offset, offset + maxResults);
  const nextOffset = offset + page.length;
  return { serviceDeployments: page.map(toBrief), ...(nextOffset < matching.length ? { nextToken: String(nextOffset) } : {}) };
}

/**
 * StopServiceDeployment (API reference): ROLLBACK of a blue/green-family deployment in progress (runtime/blue-green.ts).
 * A deployment already finished answers ConflictException (one of the operation's documented errors; the message is
 * the emulator's). ABORT and rolling deployments are not implemented: the pipeline never asks for them.
 */
export function stopServiceDeployment(ctx: EmulatorContext, input: StopServiceDeploymentCommandInput): { serviceDeploymentArn: string } {
  const arn = input.serviceDeploymentArn ?? '';
  const stopType = input.stopType ?? 'ROLLBACK';
  const service = liveServices(ctx).find((candidate) => candidate.serviceDeployments.some((record) => record.arn === arn));
  const record = service?.serviceDeployments.find((candidate) => candidate.arn === arn);
  if (!service || !record) throw ecsError('ServiceDeploymentNotFoundException', `Service deployment ${arn} not found.`);
  if (stopType !== 'ROLLBACK') throw new Error(`emulator does not implement StopServiceDeployment stopType ${stopType}`);
  if (!record.blueGreen) throw new Error('emulator implements StopServiceDeployment for blue/green, canary and linear deployments only');
  if (!requestBlueGreenRollback(ctx, service, record)) throw ecsError('ConflictException', `Service deployment ${arn} is ${record.status} and cannot be stopped.`);
  return { serviceDeploymentArn: arn };
}
