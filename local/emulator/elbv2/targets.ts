/** ELBv2 target registration and DescribeTargetHealth; tags are recorded but have no effect. */
import type {
  DescribeTargetHealthCommandInput, RegisterTargetsCommandInput, TargetHealthDescription, TargetHealthReasonEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { EmulatorContext, TargetGroupRecord, TargetRecord } from '../context';
import { elbv2Error } from '../errors';
import { firstCheckSent, registerTarget, startDraining, targetRunsBadImage } from '../runtime/health';
import { loadBalancersByTargetGroup } from './actions';
import { requireTargetGroup } from './target-groups';

type Reason = { Reason: TargetHealthReasonEnum; Description: string };

// Reason codes and descriptions as the ELB user guide lists them ("Health check reason codes").
const reasons: Record<string, Reason | undefined> = {
  registering: { Reason: 'Elb.RegistrationInProgress', Description: 'Target registration is in progress' },
  initial: { Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' },
  unhealthy: { Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [500]' },
  starting: { Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' },
  draining: { Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' },
  unused: { Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' },
};

/** Until its first check goes out a new target is still registering; an application still starting fails its checks. */
function reasonOf(ctx: EmulatorContext, group: TargetGroupRecord, target: TargetRecord, state: string): Reason | undefined {
  if (state === 'initial' && !firstCheckSent(ctx, group, target)) return reasons.registering;
  if (state === 'unhealthy' && !targetRunsBadImage(ctx, target)) return reasons.starting;
  return reasons[state];
}

export function registerTargets(ctx: EmulatorContext, input: RegisterTargetsCommandInput): Record<string, never> {
  const group = requireTargetGroup(ctx, input.TargetGroupArn);
  const targets = (input.Targets ?? []).map(({ Id, Port }) => {
    if (Id === undefined) throw elbv2Error('ValidationError', 'A target ID must be specified');
    return { id: Id, port: Port ?? group.port };
  });
  for (const { id, port } of targets) registerTarget(ctx, group, id, port);
  return {};
}

export function deregisterTargets(ctx: EmulatorContext, input: RegisterTargetsCommandInput): Record<string, never> {
  const group = requireTargetGroup(ctx, input.TargetGroupArn);
  for (const { Id, Port } of input.Targets ?? []) {
    const target = group.targets.find((candidate) => candidate.id === Id && candidate.port === (Port ?? group.port));
    if (!target) throw elbv2Error('InvalidTargetException', `The target '${String(Id)}' is not registered with target group '${group.name}'`);
    startDraining(ctx, group, target);
  }
  return {};
}

function describe(ctx: EmulatorContext, group: TargetGroupRecord, target: TargetRecord, inUse: boolean): TargetHealthDescription {
  const state = inUse || target.state === 'draining' ? target.state : 'unused';
  const reason = reasonOf(ctx, group, target, state);
  return {
    Target: { Id: target.id, Port: target.port }, HealthCheckPort: String(target.port),
    TargetHealth: reason ? { State: state, Reason: reason.Reason, Description: reason.Description } : { State: state },
  };
}

export function describeTargetHealth(ctx: EmulatorContext, input: DescribeTargetHealthCommandInput): { TargetHealthDescriptions: TargetHealthDescription[] } {
  const group = requireTargetGroup(ctx, input.TargetGroupArn);
  const inUse = loadBalancersByTargetGroup(ctx).has(group.arn);
  if (!input.Targets) return { TargetHealthDescriptions: group.targets.map((target) => describe(ctx, group, target, inUse)) };
  return {
    TargetHealthDescriptions: input.Targets.map(({ Id = '', Port }) => {
      const target = group.targets.find((candidate) => candidate.id === Id && (Port === undefined || candidate.port === Port));
      if (target) return describe(ctx, group, target, inUse);
      return {
        Target: { Id, Port: Port ?? group.port }, HealthCheckPort: String(Port ?? group.port),
        TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
      };
    }),
  };
}

export function addTags(ctx: EmulatorContext, resourceArns: string[] | undefined, tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, never> {
  for (const arn of resourceArns ?? []) {
    const current = ctx.tags.get(arn) ?? new Map<string, string>();
    for (const { Key, Value } of tags ?? []) if (Key !== undefined) current.set(Key, Value ?? '');
    ctx.tags.set(arn, current);
  }
  return {};
}

export function describeTags(ctx: EmulatorContext, resourceArns: string[] | undefined): { TagDescriptions: Array<{ ResourceArn: string; Tags: Array<{ Key: string; Value: string }> }> } {
  return {
    TagDescriptions: (resourceArns ?? []).map((arn) => ({
      ResourceArn: arn, Tags: [...(ctx.tags.get(arn) ?? new Map<string, string>())].map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}
