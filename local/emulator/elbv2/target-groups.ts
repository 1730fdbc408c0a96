/** ELBv2 target groups: create (idempotent by name + settings), describe, modify, attributes, delete. */
import type {
  CreateTargetGroupCommandInput, DescribeTargetGroupsCommandInput, ModifyTargetGroupCommandInput, TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { nextHex, type EmulatorContext, type HealthCheckState, type TargetGroupRecord } from '../context';
import { elbv2Error } from '../errors';
import { assertStickinessAllowed, loadBalancersByTargetGroup } from './actions';

// ELB user guide (target group health checks; quotas): name <= 32 chars, interval 5-300, timeout 2-120,
// thresholds 2-10, matcher 200-499, timeout < interval; deregistration delay 0-3600 s, default 300.
const NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;
export const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  'deregistration_delay.timeout_seconds': '300',
  'stickiness.enabled': 'false',
  'stickiness.type': 'lb_cookie',
  'stickiness.lb_cookie.duration_seconds': '86400',
  'slow_start.duration_seconds': '0',
  'load_balancing.algorithm.type': 'round_robin',
};

export function validateHealthCheck(check: HealthCheckState): void {
  const inRange = (label: string, value: number, min: number, max: number): void => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw elbv2Error('ValidationError', `Health check ${label} '${value}' must be between ${min} and ${max}`);
    }
  };
  inRange('interval', check.intervalSeconds, 5, 300);
  inRange('timeout', check.timeoutSeconds, 2, 120);
  inRange('healthy threshold', check.healthyThreshold, 2, 10);
  inRange('unhealthy threshold', check.unhealthyThreshold, 2, 10);
  if (check.timeoutSeconds >= check.intervalSeconds) {
    throw elbv2Error('ValidationError', `Health check timeout '${check.timeoutSeconds}' must be smaller than the interval '${check.intervalSeconds}'`);
  }
  for (const part of check.matcher.split(',')) {
    const bounds = part.split('-').map((code) => Number(code));
    const valid = bounds.length <= 2 && bounds.every((code) => /^\d{3}$/.test(String(code)) && code >= 200 && code <= 499);
    if (!valid) throw elbv2Error('ValidationError', `Health check matcher HTTP code '${check.matcher}' must be within 200-499`);
  }
}

function settingsOf(group: TargetGroupRecord): string {
  const { arn: _arn, name: _name, attributes: _attributes, targets: _targets, ...settings } = group;
  return JSON.stringify(settings);
}

function findByName(ctx: EmulatorContext, name: string): TargetGroupRecord | undefined {
  return [...ctx.targetGroups.values()].find((group) => group.name === name);
}

export function requireTargetGroup(ctx: EmulatorContext, arn: string | undefined): TargetGroupRecord {
  const group = arn === undefined ? undefined : ctx.targetGroups.get(arn);
  if (!group) throw elbv2Error('TargetGroupNotFoundException', `Target groups '${String(arn)}' not found`);
  return group;
}

export function toSdkTargetGroup(ctx: EmulatorContext, group: TargetGroupRecord, loadBalancers = loadBalancersByTargetGroup(ctx)): TargetGroup {
  const check = group.healthCheck;
  return {
    TargetGroupArn: group.arn, TargetGroupName: group.name, Protocol: group.protocol as TargetGroup['Protocol'], Port: group.port,
    VpcId: group.vpcId, HealthCheckProtocol: check.protocol as TargetGroup['Protocol'], HealthCheckPort: check.port,
    HealthCheckEnabled: check.enabled, HealthCheckIntervalSeconds: check.intervalSeconds, HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold, UnhealthyThresholdCount: check.unhealthyThreshold, HealthCheckPath: check.path,
    Matcher: { HttpCode: check.matcher }, LoadBalancerArns: [...(loadBalancers.get(group.arn) ?? [])],
    TargetType: group.targetType as TargetGroup['TargetType'], ProtocolVersion: group.protocolVersion, IpAddressType: 'ipv4',
  };
}

