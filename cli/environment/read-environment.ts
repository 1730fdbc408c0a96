import type { Catalog } from '../../lib/domain/catalog';
import type { TargetCounts } from '../../lib/domain/health';
import type { RuleAction } from '../../lib/domain/release';
import { forwardTargets } from '../../lib/domain/routing';
import { familyRevisionOf } from '../../lib/domain/task-definition';
import type { Deps } from '../../lib/runtime/deps';
import type { StateReport } from '../../local/runner/report';

export interface TargetGroupView {
  readonly name: string;
  readonly arn: string;
  readonly healthCheck: { path: string; healthyThreshold: number; unhealthyThreshold: number; timeoutSeconds: number; intervalSeconds: number };
  readonly targets: TargetCounts;
}

export interface ServiceStatusView {
  readonly name: string;
  readonly repository: string;
  readonly role: 'monolith' | 'microservice';
  /** ACTIVE or DRAINING as ECS reports it; null when the cluster has no such service. */
  readonly status: string | null;
  readonly taskDefinition: string | null;
  readonly image: string | null;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly deployments: { status: string; taskDefinition: string; rolloutState: string | null; rolloutStateReason: string | null; runningCount: number; failedTasks: number }[];
  readonly targetGroup: string | null;
}

/** What the listener, the catalog's services and their target groups look like now, read through the workflow's adapters. */
export interface EnvironmentView {
  readonly listenerArn: string;
  readonly defaultActions: RuleAction[];
  readonly rules: { ruleArn: string; priority: number; paths: string[]; actions: RuleAction[] }[];
  readonly services: ServiceStatusView[];
  readonly targetGroups: TargetGroupView[];
}

/** Target group ARN `…:targetgroup/<name>/<id>` → name. */
export const targetGroupNameOf = (arn: string) => arn.split(':targetgroup/')[1]?.split('/')[0] ?? arn;

/** At most `limit` reads in flight: ELB's Describe* quota is shared with the running workflow. */
async function mapLimit<T, R>(items: readonly T[], limit: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await read(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Read-only: the listener's rules, every catalog service (task definition, counts, deployments) and every target
 * group a service or a rule uses, with its target health. The same adapters the handlers read through, so `status`
 * shows what the workflow's decisions see, and `plan` reads its projected state the same way.
 */
export async function readEnvironment(deps: Pick<Deps, 'ecs' | 'elb'>, listenerArn: string, catalog: Catalog): Promise<EnvironmentView> {
  const [rules, services] = await Promise.all([deps.elb.listenerRules(listenerArn), deps.ecs.describeServices(catalog.services.map((manifest) => manifest.name))]);
  const groupNames = new Set<string>(catalog.services.map((manifest) => manifest.targetGroupName));
  for (const rule of rules) for (const target of forwardTargets(rule.actions)) groupNames.add(targetGroupNameOf(target.targetGroupArn));
  for (const service of services.values()) for (const arn of service.targetGroupArns) groupNames.add(targetGroupNameOf(arn));
  const groups = await mapLimit([...groupNames].sort(), 8, async (name): Promise<TargetGroupView | undefined> => {
    const group = await deps.elb.findTargetGroup(name);
    if (!group) return undefined;
    return {
      name,
      arn: group.TargetGroupArn,
      healthCheck: {
        path: group.HealthCheckPath ?? '',
        healthyThreshold: group.HealthyThresholdCount ?? 0,
        unhealthyThreshold: group.UnhealthyThresholdCount ?? 0,
        timeoutSeconds: group.HealthCheckTimeoutSeconds ?? 0,
        intervalSeconds: group.HealthCheckIntervalSeconds ?? 0,
      },
      targets: await deps.elb.targetCounts(group.TargetGroupArn),
    };
  });
  const serviceViews = await mapLimit(catalog.services, 8, async (manifest): Promise<ServiceStatusView> => {
    const service = services.get(manifest.name);
    const definition = service?.taskDefinition ? await deps.ecs.latestTaskDefinition(service.taskDefinition) : undefined;
    return {
      name: manifest.name,
      repository: manifest.repository,
      role: manifest.role,
      status: service?.status ?? null,
      taskDefinition: service?.taskDefinition ? familyRevisionOf(service.taskDefinition) : null,
      image: definition?.containers[0]?.image ?? null,
      desiredCount: service?.desiredCount ?? 0,
      runningCount: service?.runningCount ?? 0,
      deployments: (service?.deployments ?? []).map((deployment) => ({
        status: deployment.status,
        taskDefinition: familyRevisionOf(deployment.taskDefinition),
        rolloutState: deployment.rolloutState ?? null,
        rolloutStateReason: deployment.rolloutStateReason ?? null,
        runningCount: deployment.runningCount,
        failedTasks: deployment.failedTasks,
      })),
      targetGroup: service?.targetGroupArns[0] ? targetGroupNameOf(service.targetGroupArns[0]) : null,
    };
  });
  const byPriority = rules.filter((rule) => rule.priority !== 'default').sort((a, b) => (a.priority as number) - (b.priority as number));
  return {
    listenerArn,
    defaultActions: [...(rules.find((rule) => rule.priority === 'default')?.actions ?? [])],
    rules: byPriority.map((rule) => ({ ruleArn: rule.ruleArn, priority: rule.priority as number, paths: [...rule.paths], actions: [...rule.actions] })),
    services: serviceViews,
    targetGroups: groups.filter((group): group is TargetGroupView => group !== undefined),
  };
}

/** The `simulate --json` state shape (README), which the routing table renders. */
export function toStateReport(view: EnvironmentView): StateReport {
  return {
    listener: { defaultActions: view.defaultActions, rules: view.rules.map(({ priority, paths, actions }) => ({ priority, paths, actions })) },
    targetGroups: view.targetGroups.map((group) => ({ name: group.name, healthCheck: group.healthCheck, healthyTargets: group.targets.healthy })),
    services: view.services
      .filter((service) => service.status === 'ACTIVE')
      .map((service) => ({ name: service.name, desiredCount: service.desiredCount, runningCount: service.runningCount, taskDefinition: service.taskDefinition ?? '', image: service.image ?? '' })),
  };
}
