import type { Manifest } from './manifest';
import type { TargetGroupSettings } from './release';

/** The target group a manifest asks for, in the shape of ELBv2 CreateTargetGroup's input. */
export interface TargetGroupSpec {
  Name: string;
  Protocol: 'HTTP';
  Port: number;
  VpcId: string;
  TargetType: 'instance' | 'ip';
  HealthCheckProtocol: 'HTTP';
  HealthCheckPath: string;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  Matcher: { HttpCode: string };
}

export function targetGroupSpec(manifest: Manifest, vpcId: string): TargetGroupSpec {
  const hc = manifest.healthCheck;
  return {
    Name: manifest.targetGroupName,
    Protocol: 'HTTP',
    // The tutorial's groups listen on 80; in bridge mode ECS registers each task's dynamic host port anyway.
    Port: 80,
    VpcId: vpcId,
    TargetType: manifest.networkMode === 'awsvpc' ? 'ip' : 'instance',
    HealthCheckProtocol: 'HTTP',
    HealthCheckPath: hc.path,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    Matcher: { HttpCode: hc.matcher },
  };
}

export interface ObservedTargetGroup {
  readonly TargetGroupArn: string;
  readonly Protocol?: string;
  readonly Port?: number;
  readonly VpcId?: string;
  readonly TargetType?: string;
  readonly HealthCheckPath?: string;
  readonly HealthCheckIntervalSeconds?: number;
  readonly HealthCheckTimeoutSeconds?: number;
  readonly HealthyThresholdCount?: number;
  readonly UnhealthyThresholdCount?: number;
  readonly Matcher?: { HttpCode?: string };
}

export type TargetGroupPlan =
  | { kind: 'create' }
  | { kind: 'reuse'; targetGroupArn: string }
  | { kind: 'reconcile'; targetGroupArn: string; drift: string[] }
  | { kind: 'conflict'; targetGroupArn: string; reason: string };

const HEALTH_FIELDS = [
  'HealthCheckPath',
  'HealthCheckIntervalSeconds',
  'HealthCheckTimeoutSeconds',
  'HealthyThresholdCount',
  'UnhealthyThresholdCount',
] as const;

/**
 * Health-check drift is reconciled in place (ModifyTargetGroup); protocol, port, VPC and target type
 * cannot be changed on an existing group, so a mismatch there is a conflict a human must resolve.
 */
export function planTargetGroup(spec: TargetGroupSpec, observed: ObservedTargetGroup | undefined): TargetGroupPlan {
  if (!observed) return { kind: 'create' };
  const fixed: string[] = [];
  if (observed.Protocol !== spec.Protocol) fixed.push(`protocol ${observed.Protocol} (want ${spec.Protocol})`);
  if (observed.Port !== spec.Port) fixed.push(`port ${observed.Port} (want ${spec.Port})`);
  if (observed.VpcId !== spec.VpcId) fixed.push(`VPC ${observed.VpcId} (want ${spec.VpcId})`);
  if (observed.TargetType !== spec.TargetType) fixed.push(`target type ${observed.TargetType} (want ${spec.TargetType})`);
  if (fixed.length > 0) return { kind: 'conflict', targetGroupArn: observed.TargetGroupArn, reason: fixed.join(', ') };
  const drift: string[] = HEALTH_FIELDS.filter((field) => observed[field] !== spec[field]).map(
    (field) => `${field} ${observed[field]} → ${spec[field]}`,
  );
  if ((observed.Matcher?.HttpCode ?? '200') !== spec.Matcher.HttpCode) drift.push(`Matcher ${observed.Matcher?.HttpCode} → ${spec.Matcher.HttpCode}`);
  return drift.length === 0 ? { kind: 'reuse', targetGroupArn: observed.TargetGroupArn } : { kind: 'reconcile', targetGroupArn: observed.TargetGroupArn, drift };
}

/** The settings "Ensure target group" reconciles, as observed (for the prior state). */
export function targetGroupSettings(observed: ObservedTargetGroup, deregistrationDelaySeconds: number | undefined): TargetGroupSettings {
  return {
    healthCheckPath: observed.HealthCheckPath,
    healthCheckIntervalSeconds: observed.HealthCheckIntervalSeconds,
    healthCheckTimeoutSeconds: observed.HealthCheckTimeoutSeconds,
    healthyThresholdCount: observed.HealthyThresholdCount,
    unhealthyThresholdCount: observed.UnhealthyThresholdCount,
    matcher: observed.Matcher?.HttpCode,
    deregistrationDelaySeconds,
  };
}

/** The health-check part of a spec rebuilt from recorded settings (to put a reconciled group back). */
export function healthCheckFrom(name: string, settings: TargetGroupSettings, fallback: TargetGroupSpec): TargetGroupSpec {
  return {
    ...fallback,
    Name: name,
    HealthCheckPath: settings.healthCheckPath ?? fallback.HealthCheckPath,
    HealthCheckIntervalSeconds: settings.healthCheckIntervalSeconds ?? fallback.HealthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: settings.healthCheckTimeoutSeconds ?? fallback.HealthCheckTimeoutSeconds,
    HealthyThresholdCount: settings.healthyThresholdCount ?? fallback.HealthyThresholdCount,
    UnhealthyThresholdCount: settings.unhealthyThresholdCount ?? fallback.UnhealthyThresholdCount,
    Matcher: { HttpCode: settings.matcher ?? fallback.Matcher.HttpCode },
  };
}
