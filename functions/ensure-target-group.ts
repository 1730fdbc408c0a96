import { TargetGroupConflictError } from '../lib/errors';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { planTargetGroup, targetGroupSpec, type TargetGroupSpec } from '../lib/domain/target-group';
import { alternateTargetGroupName } from '../lib/domain/manifest';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';

type Deps = HandlerDeps<'elb'>;

/** One group with the manifest's health check and deregistration delay: create, reuse, or reconcile drift. */
async function ensureGroup(deps: Deps, spec: TargetGroupSpec, deregistrationDelaySeconds: number, changes: string[]): Promise<{ arn: string; plan: string }> {
  const plan = planTargetGroup(spec, await deps.elb.findTargetGroup(spec.Name));
  let targetGroupArn: string;
  switch (plan.kind) {
    case 'conflict':
      throw new TargetGroupConflictError(`ensure target group ${spec.Name}: it exists with settings that cannot be changed in place: ${plan.reason}`);
    case 'create':
      targetGroupArn = await deps.elb.createTargetGroup(spec);
      changes.push(`created target group ${spec.Name}`);
      break;
    case 'reconcile':
      targetGroupArn = plan.targetGroupArn;
      await deps.elb.modifyHealthCheck(targetGroupArn, spec);
      changes.push(`reconciled target group ${spec.Name}: ${plan.drift.join(', ')}`);
      break;
    case 'reuse':
      targetGroupArn = plan.targetGroupArn;
      break;
  }
  const delay = await deps.elb.deregistrationDelay(targetGroupArn);
  if (delay !== deregistrationDelaySeconds) {
    await deps.elb.setDeregistrationDelay(targetGroupArn, deregistrationDelaySeconds);
    changes.push(`set deregistration delay of ${spec.Name} to ${deregistrationDelaySeconds}s`);
  }
  return { arn: targetGroupArn, plan: plan.kind };
}

/**
 * Step 3: the service's target group with the manifest's health check: create, reuse, or reconcile drift; and its
 * alternate group (alternateTargetGroupName), alike, which ECS's own canary / linear / blue-green updates need.
 */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<Release> => {
  const release = parseRelease(input, 'ensure target group');
  const manifest = manifestOf(deps, release);
  const spec = targetGroupSpec(manifest, deps.config.vpcId);
  const changes = [...release.changes];
  const primary = await ensureGroup(deps, spec, manifest.deregistrationDelaySeconds, changes);
  const alternate = await ensureGroup(deps, { ...spec, Name: alternateTargetGroupName(manifest) }, manifest.deregistrationDelaySeconds, changes);
  deps.logger.info('target group ensured', { ...logKeys(release), targetGroup: spec.Name, plan: primary.plan, alternatePlan: alternate.plan });
  return { ...release, targetGroupArn: primary.arn, alternateTargetGroupArn: alternate.arn, changes };
};

export const handler = lambdaHandler(makeHandler, () => ({ elb: elbAdapter() }));
