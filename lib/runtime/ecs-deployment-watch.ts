import { ServiceUnhealthyError, TrafficGateError } from '../errors';
import type { Manifest } from '../domain/manifest';
import type { EcsDeployment, Release } from '../domain/release-schema';
import { DEPLOYMENT_STATUS, ecsDeploymentLimitSeconds, greenPercent } from '../domain/ecs-update';
import { judgeBake, MAX_LOOKS_PER_ROLLOUT, METRICS_SETTLE_SECONDS } from '../domain/traffic';
import type { ServiceDeploymentView } from '../aws/ecs';
import type { Deps } from './deps';
import { observeGroup } from './bake-gate';
import { logKeys } from './manifest-of';

type WatchDeps = Pick<Deps, 'ecs' | 'elb' | 'cloudwatch' | 'config' | 'logger' | 'now'>;

/**
 * Seconds between looks while ECS deploys: one CloudWatch period (ALB metrics are published every 60 s), spread
 * further for long deployments so that one rollout makes at most MAX_LOOKS_PER_ROLLOUT looks (the 25,000-event
 * history of a Standard execution).
 */
export function ecsWatchSeconds(manifest: Manifest): number {
  return Math.max(METRICS_SETTLE_SECONDS, Math.ceil(ecsDeploymentLimitSeconds(manifest) / MAX_LOOKS_PER_ROLLOUT));
}


function ecsSays(deployment: ServiceDeploymentView): string {
  const alarms = deployment.triggeredAlarmNames.length > 0 ? ` (alarms in ALARM: ${deployment.triggeredAlarmNames.join(', ')})` : '';
  return `ECS ended the service deployment ${deployment.status}${deployment.statusReason ? `: ${deployment.statusReason.replace(/\.$/, '')}` : ''}${alarms}`;
}

/**
 * "Check service health" for an update through ECS's own CANARY / LINEAR / BLUE_GREEN deployment
 * (functions/deploy-service.ts): ECS shifts the production rule and rolls back on its alarms and circuit breaker; the
 * pipeline watches the service deployment (DescribeServiceDeployments) to its end and judges the new revision's group
 * with the same gates as a bake (lib/runtime/bake-gate.ts): every look may trip; the last look, one CloudWatch period
 * after all traffic is on the new revision (ECS is then in its deployment bake, the old revision still running),
 * passes or trips. A trip asks ECS to roll back (StopServiceDeployment ROLLBACK, "when a failing deployment was not
 * detected by the circuit breaker or CloudWatch alarms", ECS developer guide, "Stopping Amazon ECS service
 * deployments"), waits for the rollback to end, then fails with TrafficGateError. An alarm rollback is a
 * TrafficGateError too; a circuit-breaker rollback (tasks that never became healthy) is a ServiceUnhealthyError.
 */
