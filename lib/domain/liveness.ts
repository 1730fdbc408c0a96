import { healthVerdict, type ObservedService, type TargetCounts } from './health';
import { ruleIsLive } from './listener-rule-plan';
import type { Manifest } from './manifest';
import type { ObservedRule } from './routing';

export interface Liveness {
  readonly live: boolean;
  readonly reason: string;
}

export interface ServiceState extends ObservedService {
  readonly taskDefinition: string;
  readonly targetGroupArns: readonly string[];
  /** The alternate groups of its load balancers (advancedConfiguration), once an ECS blue/green-family update set them. */
  readonly alternateTargetGroupArns?: readonly string[];
}

/**
 * A microservice is live when its PRIMARY deployment is COMPLETED with running == desired > 0, the rule
 * at its priority sends all weighted traffic to its group, and (when `targets` are given) that group has
 * at least `desired` healthy targets. Without `targets` this is the cheap pre-check: ECS and ELB rules only.
 */
export function liveness(manifest: Manifest, service: ServiceState | undefined, rules: readonly ObservedRule[], targets?: TargetCounts): Liveness {
  const targetGroupArn = service?.targetGroupArns[0];
  if (!service || !targetGroupArn || service.desiredCount === 0) return { live: false, reason: 'not deployed' };
  const verdict = healthVerdict({
    service,
    expectedTaskDefinitionArn: service.taskDefinition,
    targets: targets ? [targets] : [],
    waitedSeconds: 0,
    timeoutSeconds: 1,
    intervalSeconds: 1,
  });
  if (verdict.status !== 'healthy') return { live: false, reason: verdict.reason };
  if (!ruleIsLive(manifest, rules, targetGroupArn, service.alternateTargetGroupArns?.[0])) return { live: false, reason: 'paths not routed to it yet' };
  return { live: true, reason: verdict.reason };
}
