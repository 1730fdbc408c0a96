import type { ServiceView } from '../aws/ecs';
import { healthVerdict } from '../domain/health';
import { ruleIsLive } from '../domain/listener-rule-plan';
import type { Manifest } from '../domain/manifest';
import type { ObservedRule } from '../domain/routing';
import type { Deps } from './deps';

/**
 * A microservice is live when its PRIMARY deployment is COMPLETED with running == desired > 0, its group
 * has that many healthy targets, and the rule at its priority sends all weighted traffic to that group.
 */
export async function liveness(deps: Deps, manifest: Manifest, view: ServiceView | undefined, rules: readonly ObservedRule[]): Promise<{ live: boolean; reason: string }> {
  const targetGroupArn = view?.targetGroupArns[0];
  if (!view || !targetGroupArn || view.desiredCount === 0) return { live: false, reason: 'not deployed' };
  const counts = await deps.elb.targetCounts(targetGroupArn);
  const verdict = healthVerdict({ service: view, expectedTaskDefinitionArn: view.taskDefinition, targets: [counts], waitedSeconds: 0, timeoutSeconds: 1, intervalSeconds: 1 });
  if (verdict.status !== 'healthy') return { live: false, reason: verdict.reason };
  if (!ruleIsLive(manifest, rules, targetGroupArn)) return { live: false, reason: 'paths not routed to it yet' };
  return { live: true, reason: verdict.reason };
}