export async function watchEcsDeployment(deps: WatchDeps, release: Release, manifest: Manifest): Promise<Release> {
  const tracked = release.ecsDeployment;
  const gate = release.gate;
  if (!tracked || !gate) return release;
  const now = deps.now();
  const [deployment, rules] = await Promise.all([deps.ecs.serviceDeployment(tracked.arn), deps.elb.listenerRules(deps.config.listenerArn)]);
  if (!deployment) throw new ServiceUnhealthyError(`health gate for ${manifest.name}: ECS has no service deployment ${tracked.arn} (was the service deleted?)`);
  const percent = greenPercent(manifest, rules, tracked.greenTargetGroupArn);
  const steps = [...(release.trafficSteps ?? [])];
  const at = new Date(now).toISOString();
  const record = (value: number) => {
    if ((steps.at(-1)?.percent ?? 0) !== value) steps.push({ at, percent: value });
  };
  record(deployment.status === 'SUCCESSFUL' ? 100 : percent);
  const name = manifest.name;
  const elapsedSeconds = Math.round((now - Date.parse(tracked.startedAt)) / 1000);
  deps.logger.info('ECS deployment', { ...logKeys(release), status: deployment.status, lifecycleStage: deployment.lifecycleStage, percent, elapsedSeconds });

  if (DEPLOYMENT_STATUS.failed.has(deployment.status)) {
    if (tracked.rollbackReason) throw new TrafficGateError(`traffic gate for ${name}: ${tracked.rollbackReason}; ${ecsSays(deployment)}`);
    if (deployment.triggeredAlarmNames.length > 0) throw new TrafficGateError(`traffic gate for ${name}: ${ecsSays(deployment)}`);
    throw new ServiceUnhealthyError(`health gate for ${name}: ${ecsSays(deployment)}`);
  }

  const fullAt = tracked.fullAt ?? (percent >= 100 || deployment.status === 'SUCCESSFUL' ? at : undefined);
  const next = (fields: Partial<EcsDeployment>, reason: string): Release => ({
    ...release,
    trafficSteps: steps,
    ecsDeployment: { ...tracked, percent, checks: tracked.checks + 1, ...(fullAt ? { fullAt } : {}), ...fields },
    gate: { ...gate, healthy: false, polls: gate.polls + 1, nextWaitSeconds: ecsWatchSeconds(manifest), lastReason: reason },
  });
  if (tracked.rollbackReason) {
    // ECS finished the deployment before it took the rollback, or the rollback does not end: compensation takes over.
    if (deployment.status === 'SUCCESSFUL') throw new TrafficGateError(`traffic gate for ${name}: ${tracked.rollbackReason}; ECS had finished the deployment before it could roll it back`);
    const rollbackLimit = ecsDeploymentLimitSeconds(manifest) + manifest.deregistrationDelaySeconds + 300;
    if (elapsedSeconds > rollbackLimit) throw new TrafficGateError(`traffic gate for ${name}: ${tracked.rollbackReason}; ECS's rollback had not ended after ${elapsedSeconds} s (${deployment.status})`);
    return next({}, `ECS is rolling back (${deployment.status}): ${tracked.rollbackReason}`);
  }

  const since = Date.parse(tracked.startedAt);
  const judging = deployment.status === 'SUCCESSFUL' || deployment.status === 'IN_PROGRESS';
  // The last look, for a canary or linear manifest with a bake (an all-at-once one, like the migration's, only trips):
  // one CloudWatch period after everything shifted, or at the end if ECS finished before it.
  const progressive = manifest.traffic.strategy !== 'all-at-once' && manifest.traffic.bakeMinutes > 0;
  const final = progressive && !tracked.judged && fullAt !== undefined && (deployment.status === 'SUCCESSFUL' || now - Date.parse(fullAt) >= METRICS_SETTLE_SECONDS * 1000);
  const seen = judging && (percent > 0 || deployment.status === 'SUCCESSFUL') ? await observeGroup(deps, manifest, tracked.greenTargetGroupArn, since, now) : undefined;
  const verdict = seen ? judgeBake(manifest.traffic, deployment.status === 'SUCCESSFUL' ? 100 : percent, seen, final) : { passed: undefined };
  const limit = ecsDeploymentLimitSeconds(manifest);
  const tripped = verdict.passed === false ? verdict.reason : elapsedSeconds > limit && deployment.status !== 'SUCCESSFUL' ? `ECS's deployment did not finish in ${limit} s` : undefined;

  if (tripped) {
    const reason = `${tripped}, ${elapsedSeconds} s into ECS's ${tracked.strategy} deployment`;
    if (deployment.status === 'SUCCESSFUL') {
      // ECS finished before the last look: compensation deploys the previous revision again.
      throw new TrafficGateError(`traffic gate for ${name}: ${reason} (after ECS had finished it)`);
    }
    await deps.ecs.rollBackServiceDeployment(tracked.arn);
    deps.logger.info('asked ECS to roll back', { ...logKeys(release), reason });
    return next({ rollbackReason: reason }, `asked ECS to roll back: ${reason}`);
  }
  const judged = tracked.judged === true || verdict.passed === true;
  if (deployment.status === 'SUCCESSFUL') {
    const lastReason = seen ? `ECS's ${tracked.strategy} deployment succeeded: ${seen.requests} requests, ${seen.errors5xx} 5xx on the new revision` : `ECS's ${tracked.strategy} deployment succeeded`;
    return {
      ...release,
      trafficSteps: steps,
      ecsDeployment: { ...tracked, percent: 100, checks: tracked.checks + 1, judged, ...(fullAt ? { fullAt } : {}) },
      live: true,
      gate: { ...gate, healthy: true, polls: gate.polls + 1, nextWaitSeconds: 0, lastReason },
    };
  }
  const stage = deployment.lifecycleStage ? `, ${deployment.lifecycleStage}` : '';
  const counts = seen ? (verdict.passed === true ? `; the last look passed: ${seen.requests} requests, ${seen.errors5xx} 5xx` : `, ${seen.requests} requests, ${seen.errors5xx} 5xx so far`) : '';
  return next({ judged }, `ECS's ${tracked.strategy} deployment ${deployment.status}${stage}: ${percent} % on the new revision${counts}`);
}
