import { createHash } from 'node:crypto';
import { ServiceDeploymentInProgressError, ServiceDrainingError } from '../lib/errors';
import { firstWaitSeconds } from '../lib/domain/health';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { familyRevisionOf } from '../lib/domain/task-definition';
import { deploymentFinished, describeEcsDeployment, ecsDeploymentSettings, isBlueGreenFamily, updatePath, type EcsStrategy } from '../lib/domain/ecs-update';
import type { EcsDeployment } from '../lib/domain/release-schema';
import { servingGroup } from '../lib/domain/listener-rule-plan';
import type { Manifest } from '../lib/domain/manifest';
import type { ServiceView } from '../lib/aws/ecs';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';
import { requireField } from '../lib/runtime/require-field';

/** CreateService's clientToken is at most 36 ASCII chars: a hash of the execution name fits and repeats on retry. */
const clientTokenFor = (executionName: string) => createHash('sha256').update(executionName).digest('hex').slice(0, 36);

type Deps = HandlerDeps<'ecs' | 'elb'>;

interface Update {
  readonly change: string;
  readonly fields: Partial<Release>;
}

/** ECS developer guide, "Update the deployment strategy from rolling update to Amazon ECS blue/green". */
const SWITCH_STEP =
  "ECS's documented switch from rolling to blue/green starts with a rolling deployment that adds advancedConfiguration " +
  '(ECS developer guide, "Update the deployment strategy from rolling update to Amazon ECS blue/green"); the next update is ECS\'s own';

/**
 * An update of a service that exists. A live service whose rule ECS can drive gets ECS's own deployment
 * (lib/domain/ecs-update.ts: CANARY, LINEAR or BLUE_GREEN with the manifest's bakes and alarms, the service's two
 * groups and its production rule in advancedConfiguration), watched by "Check service health". A service still on
 * ECS's rolling deployments first gets a rolling update that adds advancedConfiguration (AWS's documented first step
 * of the switch). Otherwise ECS's rolling update, on the group that serves. The rolling updates are judged after
 * them by a bake ("Shift traffic").
 */
