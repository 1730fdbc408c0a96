/** The Service object DescribeServices / CreateService / UpdateService return. */
import { deepClone } from '../clone';
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { DeploymentRecord, EmulatorContext, ServiceRecord } from '../context';
import { tasksOf } from '../runtime/deployments';

// DescribeServices returns recent events; the pipeline trims them anyway (Step Functions 256 KiB payload limit).
const EVENTS_RETURNED = 10;

function counts(ctx: EmulatorContext, deployment: DeploymentRecord): { runningCount: number; pendingCount: number } {
  const tasks = tasksOf(ctx, deployment);
  // A task ECS is stopping is DEACTIVATING while its targets drain, no longer RUNNING: runningCount drops at
  // once; only the target group still shows it ('draining') until the deregistration delay is over.
  return {
    runningCount: tasks.filter((task) => task.status === 'RUNNING' && !task.stopping).length,
    pendingCount: tasks.filter((task) => task.status === 'PENDING').length,
  };
}

function toSdkDeployment(ctx: EmulatorContext, service: ServiceRecord, deployment: DeploymentRecord): Deployment {
  return {
    id: deployment.id, status: deployment.status, taskDefinition: deployment.taskDefinitionArn, desiredCount: deployment.desiredCount,
    ...counts(ctx, deployment), failedTasks: deployment.failedTasks, createdAt: new Date(deployment.createdAt), updatedAt: new Date(deployment.updatedAt),
    launchType: service.launchType, networkConfiguration: deepClone(service.networkConfiguration),
    rolloutState: deployment.rolloutState, rolloutStateReason: deployment.rolloutStateReason,
  };
}

export function toSdkService(ctx: EmulatorContext, service: ServiceRecord): Service {
  const deployments = service.deployments.map((deployment) => toSdkDeployment(ctx, service, deployment));
  return {
    serviceArn: service.arn, serviceName: service.name, clusterArn: service.clusterArn, loadBalancers: deepClone(service.loadBalancers),
    status: service.status, desiredCount: service.desiredCount,
    runningCount: deployments.reduce((sum, deployment) => sum + (deployment.runningCount ?? 0), 0),
    pendingCount: deployments.reduce((sum, deployment) => sum + (deployment.pendingCount ?? 0), 0),
    launchType: service.launchType, taskDefinition: service.taskDefinitionArn, deploymentConfiguration: deepClone(service.deploymentConfiguration),
    deployments, events: service.events.slice(0, EVENTS_RETURNED).map((event) => ({ id: event.id, createdAt: new Date(event.createdAt), message: event.message })),
    createdAt: new Date(service.createdAt), networkConfiguration: deepClone(service.networkConfiguration), schedulingStrategy: 'REPLICA',
    ...(service.healthCheckGracePeriodSeconds === undefined ? {} : { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }),
    deploymentController: { type: 'ECS' },
    // Service.currentServiceDeployment: "The ARN of the current service deployment" (DescribeServiceDeployments)
    ...(service.serviceDeployments[0] ? { currentServiceDeployment: service.serviceDeployments[0].arn } : {}),
  };
}
