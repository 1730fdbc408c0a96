/** The tutorial's resources, built the way the pipeline builds them (see aws-facts.md, "The job"). */
import { type Action, CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, type CreateTargetGroupCommandInput } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RegisterTaskDefinitionCommand, type CreateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { Backend } from './backends';

export const TUTORIAL_HEALTH_CHECK = {
  HealthCheckPath: '/',
  HealthyThresholdCount: 2,
  UnhealthyThresholdCount: 2,
  HealthCheckTimeoutSeconds: 5,
  HealthCheckIntervalSeconds: 6,
  Matcher: { HttpCode: '200' },
} as const;

export function targetGroupInput(name: string, vpcId: string, overrides: Partial<CreateTargetGroupCommandInput> = {}): CreateTargetGroupCommandInput {
  return { Name: name, Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance', ...TUTORIAL_HEALTH_CHECK, ...overrides };
}

export async function createTargetGroup(backend: Backend, name: string, vpcId: string): Promise<string> {
  const created = await backend.clients.elbv2.send(new CreateTargetGroupCommand(targetGroupInput(name, vpcId)));
  return required(created.TargetGroups?.[0]?.TargetGroupArn, 'TargetGroupArn');
}

export interface TutorialAlb {
  vpcId: string;
  loadBalancerArn: string;
  listenerArn: string;
  monolithTargetGroupArn: string;
}

/** VPC, ALB, the monolith's target group `api`, and listener :80 forwarding to it. */
export async function createTutorialAlb(backend: Backend): Promise<TutorialAlb> {
  const vpcId = await backend.createVpc();
  const subnetIds = await backend.createSubnets(vpcId);
  const alb = await backend.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'demo-alb', Subnets: subnetIds, Scheme: 'internet-facing', Type: 'application' }));
  const loadBalancerArn = required(alb.LoadBalancers?.[0]?.LoadBalancerArn, 'LoadBalancerArn');
  const monolithTargetGroupArn = await createTargetGroup(backend, 'api', vpcId);
  const listener = await backend.clients.elbv2.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: monolithTargetGroupArn }] }),
  );
  const listenerArn = required(listener.Listeners?.[0]?.ListenerArn, 'ListenerArn');
  return { vpcId, loadBalancerArn, listenerArn, monolithTargetGroupArn };
}

/** A Docker image manifest (schema 2) as `docker push` uploads it. */
export const POSTS_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1470, digest: `sha256:${'c'.repeat(64)}` },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 2811478, digest: `sha256:${'a'.repeat(64)}` }],
});

/** The tutorial's task definition: bridge networking, dynamic host port, 256 MiB hard limit. */
export async function registerTaskDefinition(backend: Backend, family: string, image: string): Promise<string> {
  const registered = await backend.clients.ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ name: family, image, memory: 256, essential: true, portMappings: [{ containerPort: 3000, hostPort: 0, protocol: 'tcp' }] }],
    }),
  );
  return required(registered.taskDefinition?.taskDefinitionArn, 'taskDefinitionArn');
}

export function apiServiceInput(taskDefinition: string, targetGroupArn: string): CreateServiceCommandInput {
  return {
    cluster: 'demo',
    serviceName: 'api',
    taskDefinition,
    desiredCount: 2,
    launchType: 'EC2',
    loadBalancers: [{ targetGroupArn, containerName: 'api', containerPort: 3000 }],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 50 },
  };
}

/**
 * ELBv2 action fields the pipeline reads. A forward to one group comes back as TargetGroupArn, as a
 * one-entry ForwardConfig, or both (AWS sends both, moto only the former): the pipeline reads
 * them as one list of weighted targets, and so does the comparison. Order and stickiness
 * defaults are presentation.
 */
export function actionFields({ Type, TargetGroupArn, ForwardConfig, FixedResponseConfig }: Action) {
  const forwardConfigTargets = ForwardConfig?.TargetGroups?.map(({ TargetGroupArn: arn, Weight }) => ({ TargetGroupArn: arn, Weight: Weight ?? 1 }));
  const forwardTo = forwardConfigTargets ?? (TargetGroupArn ? [{ TargetGroupArn, Weight: 1 }] : undefined);
  return { Type, forwardTo, FixedResponseConfig };
}

export function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`scenario: the response has no ${what}`);
  return value;
}
