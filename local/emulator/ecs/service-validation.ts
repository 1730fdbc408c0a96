/** CreateService checks that depend on other resources: target groups, containers, network mode. */
import type { LoadBalancer, NetworkConfiguration } from '@aws-sdk/client-ecs';
import type { EmulatorContext } from '../context';
import { loadBalancersByTargetGroup } from '../elbv2/actions';
import { ecsError } from '../errors';

export function validateLoadBalancers(ctx: EmulatorContext, taskDefinitionArn: string, loadBalancers: LoadBalancer[], networkConfiguration: NetworkConfiguration | undefined): void {
  const taskDefinition = ctx.taskDefinitions.get(taskDefinitionArn)?.input;
  const awsvpc = taskDefinition?.networkMode === 'awsvpc';
  if (awsvpc && networkConfiguration?.awsvpcConfiguration === undefined) {
    throw ecsError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
  const associated = loadBalancersByTargetGroup(ctx);
  for (const loadBalancer of loadBalancers) {
    const arn = loadBalancer.targetGroupArn ?? '';
    const group = ctx.targetGroups.get(arn);
    if (!group) throw ecsError('InvalidParameterException', `Unable to describe target group ${arn}: target group not found.`);
    // AWS: CreateService fails until a listener action references the target group
    if (!associated.has(arn)) throw ecsError('InvalidParameterException', `The target group with targetGroupArn ${arn} does not have an associated load balancer.`);
    const container = taskDefinition?.containerDefinitions?.find((candidate) => candidate.name === loadBalancer.containerName);
    if (!container) throw ecsError('InvalidParameterException', `The container ${String(loadBalancer.containerName)} does not exist in the task definition.`);
    // blue/green: the alternate group receives the same tasks, so the same rule holds for it
    for (const candidate of [group, ctx.targetGroups.get(loadBalancer.advancedConfiguration?.alternateTargetGroupArn ?? '')]) {
      if (awsvpc && candidate && candidate.targetType !== 'ip') {
        throw ecsError('InvalidParameterException', `The provided target group ${candidate.arn} has target type ${candidate.targetType}, which is incompatible with the awsvpc network mode specified in the task definition.`);
      }
    }
  }
}
