/** Set-up for the health-timing and grace-period tests: a target group with chosen health check settings, in use. */
import { CreateServiceCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { albWithListener, clusterWithTaskDefinitions, forwardRule } from './fixtures';

export const GOOD = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:aaaa';
export const BAD = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:bbbb';

export interface HealthSettings {
  intervalSeconds?: number;
  timeoutSeconds?: number;
  healthyThreshold?: number;
  unhealthyThreshold?: number;
}

/** An ALB whose rule forwards /api/posts* to a `posts` group with these settings (default: the tutorial's 6 s / 5 s / 2 / 2). */
export async function groupInUse(settings: HealthSettings = {}) {
  const setup = await albWithListener();
  const { TargetGroups } = await setup.clients.elbv2.send(new CreateTargetGroupCommand({
    Name: 'posts', Protocol: 'HTTP', Port: 80, VpcId: setup.vpcId, HealthCheckPath: '/',
    HealthCheckIntervalSeconds: settings.intervalSeconds ?? 6, HealthCheckTimeoutSeconds: settings.timeoutSeconds ?? 5,
    HealthyThresholdCount: settings.healthyThreshold ?? 2, UnhealthyThresholdCount: settings.unhealthyThreshold ?? 2,
  }));
  const targetGroupArn = TargetGroups?.[0]?.TargetGroupArn ?? '';
  await forwardRule(setup.emulator, setup.listenerArn, 1, '/api/posts*', targetGroupArn);
  const health = async () => (await setup.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [];
  /** Each target as "state" or "state (reason)". */
  const states = async () => (await health()).map(({ TargetHealth }) => (TargetHealth?.Reason ? `${TargetHealth.State} (${TargetHealth.Reason})` : TargetHealth?.State));
  return { ...setup, targetGroupArn, health, states };
}

export interface ServiceOptions extends HealthSettings {
  image?: typeof GOOD | typeof BAD;
  gracePeriodSeconds?: number;
  breaker?: boolean;
  /** The image's application answers health checks only this long after its task starts. */
  slowStartSeconds?: number;
}

/** A `posts` service of one task behind that group (BAD never passes a check); tasks start 10 s after launch. */
export async function serviceInGroup(options: ServiceOptions) {
  const setup = await groupInUse(options);
  const image = options.image ?? GOOD;
  if (image === BAD) setup.emulator.markImageUnhealthy(BAD);
  if (options.slowStartSeconds !== undefined) setup.emulator.markImageSlowToStart(image, options.slowStartSeconds);
  const [good = '', bad = ''] = await clusterWithTaskDefinitions(setup.emulator, [GOOD, BAD]);
  await setup.clients.ecs.send(new CreateServiceCommand({
    cluster: 'demo', serviceName: 'posts', taskDefinition: image === BAD ? bad : good, desiredCount: 1,
    loadBalancers: [{ targetGroupArn: setup.targetGroupArn, containerName: 'posts', containerPort: 3000 }],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: options.breaker ?? true, rollback: true } },
    healthCheckGracePeriodSeconds: options.gracePeriodSeconds,
  }));
  const describe = async () => (await setup.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['posts'] }))).services?.[0];
  return { ...setup, good, bad, describe };
}
