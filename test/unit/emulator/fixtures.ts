/** Shared set-up for emulator tests: an ALB with a listener, a target group, a cluster and a task definition. */
import { CreateClusterCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEmulator, type AwsEmulator, type EmulatorOptions } from '../../../local/emulator';

export async function albWithListener(options: EmulatorOptions = {}) {
  const emulator: AwsEmulator = createEmulator(options);
  const clients = emulator.clients();
  const vpcId = emulator.createVpc();
  const { LoadBalancers } = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'demo', Subnets: [emulator.createSubnet(vpcId)] }));
  const loadBalancerArn = LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const monolith = await createTargetGroup(emulator, vpcId, 'api');
  const { Listeners } = await clients.elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: monolith }],
  }));
  return { emulator, clients, vpcId, loadBalancerArn, listenerArn: Listeners?.[0]?.ListenerArn ?? '', monolithTargetGroupArn: monolith };
}

/** The tutorial's target group settings: healthy 2, unhealthy 2, timeout 5 s, interval 6 s. */
export async function createTargetGroup(emulator: AwsEmulator, vpcId: string, name: string): Promise<string> {
  const { TargetGroups } = await emulator.clients().elbv2.send(new CreateTargetGroupCommand({
    Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpcId, HealthCheckPath: '/', HealthCheckIntervalSeconds: 6, HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
  }));
  return TargetGroups?.[0]?.TargetGroupArn ?? '';
}

export async function forwardRule(emulator: AwsEmulator, listenerArn: string, priority: number, path: string, targetGroupArn: string): Promise<string> {
  const { Rules } = await emulator.clients().elbv2.send(new CreateRuleCommand({
    ListenerArn: listenerArn, Priority: priority, Conditions: [{ Field: 'path-pattern', Values: [path] }],
    Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
  }));
  return Rules?.[0]?.RuleArn ?? '';
}

export async function clusterWithTaskDefinitions(emulator: AwsEmulator, images: string[]): Promise<string[]> {
  const { ecs } = emulator.clients();
  await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
  const arns: string[] = [];
  for (const image of images) {
    const { taskDefinition } = await ecs.send(new RegisterTaskDefinitionCommand({
      family: 'posts', networkMode: 'bridge',
      containerDefinitions: [{ name: 'posts', image, memory: 256, portMappings: [{ containerPort: 3000, hostPort: 0 }] }],
    }));
    arns.push(taskDefinition?.taskDefinitionArn ?? '');
  }
  return arns;
}

/** Resolves to the error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $fault?: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
