import { HealthGateTimeoutError, ServiceUnhealthyError, TransientAwsError } from '../lib/errors';
import { gateElapsedSeconds, healthVerdict, isDraining } from '../lib/domain/health';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { cloudwatchAdapter, ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { judgeBakeStep } from '../lib/runtime/bake-gate';
import { watchEcsDeployment } from '../lib/runtime/ecs-deployment-watch';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';
import { servingGroup } from '../lib/domain/listener-rule-plan';
import type { Manifest } from '../lib/domain/manifest';

type Deps = HandlerDeps<'ecs' | 'elb' | 'cloudwatch'>;

/**
 * The service and, once ECS reports the new deployment COMPLETED, its targets. ECS marks a load-balanced
 * deployment COMPLETED only once its targets pass; asking ELB before that would spend its Describe* quota (10/s)
 * on a known "no".
 */
async function observe(deps: Deps, manifest: Manifest, expected: string) {
  const service = await deps.ecs.describeService(manifest.name);
  const primary = service?.deployments.find((deployment) => deployment.status === 'PRIMARY');
  const converged = primary?.taskDefinition === expected && primary.rolloutState === 'COMPLETED' && service?.runningCount === service?.desiredCount;
  if (!converged || !service) return { service, targets: [] };
  // A service ECS's own deployments have moved between its two groups: count the targets of the group that serves.
  const alternate = service.alternateTargetGroupArns?.[0];
  const groups = alternate && service.targetGroupArns.length === 1
    ? [servingGroup(manifest, await deps.elb.listenerRules(deps.config.listenerArn), service.targetGroupArns[0] ?? '', alternate)]
    : service.targetGroupArns;
  return { service, targets: await Promise.all(groups.map((arn) => deps.elb.targetCounts(arn))) };
}

/**
 * Step 6, the check in the Wait → check → Choice loop: healthy, keep waiting, or a named failure; during a bake
 * (step 7), the bake's look (lib/runtime/bake-gate.ts). The gate is bounded
 * by the clock from its start (release.gate.startedAt), so retried and throttled checks count toward its timeout.
 */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<Release> => {
  const step = 'check service health';
  const release = parseRelease(input, step);
  const manifest = manifestOf(deps, release);
  const gate = requireField(release.gate, step, 'release.gate');
  // After a weight change with a bake ("Shift traffic"): the same loop judges the bake, not the health gate.
  if (release.shift?.bake) return judgeBakeStep(deps, release, manifest);
  // An update through ECS's own canary / linear / blue-green deployment: watched to its end.
  if (release.ecsDeployment) return watchEcsDeployment(deps, release, manifest);
  const expected = requireField(release.taskDefinitionArn, step, 'release.taskDefinitionArn');
  const limit = manifest.healthGateTimeoutSeconds;
  const { service, targets } = await observe(deps, manifest, expected).catch((error: unknown) => {
    // Past the timeout, a throttled read ends the gate: the state machine's retries would run on for minutes.
    const waitedSeconds = gateElapsedSeconds(gate.startedAt, deps.now());
    if (error instanceof TransientAwsError && waitedSeconds >= limit) {
      throw new HealthGateTimeoutError(`health gate for ${manifest.name}: not healthy after ${waitedSeconds}s (limit ${limit}s): the last check failed: ${error.message}`, { cause: error });
    }
    throw error;
  });
  const waitedSeconds = gateElapsedSeconds(gate.startedAt, deps.now());
  const drainingSinceSeconds = service && isDraining(service, expected) ? (gate.drainingSinceSeconds ?? waitedSeconds) : undefined;
  const verdict = healthVerdict({
    service,
    expectedTaskDefinitionArn: expected,
    targets,
    waitedSeconds,
    timeoutSeconds: limit,
    intervalSeconds: manifest.healthCheck.intervalSeconds,
    deregistrationDelaySeconds: manifest.deregistrationDelaySeconds,
    ...(drainingSinceSeconds === undefined ? {} : { drainingForSeconds: waitedSeconds - drainingSinceSeconds }),
  });
  const polls = gate.polls + 1;
  deps.logger.info('health gate', { ...logKeys(release), status: verdict.status, reason: verdict.reason, waitedSeconds });
  switch (verdict.status) {
    case 'failed':
      throw new ServiceUnhealthyError(`health gate for ${manifest.name}: ${verdict.reason}`);
    case 'timeout':
      throw new HealthGateTimeoutError(`health gate for ${manifest.name}: not healthy after ${waitedSeconds}s (limit ${limit}s): ${verdict.reason}`);
    case 'healthy':
      return { ...release, gate: { startedAt: gate.startedAt, waitedSeconds, nextWaitSeconds: 0, healthy: true, polls, lastReason: verdict.reason } };
    case 'waiting':
      return {
        ...release,
        gate: {
          startedAt: gate.startedAt,
          waitedSeconds,
          nextWaitSeconds: verdict.nextWaitSeconds,
          healthy: false,
          polls,
          lastReason: verdict.reason,
          ...(drainingSinceSeconds === undefined ? {} : { drainingSinceSeconds }),
        },
      };
  }
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter(), cloudwatch: cloudwatchAdapter() }));
