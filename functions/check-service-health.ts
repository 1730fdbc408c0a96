import { HealthGateTimeoutError, ServiceUnhealthyError } from '../lib/errors';
import { healthVerdict, isDraining } from '../lib/domain/health';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/** Step 6, the check in the Wait → check → Choice loop: healthy, keep waiting, or a named failure. */
export const makeHandler = (deps: HandlerDeps<'ecs' | 'elb'>) => async (input: unknown): Promise<Release> => {
  const step = 'check service health';
  const release = parseRelease(input, step);
  const manifest = manifestOf(deps, release);
  const gate = requireField(release.gate, step, 'release.gate');
  const expected = requireField(release.taskDefinitionArn, step, 'release.taskDefinitionArn');
  const waitedSeconds = gate.waitedSeconds + gate.nextWaitSeconds;
  const service = await deps.ecs.describeService(manifest.name);
  // ECS marks a load-balanced deployment COMPLETED only once its targets pass; ask ELB to confirm only
  // then. Polling target health before that would spend ELB's Describe* quota (10/s) on a known "no".
  const primary = service?.deployments.find((deployment) => deployment.status === 'PRIMARY');
  const converged = primary?.taskDefinition === expected && primary.rolloutState === 'COMPLETED' && service?.runningCount === service?.desiredCount;
  const targets = converged ? await Promise.all((service?.targetGroupArns ?? []).map((arn) => deps.elb.targetCounts(arn))) : [];
  const drainingSinceSeconds = service && isDraining(service, expected) ? (gate.drainingSinceSeconds ?? waitedSeconds) : undefined;
  const verdict = healthVerdict({
    service,
    expectedTaskDefinitionArn: expected,
    targets,
    waitedSeconds,
    timeoutSeconds: manifest.healthGateTimeoutSeconds,
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
      throw new HealthGateTimeoutError(`health gate for ${manifest.name}: not healthy after ${waitedSeconds}s (limit ${manifest.healthGateTimeoutSeconds}s): ${verdict.reason}`);
    case 'healthy':
      return { ...release, gate: { waitedSeconds, nextWaitSeconds: 0, healthy: true, polls, lastReason: verdict.reason } };
    case 'waiting':
      return {
        ...release,
        gate: { waitedSeconds, nextWaitSeconds: verdict.nextWaitSeconds, healthy: false, polls, lastReason: verdict.reason, ...(drainingSinceSeconds === undefined ? {} : { drainingSinceSeconds }) },
      };
  }
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
