import type { ServiceView } from '../aws/ecs';
import { liveness as judge, type Liveness } from '../domain/liveness';
import type { Manifest } from '../domain/manifest';
import type { ObservedRule } from '../domain/routing';
import { servingGroup } from '../domain/listener-rule-plan';
import type { Deps } from './deps';

/** The full liveness check: the cheap ECS + rules check first, target health only when that passes. */
export async function liveness(deps: Pick<Deps, 'elb'>, manifest: Manifest, view: ServiceView | undefined, rules: readonly ObservedRule[]): Promise<Liveness> {
  const cheap = judge(manifest, view, rules);
  const targetGroupArn = view?.targetGroupArns[0];
  if (!cheap.live || !targetGroupArn) return cheap;
  // After an ECS blue/green-family update the alternate group may be the one serving: its targets are the ones to count.
  return judge(manifest, view, rules, await deps.elb.targetCounts(servingGroup(manifest, rules, targetGroupArn, view?.alternateTargetGroupArns?.[0])));
}
