/** ECS clusters and task definitions (family:revision). */
import { deepClone } from '../clone';
import type {
  Cluster, ListTaskDefinitionsCommandInput, RegisterTaskDefinitionCommandInput, TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { EmulatorContext, TaskDefinitionRecord } from '../context';
import { ecsError } from '../errors';

const FAMILY_PATTERN = /^[a-zA-Z0-9_-]{1,255}$/;

export function clusterArn(ctx: EmulatorContext, name: string): string {
  return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}`;
}

function toSdkCluster(ctx: EmulatorContext, name: string): Cluster {
  const activeServices = [...ctx.services.values()].filter((service) => service.clusterArn === clusterArn(ctx, name) && service.status === 'ACTIVE');
  const tasks = ctx.tasks.filter((task) => task.clusterArn === clusterArn(ctx, name));
  return {
    clusterArn: clusterArn(ctx, name), clusterName: name, status: 'ACTIVE', registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((task) => task.status === 'RUNNING').length, pendingTasksCount: tasks.filter((task) => task.status === 'PENDING').length,
    activeServicesCount: activeServices.length,
  };
}

/** Accepts a cluster name or ARN; the default cluster is called 'default'. */
export function clusterName(reference: string | undefined): string {
  return (reference ?? 'default').split(':cluster/').pop() ?? 'default';
}

export function requireCluster(ctx: EmulatorContext, reference: string | undefined): { arn: string; name: string } {
  const cluster = ctx.clusters.get(clusterName(reference));
  if (!cluster) throw ecsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

export function createCluster(ctx: EmulatorContext, name = 'default'): { cluster: Cluster } {
  if (!ctx.clusters.has(name)) ctx.clusters.set(name, { arn: clusterArn(ctx, name), name });
  return { cluster: toSdkCluster(ctx, name) };
}

export function describeClusters(ctx: EmulatorContext, references: string[] | undefined): { clusters: Cluster[]; failures: Array<{ arn: string; reason: string }> } {
  const clusters: Cluster[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const reference of references ?? ['default']) {
    const name = clusterName(reference);
    if (ctx.clusters.has(name)) clusters.push(toSdkCluster(ctx, name));
    else failures.push({ arn: clusterArn(ctx, name), reason: 'MISSING' });
  }
  return { clusters, failures };
}

export function toSdkTaskDefinition(record: TaskDefinitionRecord): TaskDefinition {
  const { tags: _tags, ...input } = record.input;
  return {
    ...deepClone(input), taskDefinitionArn: record.arn, family: record.family, revision: record.revision, status: record.status,
    registeredAt: new Date(record.registeredAt), compatibilities: ['EC2', ...(input.requiresCompatibilities?.includes('FARGATE') === true ? ['FARGATE' as const] : [])],
  };
}

export function registerTaskDefinition(ctx: EmulatorContext, input: RegisterTaskDefinitionCommandInput): { taskDefinition: TaskDefinition } {
  const family = input.family ?? '';
  if (!FAMILY_PATTERN.test(family)) throw ecsError('ClientException', `Family '${family}' contains invalid characters or is too long.`);
  const containers = input.containerDefinitions ?? [];
  if (containers.length === 0) throw ecsError('ClientException', 'Container list cannot be empty.');
  for (const container of containers) {
    if (input.memory === undefined && container.memory === undefined && container.memoryReservation === undefined) {
      throw ecsError('ClientException', `Invalid setting for container '${String(container.name)}'. At least one of 'memory' or 'memoryReservation' must be specified.`);
    }
  }
  const revision = [...ctx.taskDefinitions.values()].filter((record) => record.family === family).length + 1;
  const record: TaskDefinitionRecord = {
    arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}:${revision}`, family, revision, status: 'ACTIVE',
    registeredAt: ctx.simulatedUntil, input: deepClone(input),
  };
  ctx.taskDefinitions.set(record.arn, record);
  return { taskDefinition: toSdkTaskDefinition(record) };
}

/** Resolves 'family', 'family:revision' or a full ARN; a bare family means its latest ACTIVE revision. */
export function findTaskDefinition(ctx: EmulatorContext, reference: string | undefined): TaskDefinitionRecord | undefined {
  if (reference === undefined) return undefined;
  const short = reference.split(':task-definition/').pop() ?? reference;
  const [family, revision] = short.split(':');
  const candidates = [...ctx.taskDefinitions.values()].filter((record) => record.family === family);
  if (revision !== undefined) return candidates.find((record) => String(record.revision) === revision);
  return candidates.filter((record) => record.status === 'ACTIVE').pop();
}

export function describeTaskDefinition(ctx: EmulatorContext, reference: string | undefined): { taskDefinition: TaskDefinition; tags: [] } {
  const record = findTaskDefinition(ctx, reference);
  if (!record) throw ecsError('ClientException', 'Unable to describe task definition.');
  return { taskDefinition: toSdkTaskDefinition(record), tags: [] };
}

export function listTaskDefinitions(ctx: EmulatorContext, input: ListTaskDefinitionsCommandInput): { taskDefinitionArns: string[] } {
  const status = input.status ?? 'ACTIVE';
  const records = [...ctx.taskDefinitions.values()]
    .filter((record) => record.status === status && (input.familyPrefix === undefined || record.family === input.familyPrefix))
    .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision);
  if (input.sort === 'DESC') records.reverse();
  return { taskDefinitionArns: records.map((record) => record.arn) };
}

export function deregisterTaskDefinition(ctx: EmulatorContext, reference: string | undefined): { taskDefinition: TaskDefinition } {
  const record = reference?.includes(':') === true ? findTaskDefinition(ctx, reference) : undefined;
  if (!record) throw ecsError('ClientException', 'The specified task definition does not exist.');
  record.status = 'INACTIVE';
  return { taskDefinition: toSdkTaskDefinition(record) };
}
