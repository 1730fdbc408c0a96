import { createHash } from 'node:crypto';
import { ServiceDrainingError } from '../lib/errors';
import { firstWaitSeconds } from '../lib/domain/health';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { familyRevisionOf } from '../lib/domain/task-definition';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/** CreateService's clientToken is at most 36 ASCII chars: a hash of the execution name fits and repeats on retry. */
const clientTokenFor = (executionName: string) => createHash('sha256').update(executionName).digest('hex').slice(0, 36);

/** Step 5: create the ECS service (circuit breaker with rollback on) or roll it to the new revision. */
export const makeHandler = (deps: HandlerDeps<'ecs'>) => async (input: unknown): Promise<Release> => {
  const step = 'deploy service';
  const release = parseRelease(input, step);
  const manifest = manifestOf(deps, release);
  const taskDefinitionArn = requireField(release.taskDefinitionArn, step, 'release.taskDefinitionArn');
  const hc = manifest.healthCheck;
  const grace = manifest.healthCheckGracePeriodSeconds;
  const existing = await deps.ecs.describeService(manifest.name);
  if (existing?.status === 'DRAINING') {
    throw new ServiceDrainingError(`deploy service ${manifest.name}: a deleted service of that name is still draining; retrying until it is gone`);
  }
  let change: string | undefined;
  if (!existing) {
    await deps.ecs.createService({
      serviceName: manifest.name,
      taskDefinitionArn,
      desiredCount: manifest.desiredCount,
      launchType: manifest.launchType,
      targetGroupArn: requireField(release.targetGroupArn, step, 'release.targetGroupArn'),
      containerName: manifest.name,
      containerPort: manifest.containerPort,
      clientToken: clientTokenFor(release.executionName),
      healthCheckGracePeriodSeconds: grace,
      ...(manifest.networkMode === 'awsvpc' ? { awsvpc: { subnets: [...deps.config.subnets], securityGroups: [...deps.config.securityGroups] } } : {}),
    });
    change = `created service ${manifest.name} with ${familyRevisionOf(taskDefinitionArn)} × ${manifest.desiredCount}`;
  } else {
    // A service created without a grace period reads as none: ECS uses 0.
    const graceChanged = (existing.healthCheckGracePeriodSeconds ?? 0) !== grace;
    if (existing.taskDefinition !== taskDefinitionArn || existing.desiredCount !== manifest.desiredCount || graceChanged) {
      await deps.ecs.updateService(manifest.name, { taskDefinitionArn, desiredCount: manifest.desiredCount, healthCheckGracePeriodSeconds: grace });
      change = `updated service ${manifest.name} to ${familyRevisionOf(taskDefinitionArn)} × ${manifest.desiredCount}${graceChanged ? `, health check grace period ${grace} s` : ''}`;
    }
  }
  if (change) deps.logger.info(change, logKeys(release));
  return {
    ...release,
    // The gate's timeout counts from now, by the clock. Nothing changed: check at once; otherwise first when a task
    // that started at once has had its first health check answered.
    gate: {
      startedAt: new Date(deps.now()).toISOString(),
      waitedSeconds: 0,
      // Never past the gate's own timeout (a 300 s interval with a 30 s gate would otherwise first look at 420 s).
      nextWaitSeconds: change ? Math.min(firstWaitSeconds(hc.intervalSeconds, hc.timeoutSeconds), manifest.healthGateTimeoutSeconds) : 0,
      healthy: false,
      polls: 0,
    },
    changes: change ? [...release.changes, change] : release.changes,
  };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config) }));
