import * as v from 'valibot';
import { EnvironmentNotFoundError, LockWaitTimeoutError, ShadowedPathError, TagNotDeployedError, UnknownAlarmError, UnknownRepositoryError } from '../lib/errors';
import { shadowingRule } from '../lib/domain/shadowing';
import { assertServiceRuleCreatable } from '../lib/domain/listener-rule-plan';
import { tagDeploys } from '../lib/domain/deploy-tags';
import { findByRepository } from '../lib/domain/catalog';
import { leaseUntil, lockKeyOf, lockWaitSeconds, MAX_SERVICE_LOCK_WAIT_SECONDS, serviceHoldSeconds } from '../lib/domain/lock-lease';
import { accountRegionOf, assertOwnImage, pinnedImageUri } from '../lib/domain/image';
import { parsePushEvent, summarizePush } from '../lib/domain/push-event';
import type { Release } from '../lib/domain/release';
import { monolithRetired } from '../lib/domain/cutover-plan';
import { revisionMatches, taskDefinitionSpec } from '../lib/domain/task-definition';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { cloudwatchAdapter, ecsAdapter, elbAdapter, ecrAdapter } from '../lib/runtime/clients';
import { parseInput } from '../lib/domain/parse-input';
import { liveness } from '../lib/runtime/liveness';

const InputSchema = v.object({ event: v.unknown(), executionName: v.pipe(v.string(), v.minLength(1), v.maxLength(80)), startedAt: v.optional(v.pipe(v.string(), v.isoTimestamp())) });

/** Why a push deploys nothing, for the execution's cause (the rule's pattern normally keeps such pushes out). */
function tagRefusal(manifest: { name: string; deployTags?: readonly string[] }, tag: string | undefined): string {
  if (tag === undefined) return `an untagged push of ${manifest.name} (a platform manifest, an attestation or a push by digest) deploys nothing: push a tag; nothing was changed`;
  return `tag ${tag} of ${manifest.name} does not deploy: its manifest's deployTags are ${manifest.deployTags?.join(', ')}; nothing was changed`;
}

/**
 * Step 1: validate the push, map repository → manifest, pin the image by digest. Read-only: a bad event
 * fails here before any AWS change. The prior state is recorded later, under the service lock. It also
 * fixes the lock's lease (the state machine cannot do clock arithmetic); after a wait for the lock it runs again.
 */
export const makeHandler = (deps: HandlerDeps<'ecr' | 'ecs' | 'elb' | 'cloudwatch'>) => async (input: unknown): Promise<Release> => {
  const { executionName, event, startedAt } = parseInput(InputSchema, input, 'resolve release');
  // Run again after every wait for the lock: bounded here, since the state machine cannot count.
  const waitedSeconds = startedAt ? Math.max(0, Math.round((deps.now() - Date.parse(startedAt)) / 1000)) : 0;
  if (waitedSeconds > MAX_SERVICE_LOCK_WAIT_SECONDS) {
    throw new LockWaitTimeoutError(`resolve release: still waiting for the service's lock ${waitedSeconds}s after the push (limit ${MAX_SERVICE_LOCK_WAIT_SECONDS}s): nothing was changed; push the image again once the holder is done`);
  }
  const push = summarizePush(parsePushEvent(event));
  const manifest = findByRepository(deps.config.catalog, push.repository);
  if (!manifest) {
    throw new UnknownRepositoryError(`resolve release: repository ${push.repository} is not claimed by any services/*/service.yml`);
  }
  if (!tagDeploys(manifest, push.tag)) throw new TagNotDeployedError(`resolve release: ${tagRefusal(manifest, push.tag)}`);
  assertOwnImage(push, accountRegionOf(deps.config.listenerArn));
  await deps.ecr.assertImageExists(push.repository, push.digest);
  const imageUri = pinnedImageUri(push);

  let retired = false;
  if (manifest.role === 'monolith') {
    const [service, targetGroup, rules] = await Promise.all([
      deps.ecs.describeService(manifest.name),
      deps.elb.findTargetGroup(manifest.targetGroupName),
      deps.elb.listenerRules(deps.config.listenerArn),
    ]);
    if (!service && !targetGroup) {
      throw new EnvironmentNotFoundError(`resolve release: monolith service ${manifest.name} is not in cluster ${deps.config.clusterName}: the pipeline updates the monolith, it does not create it`);
    }
    retired = monolithRetired(service?.desiredCount, targetGroup?.TargetGroupArn, rules);
  }

  // A re-delivery or re-run of what is already live changes nothing: not even a lock is taken.
  let upToDate = false;
  if (manifest.role === 'microservice') {
    const [service, rules] = await Promise.all([deps.ecs.describeService(manifest.name), deps.elb.listenerRules(deps.config.listenerArn)]);
    const shadow = shadowingRule(manifest, rules);
    if (shadow) {
      throw new ShadowedPathError(
        `resolve release: rule ${shadow.ruleArn} at priority ${shadow.priority} (paths ${shadow.paths.join(',') || 'any'}) comes before ${manifest.name}'s priority ${manifest.priority} and takes requests for ${shadow.path}: give ${manifest.name} a priority number below ${shadow.priority} or move that rule after ${manifest.priority}; nothing was changed`,
      );
    }
    // A first rule behind authenticate-oidc cannot be created (AWS never answers the client secret): refuse now.
    assertServiceRuleCreatable(manifest, rules);
    // An alarm the bakes would read that CloudWatch does not have: refused now, not after a canary took traffic.
    const { missing } = await deps.cloudwatch.alarmStates(manifest.traffic.alarms);
    if (missing.length > 0) {
      throw new UnknownAlarmError(`resolve release of ${manifest.name}: traffic.alarms names ${missing.join(', ')}, which CloudWatch does not have in ${deps.config.listenerArn.split(':')[3] ?? 'this region'}: create ${missing.length === 1 ? 'it' : 'them'} or fix the name in its service.yml; nothing was changed`);
    }
    if (service && service.desiredCount === manifest.desiredCount) {
      const definition = await deps.ecs.latestTaskDefinition(service.taskDefinition);
      const sameRevision = definition !== undefined && revisionMatches(definition, taskDefinitionSpec(manifest, imageUri, deps.config));
      upToDate = sameRevision && (await liveness(deps, manifest, service, rules)).live;
    }
  }

  const release: Release = {
    executionName,
    service: manifest.name,
    role: manifest.role,
    push,
    imageUri,
    retired,
    upToDate,
    lockKey: lockKeyOf(manifest.name),
    lockWaitSeconds: lockWaitSeconds(waitedSeconds),
    leaseUntil: leaseUntil(deps.now(), serviceHoldSeconds(deps.config.catalog, manifest.name)),
    changes: [],
  };
  deps.logger.info('release resolved', { execution: executionName, serviceName: manifest.name, digest: push.digest, retired, upToDate });
  return release;
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecr: ecrAdapter(), ecs: ecsAdapter(config), elb: elbAdapter(), cloudwatch: cloudwatchAdapter() }));
