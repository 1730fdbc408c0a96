/** What the health gate reads about a service, trimmed from DescribeServices + DescribeTargetHealth. */
export interface ObservedService {
  readonly status: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly deployments: readonly {
    readonly status: string;
    readonly taskDefinition: string;
    readonly rolloutState?: string;
    readonly rolloutStateReason?: string;
    readonly runningCount: number;
    readonly failedTasks: number;
  }[];
}

export interface TargetCounts {
  readonly healthy: number;
  readonly initial: number;
  readonly unhealthy: number;
  readonly draining: number;
}

export interface HealthInput {
  readonly service: ObservedService | undefined;
  readonly expectedTaskDefinitionArn: string;
  readonly targets: readonly TargetCounts[];
  /** Seconds since the gate started, by the clock: every check, Lambda retry and back-off counts (gateElapsedSeconds). */
  readonly waitedSeconds: number;
  readonly timeoutSeconds: number;
  readonly intervalSeconds: number;
  /** The target group's deregistration delay: how long replaced tasks drain before ECS stops them. */
  readonly deregistrationDelaySeconds?: number;
  /** Seconds since the gate first saw the new tasks all running with old ones still draining. */
  readonly drainingForSeconds?: number;
}

export type HealthVerdict =
  | { status: 'healthy'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'timeout'; reason: string }
  | { status: 'waiting'; reason: string; nextWaitSeconds: number };

/** The smallest wait worth making: ECS reports every few seconds; no poll faster than this. */
export const MIN_POLL_SECONDS = 3;

/**
 * The gate the SDK's services-stable waiter is not (aws-facts: it ignores rolloutState and target health
 * and calls a circuit-breaker rollback "stable"): the PRIMARY deployment must run the new revision and be
 * COMPLETED, running == desired, and every target group must have at least `desired` healthy targets.
 */
export function healthVerdict(input: HealthInput): HealthVerdict {
  const { service, expectedTaskDefinitionArn: expected } = input;
  if (!service || service.status !== 'ACTIVE') return { status: 'failed', reason: `service is ${service?.status ?? 'missing'}` };
  const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
  if (!primary) return { status: 'failed', reason: 'service has no PRIMARY deployment' };
  if (primary.taskDefinition !== expected) {
    return { status: 'failed', reason: `PRIMARY deployment runs ${primary.taskDefinition}, not ${expected} (rolled back by the deployment circuit breaker)` };
  }
  if (primary.rolloutState === 'FAILED') return { status: 'failed', reason: `deployment failed: ${primary.rolloutStateReason ?? 'rolloutState FAILED'}` };
  const healthyEverywhere = input.targets.every((counts) => counts.healthy >= service.desiredCount);
  if (primary.rolloutState === 'COMPLETED' && service.runningCount === service.desiredCount && healthyEverywhere) {
    return { status: 'healthy', reason: `${service.runningCount}/${service.desiredCount} tasks running, deployment COMPLETED, targets healthy` };
  }
  const reason = `deployment ${primary.rolloutState ?? 'IN_PROGRESS'}, ${primary.runningCount}/${service.desiredCount} tasks running, ${
    input.targets.map((counts) => `${counts.healthy} healthy/${counts.initial} initial/${counts.unhealthy} unhealthy`).join('; ') || 'target health read once ECS reports COMPLETED'
  }, ${primary.failedTasks} failed tasks`;
  const remaining = input.timeoutSeconds - input.waitedSeconds;
  if (remaining <= 0) return { status: 'timeout', reason };
  return { status: 'waiting', reason, nextWaitSeconds: Math.max(MIN_POLL_SECONDS, Math.min(nextPollSeconds(input), remaining)) };
}

/**
 * The new revision runs at full strength and older deployments are only draining: ECS completes the
 * rollout once their targets have drained for the deregistration delay, not before.
 */
export function isDraining(service: ObservedService, expectedTaskDefinitionArn: string): boolean {
  const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
  return primary?.taskDefinition === expectedTaskDefinitionArn && primary.runningCount >= service.desiredCount && service.deployments.length > 1;
}

/**
 * Adaptive polling. A target's health can only change once per health-check interval, so while the new
 * tasks start and pass checks we wait one interval. While replaced tasks drain, nothing changes until the
 * deregistration delay has run out: one long wait to then, then short polls, so the gate notices within
 * seconds without spending a transition every interval of a 5-minute drain.
 */
export function nextPollSeconds(input: Pick<HealthInput, 'targets' | 'intervalSeconds' | 'deregistrationDelaySeconds' | 'drainingForSeconds'>): number {
  if (input.drainingForSeconds !== undefined && input.deregistrationDelaySeconds !== undefined) {
    const left = input.deregistrationDelaySeconds - input.drainingForSeconds;
    return left > 0 ? left + 2 : 5;
  }
  // No target health read yet (the deployment is still converging): one health-check interval.
  if (input.targets.length === 0) return input.intervalSeconds;
  const initial = input.targets.some((counts) => counts.initial > 0 || counts.unhealthy > 0);
  if (initial) return input.intervalSeconds;
  const draining = input.targets.some((counts) => counts.draining > 0);
  if (draining) return Math.max(input.intervalSeconds, 15);
  return 5;
}

/**
 * The first wait after a deploy. "After your target is registered, it must pass one health check to be considered
 * healthy" (ELB user guide, "Health checks for Application Load Balancer target groups"; healthyThreshold counts only
 * for a target that was unhealthy): checks go out every interval and an answer counts within the timeout, so a task
 * that starts at once is healthy within one interval plus the timeout. A slower start is met by the polls after it.
 */
export function firstWaitSeconds(intervalSeconds: number, timeoutSeconds: number): number {
  return intervalSeconds + timeoutSeconds;
}

/**
 * Seconds since the gate started, by the clock rather than by adding up the waits it planned: Lambda retries,
 * TransientAwsError back-offs and the checks' own time all count toward the gate's timeout.
 */
export function gateElapsedSeconds(startedAt: string, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - Date.parse(startedAt)) / 1000));
}
