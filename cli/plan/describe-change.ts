import type { CreateServiceSpec, ServiceView } from '../../lib/aws/ecs';
import type { RuleAction } from '../../lib/domain/release';
import { forwardTargets, type ObservedRule } from '../../lib/domain/routing';
import type { TargetGroupSpec } from '../../lib/domain/target-group';
import { familyRevisionOf, type TaskDefinitionSpec } from '../../lib/domain/task-definition';
import { targetGroupNameOf } from '../environment/read-environment';

/** "would …" lines for the plan, one per change a handler asked its adapters to make. */

export const groupName = targetGroupNameOf;

/** What an action list does, in words: "forward to posts", "forward to api (weight 1) and posts (weight 0)", "a fixed 503 response". */
export function describeActions(actions: readonly RuleAction[]): string {
  const fixed = actions.find((action) => action.Type === 'fixed-response');
  if (fixed) return `a fixed ${fixed.FixedResponseConfig?.StatusCode ?? '?'} response`;
  const targets = forwardTargets(actions);
  if (targets.length === 1 && targets[0]) return `forward to ${groupName(targets[0].targetGroupArn)}`;
  if (targets.length > 1) return `forward to ${targets.map((target) => `${groupName(target.targetGroupArn)} (weight ${target.weight})`).join(' and ')}`;
  return actions.map((action) => action.Type).join(', ') || 'no action';
}

const healthCheck = (spec: TargetGroupSpec) =>
  `${spec.HealthCheckProtocol} ${spec.HealthCheckPath}, healthy ${spec.HealthyThresholdCount}, unhealthy ${spec.UnhealthyThresholdCount}, timeout ${spec.HealthCheckTimeoutSeconds} s, interval ${spec.HealthCheckIntervalSeconds} s`;

export const createTargetGroup = (spec: TargetGroupSpec) => `would create target group ${spec.Name} (${healthCheck(spec)})`;

export const modifyHealthCheck = (spec: TargetGroupSpec) => `would change the health check of target group ${spec.Name} to ${healthCheck(spec)}`;

/** The image by repository and a short digest: the registry host is the account's own. */
const shortImage = (image: string) => image.replace(/^[^/]+\//, '').replace(/@sha256:(\w{12})\w+$/, '@sha256:$1…');

export function registerTaskDefinition(familyRevision: string, spec: TaskDefinitionSpec): string {
  const image = spec.containerDefinitions[0]?.image;
  return `would register ${familyRevision}${image ? ` (${shortImage(image)})` : ''}`;
}

export const createRule = (priority: number, paths: readonly string[], actions: readonly RuleAction[]) =>
  `would create rule ${paths.join(',')} at priority ${priority} (${describeActions(actions)})`;

export function modifyRule(rule: ObservedRule | undefined, actions: readonly RuleAction[]): string {
  const what = !rule ? 'a rule' : rule.priority === 'default' ? "the listener's default action" : `rule ${rule.paths.join(',')} (priority ${rule.priority})`;
  return `would change ${what} to ${describeActions(actions)} (now: ${rule ? describeActions(rule.actions) : '?'})`;
}

export const createService = (spec: CreateServiceSpec, familyRevision: string) =>
  `would create service ${spec.serviceName} (${familyRevision} × ${spec.desiredCount}, ${spec.launchType})`;

export function updateService(name: string, before: ServiceView | undefined, change: { taskDefinitionArn?: string; desiredCount?: number; deployment?: { strategy: string } }): string {
  const from = before ? `${familyRevisionOf(before.taskDefinition)} × ${before.desiredCount}` : '?';
  if (!change.taskDefinitionArn || change.taskDefinitionArn === before?.taskDefinition) {
    return `would scale service ${name} from ${before?.desiredCount ?? '?'} to ${change.desiredCount ?? before?.desiredCount ?? '?'} tasks`;
  }
  const strategy = change.deployment?.strategy;
  const how = strategy && strategy !== 'ROLLING' ? ` with ECS's own ${strategy} deployment` : strategy === 'ROLLING' ? ' (back to ECS\'s rolling deployments)' : '';
  return `would update service ${name} from ${from} to ${familyRevisionOf(change.taskDefinitionArn)} × ${change.desiredCount ?? before?.desiredCount ?? '?'}${how}`;
}
