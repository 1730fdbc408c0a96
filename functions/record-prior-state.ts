import * as v from 'valibot';
import { monolithRetired } from '../lib/domain/cutover-plan';
import { ruleAtPriority } from '../lib/domain/listener-rule-plan';
import { targetGroupSettings } from '../lib/domain/target-group';
import { forwardTargets, stickyGroupOf, type StickyGroup } from '../lib/domain/listener-actions';
import { actionsForPath, representativePath, type ObservedRule } from '../lib/domain/routing';
import { alternateTargetGroupName, type Manifest } from '../lib/domain/manifest';
import { deregistrationDelayOf } from '../lib/aws/elbv2';
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
 * The groups the service's rule will forward to (its own, and whatever serves its paths today) whose target
 * stickiness is on: a forward to several groups must then enable group stickiness. Its own group's attributes are
 * already read (`ownAttributes`); stickiness is not changed by a rollout, so it is read once, here.
 */
async function stickyGroupsOfRule(
  deps: HandlerDeps<'elb'>,
  manifest: Manifest,
  rules: readonly ObservedRule[],
  ownArn: string | undefined,
  ownAttributes: Record<string, string> | undefined,
): Promise<StickyGroup[]> {
  const others = rules.filter((candidate) => candidate.priority !== manifest.priority);
  const serving = forwardTargets(actionsForPath(others, representativePath(manifest.paths[0] ?? '/'))).map((target) => target.targetGroupArn).filter((arn) => arn !== ownArn);
  const found = await Promise.all(serving.map(async (arn) => stickyGroupOf(arn, await deps.elb.targetGroupAttributes(arn))));
  const own = ownArn && ownAttributes ? stickyGroupOf(ownArn, ownAttributes) : undefined;
  return [...found, own].filter((group): group is StickyGroup => group !== undefined);
}

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
  const [service, targetGroup, rules, alternate] = await Promise.all([
    deps.ecs.describeService(manifest.name),
    deps.elb.findTargetGroup(manifest.targetGroupName),
    deps.elb.listenerRules(deps.config.listenerArn),
    release.role === 'microservice' ? deps.elb.findTargetGroup(alternateTargetGroupName(manifest)) : Promise.resolve(undefined),
  ]);
  const rule = ruleAtPriority(rules, manifest.priority);
  const attributes = targetGroup ? await deps.elb.targetGroupAttributes(targetGroup.TargetGroupArn) : undefined;
  const stickyTargetGroups = release.role === 'microservice' ? await stickyGroupsOfRule(deps, manifest, rules, targetGroup?.TargetGroupArn, attributes) : [];
  const superseded = isSuperseded(parsed.lock?.Attributes, release.push);
  deps.logger.info('prior state recorded', { ...logKeys(release), serviceExists: Boolean(service), targetGroupExists: Boolean(targetGroup), ruleExists: Boolean(rule), superseded });
  return {
    ...release,
    superseded,
    // Under the lock: a cut-over may have retired the monolith while this push of it waited.
    retired: release.role === 'monolith' && monolithRetired(service?.desiredCount, targetGroup?.TargetGroupArn, rules),
    before: {
      // A DRAINING service is a deleted one on its way out: there is nothing to restore it to.
      service:
        service?.status === 'ACTIVE'
          ? { exists: true, taskDefinitionArn: service.taskDefinition, desiredCount: service.desiredCount, healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds ?? 0 }
          : { exists: false },
      targetGroupExisted: targetGroup !== undefined,
      ...(release.role === 'microservice' ? { alternateTargetGroupExisted: alternate !== undefined } : {}),
      ...(targetGroup ? { targetGroup: targetGroupSettings(targetGroup, deregistrationDelayOf(attributes ?? {})) } : {}),
      // Every action whole, as AWS answered it: compensation writes exactly these back.
      rule: rule ? { ruleArn: rule.ruleArn, actions: [...rule.actions] } : null,
    },
    stickyTargetGroups,
    ...(targetGroup ? { targetGroupArn: targetGroup.TargetGroupArn } : {}),
  };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config), elb: elbAdapter() }));
