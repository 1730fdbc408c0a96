import { TargetGroupConflictError } from '../lib/errors';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { planTargetGroup, targetGroupSpec } from '../lib/domain/target-group';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { elbAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';

/** Step 3: the service's target group with the manifest's health check: create, reuse, or reconcile drift. */
export const makeHandler = (deps: HandlerDeps<'elb'>) => async (input: unknown): Promise<Release> => {
  const release = parseRelease(input, 'ensure target group');
  const manifest = manifestOf(deps, release);
  const spec = targetGroupSpec(manifest, deps.config.vpcId);
  const plan = planTargetGroup(spec, await deps.elb.findTargetGroup(spec.Name));
  const changes = [...release.changes];
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
  if (delay !== manifest.deregistrationDelaySeconds) {
    await deps.elb.setDeregistrationDelay(targetGroupArn, manifest.deregistrationDelaySeconds);
    changes.push(`set deregistration delay of ${spec.Name} to ${manifest.deregistrationDelaySeconds}s`);
  }
  deps.logger.info('target group ensured', { ...logKeys(release), targetGroup: spec.Name, plan: plan.kind });
  return { ...release, targetGroupArn, changes };
};

export const handler = lambdaHandler(makeHandler, () => ({ elb: elbAdapter() }));
