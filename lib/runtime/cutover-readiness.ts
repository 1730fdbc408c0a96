import { microservicesOf, monolithOf } from '../domain/catalog';
import { dropTrafficActions, planDropMonolithTraffic, type ActionChange } from '../domain/cutover-plan';
import { liveness as judge } from '../domain/liveness';
import { servingGroup } from '../domain/listener-rule-plan';
import type { Deps } from './deps';

export type CutoverReadiness =
  | { readonly ready: false; readonly reason: string }
  | {
      readonly ready: true;
      readonly reason: string;
      readonly monolith: { service: string; targetGroupArn: string; desiredCount: number; deregistrationDelaySeconds: number };
      readonly plan: ActionChange[];
    };

/**
 * Step 8's question, read-only: is every microservice in the catalog live (healthy, and its paths routed to
 * it), and does the monolith still get traffic or run tasks? The plan records each listener action's current
 * value, which is what a failed cut-over's compensation restores. Asked without a lock by the rollout that
 * may start the cut-over, and again under the monolith's lock by the cut-over itself.
 */
export async function assessCutover(deps: Pick<Deps, 'config' | 'ecs' | 'elb'>): Promise<CutoverReadiness> {
  const { catalog, listenerArn } = deps.config;
  const monolith = monolithOf(catalog);
  if (!monolith) return { ready: false, reason: 'no monolith in services/: nothing to cut over' };
  const microservices = microservicesOf(catalog);
  const [services, rules, monolithGroup] = await Promise.all([
    deps.ecs.describeServices([monolith.name, ...microservices.map((m) => m.name)]),
    deps.elb.listenerRules(listenerArn),
    deps.elb.findTargetGroup(monolith.targetGroupName),
  ]);
  if (!monolithGroup) return { ready: false, reason: `monolith target group ${monolith.targetGroupName} not found: nothing forwards to it` };
  const plan = planDropMonolithTraffic(rules, monolithGroup.TargetGroupArn, dropTrafficActions(deps.config.cutoverMode, deps.config.dropTargetGroupArn));
  const desiredCount = services.get(monolith.name)?.desiredCount ?? 0;
  if (plan.length === 0 && desiredCount === 0) return { ready: false, reason: 'already cut over: the monolith gets no traffic and runs no tasks' };

  // Cheap pass first (ECS + rules, already read); target health only once every service passes it,
  // so a fleet of concurrent rollouts does not spend ELB's Describe* quota on a known "not yet".
  for (const manifest of microservices) {
    const status = judge(manifest, services.get(manifest.name), rules);
    if (!status.live) return { ready: false, reason: `not every microservice is live: ${manifest.name} (${status.reason})` };
  }
  for (const manifest of microservices) {
    const view = services.get(manifest.name);
    // After an ECS blue/green-family update the alternate group may be the one serving: its targets are the ones to count.
    const serving = servingGroup(manifest, rules, view?.targetGroupArns[0] ?? '', view?.alternateTargetGroupArns?.[0]);
    const status = judge(manifest, view, rules, await deps.elb.targetCounts(serving));
    if (!status.live) return { ready: false, reason: `not every microservice is live: ${manifest.name} (${status.reason})` };
  }
  const deregistrationDelaySeconds = (await deps.elb.deregistrationDelay(monolithGroup.TargetGroupArn)) ?? 300;
  return {
    ready: true,
    reason: `all ${microservices.length} microservices live; ${plan.length} listener action(s) still reach the monolith, which runs ${desiredCount} task(s)`,
    monolith: { service: monolith.name, targetGroupArn: monolithGroup.TargetGroupArn, desiredCount, deregistrationDelaySeconds },
    plan,
  };
}
