/** ListTasks / DescribeTasks over the tasks the scheduler launched. */
import type { DescribeTasksCommandInput, ListTasksCommandInput, Task } from '@aws-sdk/client-ecs';
import type { EmulatorContext, TaskRecord } from '../context';
import { clusterName, requireCluster } from './task-definitions';

function toSdkTask(ctx: EmulatorContext, task: TaskRecord): Task {
  const service = ctx.services.get(task.serviceArn);
  return {
    taskArn: task.arn, clusterArn: task.clusterArn, taskDefinitionArn: task.taskDefinitionArn, lastStatus: task.status,
    desiredStatus: task.stopping ? 'STOPPED' : 'RUNNING', group: `service:${service?.name ?? ''}`, startedBy: task.deploymentId,
    createdAt: new Date(task.createdAt), startedAt: task.status === 'PENDING' ? undefined : new Date(task.startAt),
    stoppedAt: task.status === 'STOPPED' && task.stopAt !== undefined ? new Date(task.stopAt) : undefined, stoppedReason: task.stoppedReason,
    launchType: service?.launchType,
  };
}

export function listTasks(ctx: EmulatorContext, input: ListTasksCommandInput): { taskArns: string[] } {
  const cluster = requireCluster(ctx, input.cluster);
  const wanted = input.desiredStatus ?? 'RUNNING';
  const tasks = ctx.tasks.filter((task) => task.clusterArn === cluster.arn
    && (input.serviceName === undefined || ctx.services.get(task.serviceArn)?.name === input.serviceName)
    && (task.stopping || task.status === 'STOPPED' ? 'STOPPED' : 'RUNNING') === wanted);
  return { taskArns: tasks.map((task) => task.arn) };
}

export function describeTasks(ctx: EmulatorContext, input: DescribeTasksCommandInput): { tasks: Task[]; failures: Array<{ arn: string; reason: string }> } {
  requireCluster(ctx, input.cluster);
  const tasks: Task[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const reference of input.tasks ?? []) {
    const task = ctx.tasks.find((candidate) => candidate.arn === reference || candidate.id === reference);
    if (task) tasks.push(toSdkTask(ctx, task));
    else failures.push({ arn: reference.includes(':') ? reference : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${clusterName(input.cluster)}/${reference}`, reason: 'MISSING' });
  }
  return { tasks, failures };
}
