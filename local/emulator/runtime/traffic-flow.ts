/**
 * Where the simulated requests go right now, as rates per second (the state is constant between two runtime events,
 * so one flow serves a whole interval). Each stream is routed by the listener's own rules (route.ts: priority order,
 * path patterns, the routing action), a forward splits it by weight ("the load balancer does not automatically fail
 * over to a target group with healthy targets", ELB user guide, "Listener rules", forward actions), and a group
 * spreads its share evenly over its healthy targets. ELB user guide, "Health checks for your target groups": "If a
 * target group contains only unhealthy registered targets, the load balancer routes requests to all those targets,
 * regardless of their health status"; "Troubleshoot your Application Load Balancers", HTTP 503: "The target groups for
 * the load balancer have no registered targets".
 */
import type { EmulatorContext, TargetGroupRecord, TargetRecord } from '../context';
import { loadBalancersByTargetGroup } from '../elbv2/actions';
import { route } from '../route';
import type { RouteResult } from '../types';
import { taskDefinitionIsUnhealthy } from './images';
import { imageBehaviour, type TrafficState } from './traffic-state';

export interface GroupFlow {
  loadBalancer: string;
  targetGroup: string;
  requestsPerSecond: number;
  errorsPerSecond: number;
  /** target response time in ms -> requests per second answered in that time */
  latency: Map<number, number>;
}
export interface HealthSample {
  loadBalancer: string;
  targetGroup: string;
  healthy: number;
  unhealthy: number;
}
export interface Flow {
  /** by `${loadBalancer} ${targetGroup}` */
  groups: Map<string, GroupFlow>;
  /** responses the load balancer generates itself, by load balancer then metric name, per second */
  loadBalancers: Map<string, Map<string, number>>;
  health: Map<string, HealthSample>;
}

/** The dimension values: the final portion of the ARN (ELB user guide, "Metric dimensions for Application Load Balancers"). */
export const loadBalancerDimension = (arn: string): string => arn.split(':loadbalancer/')[1] ?? arn;
export const targetGroupDimension = (arn: string): string => arn.slice(arn.lastIndexOf(':') + 1);

interface TaskBehaviour {
  errorRate: number;
  latencyMs: number;
}

function addElb(flow: Flow, loadBalancer: string, metrics: readonly string[], perSecond: number): void {
  const counts = flow.loadBalancers.get(loadBalancer) ?? new Map<string, number>();
  for (const metric of metrics) counts.set(metric, (counts.get(metric) ?? 0) + perSecond);
  flow.loadBalancers.set(loadBalancer, counts);
}

/** HTTPCode_ELB_5XX_Count and, for the codes ALB has a metric of its own, HTTPCode_ELB_<code>_Count. */
function elbStatusMetrics(status: number): string[] {
  const family = `HTTPCode_ELB_${Math.floor(status / 100)}XX_Count`;
  return [500, 502, 503, 504].includes(status) ? [family, `HTTPCode_ELB_${status}_Count`] : status >= 300 ? [family] : [];
}

export class FlowBuilder {
  private readonly flow: Flow = { groups: new Map(), loadBalancers: new Map(), health: new Map() };
  private readonly tasks: Map<string, { taskDefinitionArn: string }>;
  private readonly behaviours = new Map<string, TaskBehaviour>();

  constructor(private readonly ctx: EmulatorContext, private readonly state: TrafficState) {
    this.tasks = new Map(ctx.tasks.map((task) => [task.id, task]));
  }

  build(): Flow {
    for (const stream of this.state.streams) {
      const listener = this.ctx.listeners.get(stream.listenerArn);
      if (!listener) continue;
      this.routeStream(loadBalancerDimension(listener.loadBalancerArn), route(this.ctx, stream.listenerArn, stream.path), stream.requestsPerSecond);
    }
    this.sampleHealth();
    return this.flow;
  }

