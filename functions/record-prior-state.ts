import * as v from 'valibot';
import { monolithRetired } from '../lib/domain/cutover-plan';
import { ruleAtPriority } from '../lib/domain/listener-rule-plan';
import { targetGroupSettings } from '../lib/domain/target-group';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { parseInput } from '../lib/domain/parse-input';
import { isSuperseded } from '../lib/domain/release-record';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter, elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';

/** "Acquire service lock" hands on the lock item as it was (DynamoDB's ALL_OLD): it carries the release record. */
const InputSchema = v.object({
  release: v.unknown(),
  lock: v.optional(v.looseObject({ Attributes: v.optional(v.record(v.string(), v.unknown())) })),
});

/**
 * Under the service lock, before the first change: what the service, its target group and its rule look
 * like now. Compensation restores exactly this. Taken after the lock so no other rollout of the same
 * service is half-way through it. Also decides, now that no other push of the service can run, whether a
 * newer push is already live (superseded) or the monolith was retired meanwhile. Read-only.
 */
export const makeHandler = (deps: HandlerDeps<'ecs' | 'elb'>) => async (input: unknown): Promise<Release> => {
  const parsed = parseInput(InputSchema, input, 'record prior state');
  const release = parseRelease(parsed.release, 'record prior state');
  const manifest = manifestOf(deps, release);
  const [service, targetGroup, rules] = await Promise.all([
    deps.ecs.describeService(manifest.name),
    deps.elb.findTargetGroup(manifest.targetGroupName),
    deps.elb.listenerRules(deps.config.listenerArn),
  ]);
  const rule = ruleAtPriority(rules, manifest.priority);
  const deregistrationDelay = targetGroup ? await deps.elb.deregistrationDelay(targetGroup.TargetGroupArn) : undefined;
  const superseded = isSuperseded(parsed.lock?.Attributes, release.push);
  deps.logger.info('prior state recorded', { ...logKeys(release), serviceExists: Boolean(service), targetGroupExists: Boolean(targetGroup), ruleExists: Boolean(rule), superseded });
  return {
    ...release,
    superseded,
    // Under the lock: a cut-over may have retired the monolith while this push of it waited.
    retired: release.role === 'monolith' && monolithRetired(service?.desiredCount, targetGroup?.TargetGroupArn, rules),
    before: {
      // A DRAINING service is a deleted one on its way out: there is nothing to restore it to.
      service: service?.status === 'ACTIVE' ? { exists: true, taskDefinitionArn: service.taskDefinition, desiredCount: service.desiredCount } : { exists: false },
      targetGroupExisted: targetGroup !== undefined,
      ...(targetGroup ? { targetGroup: targetGroupSettings(targetGroup, deregistrationDelay) } : {}),
      rule: rule ? { ruleArn: rule.ruleArn, actions: [...rule.actions] } : null,
    },
    ...(targetGroup ? { targetGroupArn: targetGroup.TargetGroupArn } : {}),
  };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