async function update(deps: Deps, release: Release, manifest: Manifest, existing: ServiceView, taskDefinitionArn: string): Promise<Update | undefined> {
  const step = 'deploy service';
  const grace = manifest.healthCheckGracePeriodSeconds;
  // A service created without a grace period reads as none: ECS uses 0.
  const graceChanged = (existing.healthCheckGracePeriodSeconds ?? 0) !== grace;
  const sameRevision = existing.taskDefinition === taskDefinitionArn;
  if (sameRevision && existing.desiredCount === manifest.desiredCount && !graceChanged) return resumed(deps, release, manifest, existing);
  const base = { taskDefinitionArn, desiredCount: manifest.desiredCount, healthCheckGracePeriodSeconds: grace };
  const what = `updated service ${manifest.name} to ${familyRevisionOf(taskDefinitionArn)} × ${manifest.desiredCount}${graceChanged ? `, health check grace period ${grace} s` : ''}`;
  if (sameRevision) {
    // The same revision scaled, or a new grace period: no new revision for a deployment strategy to move traffic to.
    await deps.ecs.updateService(manifest.name, base);
    return { change: what, fields: {} };
  }
  const targetGroupArn = requireField(release.targetGroupArn, step, 'release.targetGroupArn');
  const alternateTargetGroupArn = release.alternateTargetGroupArn;
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const lb = { containerName: manifest.name, containerPort: manifest.containerPort };
  const path = updatePath({ manifest, rules, targetGroupArn, alternateTargetGroupArn, infrastructureRoleArn: deps.config.ecsInfrastructureRoleArn });
  if (path.kind === 'busy') throw new ServiceDeploymentInProgressError(`deploy service ${manifest.name}: ${path.reason}; nothing of the service was changed`);
  const serving = servingGroup(manifest, rules, targetGroupArn, alternateTargetGroupArn);
  if (path.kind === 'ecs') {
    const advanced = { alternateTargetGroupArn: requireField(alternateTargetGroupArn, step, 'release.alternateTargetGroupArn'), productionListenerRule: path.ruleArn, roleArn: deps.config.ecsInfrastructureRoleArn ?? '' };
    if (!isBlueGreenFamily(existing.strategy) && (existing.alternateTargetGroupArns ?? []).length === 0) {
      // Still ROLLING, without its alternate group: a rolling deployment that adds advancedConfiguration, on the group that serves.
      const other = serving === targetGroupArn ? advanced.alternateTargetGroupArn : targetGroupArn;
      await deps.ecs.updateService(manifest.name, { ...base, deployment: { strategy: 'ROLLING' }, loadBalancer: { targetGroupArn: serving, ...lb, advanced: { ...advanced, alternateTargetGroupArn: other } } });
      return { change: `${what} (rolling update: ${SWITCH_STEP})`, fields: { rollingBecause: SWITCH_STEP } };
    }
    const arn = await deps.ecs.updateService(manifest.name, { ...base, deployment: ecsDeploymentSettings(manifest.traffic), loadBalancer: { targetGroupArn, ...lb, advanced } });
    return {
      change: `${what} with ${describeEcsDeployment(manifest.traffic)}`,
      fields: { ecsDeployment: tracked(requireField(arn, step, 'service.currentServiceDeployment of the UpdateService answer'), path.strategy, path.greenTargetGroupArn, deps.now()) },
    };
  }
  const back = isBlueGreenFamily(existing.strategy) || !existing.targetGroupArns.includes(serving);
  await deps.ecs.updateService(manifest.name, { ...base, ...(back ? { deployment: { strategy: 'ROLLING' as const }, loadBalancer: { targetGroupArn: serving, ...lb } } : {}) });
  return { change: `${what} (rolling update: ${path.reason})`, fields: { rollingBecause: path.reason } };
}

function tracked(arn: string, strategy: EcsStrategy, greenTargetGroupArn: string, nowMs: number): EcsDeployment {
  return { arn, strategy, greenTargetGroupArn, startedAt: new Date(nowMs).toISOString(), percent: 0, checks: 0 };
}

/**
 * Nothing to change: unless an ECS deployment of this very revision is still under way (this step's own
 * UpdateService went through before its Lambda was retried), which the gate then watches.
 */
async function resumed(deps: Deps, release: Release, manifest: Manifest, existing: ServiceView): Promise<Update | undefined> {
  if (!isBlueGreenFamily(existing.strategy) || !existing.currentServiceDeployment) return undefined;
  const current = await deps.ecs.serviceDeployment(existing.currentServiceDeployment);
  if (!current || deploymentFinished(current.status)) return undefined;
  const strategy = existing.strategy as EcsStrategy;
  const rules = await deps.elb.listenerRules(deps.config.listenerArn);
  const targetGroupArn = requireField(release.targetGroupArn, 'deploy service', 'release.targetGroupArn');
  const alternate = requireField(release.alternateTargetGroupArn, 'deploy service', 'release.alternateTargetGroupArn');
  const green = servingGroup(manifest, rules, targetGroupArn, alternate) === targetGroupArn ? alternate : targetGroupArn;
  return { change: `ECS's ${strategy} deployment of ${manifest.name} to ${familyRevisionOf(existing.taskDefinition)} is already under way`, fields: { ecsDeployment: tracked(current.arn, strategy, green, deps.now()) } };
}

/** Step 5: create the ECS service (circuit breaker with rollback on) or update it to the new revision. */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<Release> => {
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
  let fields: Partial<Release> = {};
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
    const updated = await update(deps, release, manifest, existing, taskDefinitionArn);
    change = updated?.change;
    fields = updated?.fields ?? {};
  }
  if (change) deps.logger.info(change, logKeys(release));
  return {
    ...release,
    ...fields,
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

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