  private routeStream(loadBalancer: string, result: RouteResult, perSecond: number): void {
    if (result.kind === 'fixed-response') {
      addElb(this.flow, loadBalancer, ['HTTP_Fixed_Response_Count', ...elbStatusMetrics(result.statusCode)], perSecond);
      return;
    }
    if (result.kind === 'redirect') {
      addElb(this.flow, loadBalancer, ['HTTP_Redirect_Count', 'HTTPCode_ELB_3XX_Count'], perSecond);
      return;
    }
    const totalWeight = result.targetGroups.reduce((sum, group) => sum + group.weight, 0);
    if (totalWeight === 0) {
      addElb(this.flow, loadBalancer, elbStatusMetrics(503), perSecond);
      return;
    }
    for (const { arn, weight } of result.targetGroups) {
      const group = this.ctx.targetGroups.get(arn);
      if (group && weight > 0) this.serveGroup(loadBalancer, group, (perSecond * weight) / totalWeight);
    }
  }

  private serveGroup(loadBalancer: string, group: TargetGroupRecord, perSecond: number): void {
    const registered = group.targets.filter((target) => target.state !== 'draining');
    const healthy = registered.filter((target) => target.state === 'healthy');
    const serving = healthy.length > 0 ? healthy : registered;
    if (serving.length === 0) {
      addElb(this.flow, loadBalancer, elbStatusMetrics(503), perSecond);
      return;
    }
    const key = `${loadBalancer} ${group.arn}`;
    const groupFlow = this.flow.groups.get(key) ?? { loadBalancer, targetGroup: targetGroupDimension(group.arn), requestsPerSecond: 0, errorsPerSecond: 0, latency: new Map() };
    this.flow.groups.set(key, groupFlow);
    const perTarget = perSecond / serving.length;
    for (const target of serving) {
      const behaviour = this.behaviourOf(target);
      groupFlow.requestsPerSecond += perTarget;
      groupFlow.errorsPerSecond += perTarget * behaviour.errorRate;
      groupFlow.latency.set(behaviour.latencyMs, (groupFlow.latency.get(behaviour.latencyMs) ?? 0) + perTarget);
    }
  }

  /** A task running a bad image answers 5xx (it is why it fails its checks); faulty and slow images as marked. */
  private behaviourOf(target: TargetRecord): TaskBehaviour {
    const taskDefinitionArn = target.taskId === undefined ? undefined : this.tasks.get(target.taskId)?.taskDefinitionArn;
    const base = this.state.baseResponseTimeMs;
    if (taskDefinitionArn === undefined) return { errorRate: 0, latencyMs: base };
    const known = this.behaviours.get(taskDefinitionArn);
    if (known) return known;
    const images = (this.ctx.taskDefinitions.get(taskDefinitionArn)?.input.containerDefinitions ?? []).flatMap((container) => (container.image ? [container.image] : []));
    const marked = images.map((image) => imageBehaviour(this.ctx, this.state, image));
    const behaviour = {
      errorRate: taskDefinitionIsUnhealthy(this.ctx, taskDefinitionArn) ? 1 : Math.max(0, ...marked.map((entry) => entry.errorRate)),
      latencyMs: base + Math.max(0, ...marked.map((entry) => entry.addedLatencyMs)),
    };
    this.behaviours.set(taskDefinitionArn, behaviour);
    return behaviour;
  }

  /** HealthyHostCount / UnHealthyHostCount: "Reported if health checks are enabled", for every group a listener uses. */
  private sampleHealth(): void {
    for (const [arn, loadBalancerArns] of loadBalancersByTargetGroup(this.ctx)) {
      const group = this.ctx.targetGroups.get(arn);
      if (!group || !group.healthCheck.enabled) continue;
      const healthy = group.targets.filter((target) => target.state === 'healthy').length;
      const unhealthy = group.targets.filter((target) => target.state === 'unhealthy').length;
      for (const loadBalancerArn of loadBalancerArns) {
        const loadBalancer = loadBalancerDimension(loadBalancerArn);
        this.flow.health.set(`${loadBalancer} ${arn}`, { loadBalancer, targetGroup: targetGroupDimension(arn), healthy, unhealthy });
      }
    }
  }
}
