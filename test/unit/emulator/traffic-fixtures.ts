/** Set-up for traffic tests: the tutorial's listener, a posts group next to the monolith's, and a metrics reader. */
import { GetMetricDataCommand, type CloudWatchClient, type Dimension } from '@aws-sdk/client-cloudwatch';
import { CreateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateRuleCommand, RegisterTargetsCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { albWithListener, clusterWithTaskDefinitions, createTargetGroup } from './fixtures';

export const MINUTE = 60_000;
/** The emulator's manual clock starts at 09:00:00Z; the fixtures start traffic a minute later. */
export const T0 = Date.parse('2026-11-26T09:01:00Z');

export const dimensionOf = {
  loadBalancer: (arn: string): string => arn.split(':loadbalancer/')[1] ?? '',
  targetGroup: (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1),
};

export function weighted(monolithArn: string, monolithWeight: number, postsArn: string, postsWeight: number): Action[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithArn, Weight: monolithWeight }, { TargetGroupArn: postsArn, Weight: postsWeight }] } }];
}

/**
 * An ALB whose listener sends /api/posts* by `actions` (default: all to the monolith), a monolith group and a posts
 * group; `targets` registers plain targets in each (no task behind them: they answer normally).
 */
export async function postsBehindListener(options: { actions?: (monolithArn: string, postsArn: string) => Action[]; monolithTargets?: number; postsTargets?: number } = {}) {
  const alb = await albWithListener();
  const postsArn = await createTargetGroup(alb.emulator, alb.vpcId, 'posts');
  const actions = options.actions?.(alb.monolithTargetGroupArn, postsArn) ?? [{ Type: 'forward', TargetGroupArn: alb.monolithTargetGroupArn }];
  const { Rules } = await alb.clients.elbv2.send(new CreateRuleCommand({
    ListenerArn: alb.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }], Actions: actions,
  }));
  const register = async (targetGroupArn: string, count: number, prefix: string) => {
    if (count === 0) return;
    const targets = Array.from({ length: count }, (_, index) => ({ Id: `i-0${prefix}${String(index).padStart(15, '0')}`, Port: 80 }));
    await alb.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: targets }));
  };
  await register(alb.monolithTargetGroupArn, options.monolithTargets ?? 2, 'a');
  await register(postsArn, options.postsTargets ?? 2, 'b');
  alb.emulator.advance(T0 - Date.parse('2026-11-26T09:00:00Z'));
  return { ...alb, postsArn, ruleArn: Rules?.[0]?.RuleArn ?? '' };
}

/** An ECS service `posts` whose tasks run `image` and register in the posts group; returns once they are healthy. */
export async function postsServiceRunning(setup: Awaited<ReturnType<typeof postsBehindListener>>, image: string, desiredCount = 2): Promise<void> {
  const [taskDefinitionArn] = await clusterWithTaskDefinitions(setup.emulator, [image]);
  await setup.clients.ecs.send(new CreateServiceCommand({
    cluster: 'demo', serviceName: 'posts', taskDefinition: taskDefinitionArn, desiredCount,
    loadBalancers: [{ targetGroupArn: setup.postsArn, containerName: 'posts', containerPort: 3000 }],
  }));
}

export function groupDimensions(loadBalancerArn: string, targetGroupArn: string): Dimension[] {
  return [{ Name: 'TargetGroup', Value: dimensionOf.targetGroup(targetGroupArn) }, { Name: 'LoadBalancer', Value: dimensionOf.loadBalancer(loadBalancerArn) }];
}

/** One statistic per 60 s period in [start, end), oldest first, as a gate reads it (GetMetricData, MetricStat). */
export async function perMinute(cloudwatch: CloudWatchClient, metricName: string, dimensions: Dimension[], stat: string, start = T0, end = start + MINUTE) {
  const { MetricDataResults = [] } = await cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(start), EndTime: new Date(end), ScanBy: 'TimestampAscending',
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: dimensions }, Period: 60, Stat: stat } }],
  }));
  const [result] = MetricDataResults;
  return (result?.Timestamps ?? []).map((timestamp, index) => ({ minute: timestamp.toISOString().slice(11, 16), value: result?.Values?.[index] }));
}
