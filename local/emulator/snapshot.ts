/** A plain, JSON-able deep copy of the emulator's state for assertions and the CLI. */
import { unmarshallLoose } from './dynamodb/plain';
import type { EmulatorContext } from './context';
import { loadBalancersByTargetGroup } from './elbv2/actions';
import { tasksOf } from './runtime/deployments';
import type { EmulatorState } from './types';

export function snapshot(ctx: EmulatorContext): EmulatorState {
  const associations = loadBalancersByTargetGroup(ctx);
  const state: EmulatorState = {
    now: new Date(ctx.simulatedUntil).toISOString(),
    loadBalancers: [...ctx.loadBalancers.values()].map(({ arn, name, dnsName, vpcId }) => ({ arn, name, dnsName, vpcId })),
    listeners: [...ctx.listeners.values()].map(({ arn, loadBalancerArn, port, protocol, defaultActions }) => ({ arn, loadBalancerArn, port, protocol, defaultActions })),
    rules: [...ctx.rules.values()].sort((a, b) => a.priority - b.priority).map(({ arn, listenerArn, priority, conditions, actions }) => ({ arn, listenerArn, priority, conditions, actions })),
    targetGroups: [...ctx.targetGroups.values()].map((group) => ({
      arn: group.arn, name: group.name, port: group.port, protocol: group.protocol, vpcId: group.vpcId, targetType: group.targetType,
      loadBalancerArns: [...(associations.get(group.arn) ?? [])],
      healthCheck: {
        path: group.healthCheck.path, intervalSeconds: group.healthCheck.intervalSeconds, timeoutSeconds: group.healthCheck.timeoutSeconds,
        healthyThreshold: group.healthCheck.healthyThreshold, unhealthyThreshold: group.healthCheck.unhealthyThreshold, matcher: group.healthCheck.matcher,
      },
      attributes: group.attributes,
      targets: group.targets.map(({ id, port, state }) => ({ id, port, state })),
    })),
    clusters: [...ctx.clusters.values()],
    services: [...ctx.services.values()].map((service) => {
      const deployments = service.deployments.map((deployment) => {
        const tasks = tasksOf(ctx, deployment);
        return {
          id: deployment.id, status: deployment.status, taskDefinition: deployment.taskDefinitionArn, desiredCount: deployment.desiredCount,
          runningCount: tasks.filter((task) => task.status === 'RUNNING').length, pendingCount: tasks.filter((task) => task.status === 'PENDING').length,
          failedTasks: deployment.failedTasks, rolloutState: deployment.rolloutState, rolloutStateReason: deployment.rolloutStateReason,
        };
      });
      return {
        arn: service.arn, name: service.name, clusterArn: service.clusterArn, status: service.status, taskDefinition: service.taskDefinitionArn,
        desiredCount: service.desiredCount, runningCount: deployments.reduce((sum, deployment) => sum + deployment.runningCount, 0),
        pendingCount: deployments.reduce((sum, deployment) => sum + deployment.pendingCount, 0),
        targetGroupArns: service.loadBalancers.map((loadBalancer) => loadBalancer.targetGroupArn ?? ''), deployments,
      };
    }),
    taskDefinitions: [...ctx.taskDefinitions.values()].map(({ arn, family, revision, status, input }) => ({
      arn, family, revision, status, images: (input.containerDefinitions ?? []).map((container) => container.image ?? ''),
    })),
    ecrImages: [...ctx.ecrRepositories].flatMap(([repository, repo]) => repo.images.map(({ digest, tags }) => ({ repository, digest, tags }))),
    dynamodbItems: Object.fromEntries([...ctx.tables].map(([name, table]) => [name, [...table.items.values()].map(unmarshallLoose)])),
  };
  return JSON.parse(JSON.stringify(state)) as EmulatorState;
}