export function createTargetGroup(ctx: EmulatorContext, input: CreateTargetGroupCommandInput): { TargetGroups: TargetGroup[] } {
  const name = input.Name ?? '';
  if (!NAME_PATTERN.test(name)) {
    throw elbv2Error('ValidationError', `Target group name '${name}' can have a maximum of 32 characters, contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`);
  }
  const targetType = input.TargetType ?? 'instance';
  if (targetType !== 'lambda' && (input.Protocol === undefined || input.Port === undefined || input.VpcId === undefined)) {
    throw elbv2Error('ValidationError', `A protocol, port and VPC ID must be specified for target type '${targetType}'`);
  }
  if (input.VpcId !== undefined && !ctx.vpcs.has(input.VpcId)) throw elbv2Error('ValidationError', `The VPC ID '${input.VpcId}' is not found`);
  const protocol = input.Protocol ?? 'HTTP';
  const healthCheck: HealthCheckState = {
    enabled: input.HealthCheckEnabled ?? true, protocol: input.HealthCheckProtocol ?? protocol, port: input.HealthCheckPort ?? 'traffic-port',
    path: input.HealthCheckPath ?? '/', intervalSeconds: input.HealthCheckIntervalSeconds ?? 30, timeoutSeconds: input.HealthCheckTimeoutSeconds ?? 5,
    healthyThreshold: input.HealthyThresholdCount ?? 5, unhealthyThreshold: input.UnhealthyThresholdCount ?? 2, matcher: input.Matcher?.HttpCode ?? '200',
  };
  validateHealthCheck(healthCheck);
  const candidate: TargetGroupRecord = {
    arn: '', name, protocol, port: input.Port ?? 0, vpcId: input.VpcId ?? '', targetType, protocolVersion: input.ProtocolVersion ?? 'HTTP1',
    healthCheck, attributes: { ...DEFAULT_ATTRIBUTES }, targets: [],
  };
  const existing = findByName(ctx, name);
  if (existing) {
    if (settingsOf(existing) !== settingsOf(candidate)) throw elbv2Error('DuplicateTargetGroupNameException', `A target group with the same name '${name}' exists, but with different settings`);
    return { TargetGroups: [toSdkTargetGroup(ctx, existing)] };
  }
  candidate.arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${name}/${nextHex(ctx, 16)}`;
  ctx.targetGroups.set(candidate.arn, candidate);
  return { TargetGroups: [toSdkTargetGroup(ctx, candidate)] };
}

export function describeTargetGroups(ctx: EmulatorContext, input: DescribeTargetGroupsCommandInput): { TargetGroups: TargetGroup[] } {
  const loadBalancers = loadBalancersByTargetGroup(ctx);
  let groups = [...ctx.targetGroups.values()];
  if (input.Names) {
    groups = input.Names.map((name) => {
      const group = findByName(ctx, name);
      if (!group) throw elbv2Error('TargetGroupNotFoundException', `One or more target groups not found`);
      return group;
    });
  } else if (input.TargetGroupArns) {
    groups = input.TargetGroupArns.map((arn) => requireTargetGroup(ctx, arn));
  } else if (input.LoadBalancerArn !== undefined) {
    const loadBalancerArn = input.LoadBalancerArn;
    if (!ctx.loadBalancers.has(loadBalancerArn)) throw elbv2Error('LoadBalancerNotFoundException', `Load balancer '${loadBalancerArn}' not found`);
    groups = groups.filter((group) => loadBalancers.get(group.arn)?.has(loadBalancerArn) === true);
  }
  return { TargetGroups: groups.map((group) => toSdkTargetGroup(ctx, group, loadBalancers)) };
}

export function modifyTargetGroup(ctx: EmulatorContext, input: ModifyTargetGroupCommandInput): { TargetGroups: TargetGroup[] } {
  const group = requireTargetGroup(ctx, input.TargetGroupArn);
  const current = group.healthCheck;
  const next: HealthCheckState = {
    enabled: input.HealthCheckEnabled ?? current.enabled, protocol: input.HealthCheckProtocol ?? current.protocol,
    port: input.HealthCheckPort ?? current.port, path: input.HealthCheckPath ?? current.path,
    intervalSeconds: input.HealthCheckIntervalSeconds ?? current.intervalSeconds, timeoutSeconds: input.HealthCheckTimeoutSeconds ?? current.timeoutSeconds,
    healthyThreshold: input.HealthyThresholdCount ?? current.healthyThreshold, unhealthyThreshold: input.UnhealthyThresholdCount ?? current.unhealthyThreshold,
    matcher: input.Matcher?.HttpCode ?? current.matcher,
  };
  validateHealthCheck(next);
  group.healthCheck = next;
  return { TargetGroups: [toSdkTargetGroup(ctx, group)] };
}

export function modifyAttributes(ctx: EmulatorContext, arn: string | undefined, attributes: Array<{ Key?: string; Value?: string }>): Array<{ Key: string; Value: string }> {
  const group = requireTargetGroup(ctx, arn);
  for (const { Key, Value } of attributes) {
    if (Key === undefined || Value === undefined) throw elbv2Error('ValidationError', 'Attribute key and value must be specified');
    if (Key === 'deregistration_delay.timeout_seconds') {
      const seconds = Number(Value);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600) {
        throw elbv2Error('ValidationError', `'deregistration_delay.timeout_seconds' must be between 0 and 3600, got '${Value}'`);
      }
    }
    if (Key === 'stickiness.enabled' && Value === 'true' && group.attributes['stickiness.enabled'] !== 'true') assertStickinessAllowed(ctx, group.arn);
  }
  for (const { Key, Value } of attributes) if (Key !== undefined && Value !== undefined) group.attributes[Key] = Value;
  return describeAttributes(ctx, arn);
}

export function describeAttributes(ctx: EmulatorContext, arn: string | undefined): Array<{ Key: string; Value: string }> {
  const group = requireTargetGroup(ctx, arn);
  return Object.entries(group.attributes).map(([Key, Value]) => ({ Key, Value }));
}

export function deleteTargetGroup(ctx: EmulatorContext, arn: string | undefined): void {
  if (arn === undefined || !ctx.targetGroups.has(arn)) return; // AWS treats deleting a missing group as success
  if (loadBalancersByTargetGroup(ctx).has(arn)) throw elbv2Error('ResourceInUseException', `Target group '${arn}' is currently in use by a listener or a rule`);
  ctx.targetGroups.delete(arn);
}

export function deregistrationDelayMs(group: TargetGroupRecord): number {
  return Number(group.attributes['deregistration_delay.timeout_seconds'] ?? '300') * 1000;
}
