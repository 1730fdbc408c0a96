import { microservicesOf, monolithOf, type Catalog } from '../../lib/domain/catalog';
import { representativePath } from '../../lib/domain/routing';
import { alternateTargetGroupName } from '../../lib/domain/manifest';
import type { AwsEmulator } from '../emulator';

export interface MigrationCheck {
  readonly ok: boolean;
  readonly findings: string[];
}

/** Paths no microservice claims: after the cut-over, each must be answered 503. */
export const UNCLAIMED_PATHS = ['/', '/api', '/api/', '/api/unknown', '/index.html'];

/**
 * The end state the tutorial reaches: every microservice's paths served by its own healthy group,
 * every other path answered 503, the monolith at 0 tasks. Judged by asking the ALB emulation.
 */
export function verifyMigration(emulator: AwsEmulator, catalog: Catalog, listenerArn: string, dropTargetGroupArn?: string): MigrationCheck {
  const findings: string[] = [];
  for (const manifest of microservicesOf(catalog)) {
    for (const pattern of manifest.paths) {
      const path = representativePath(pattern);
      const route = emulator.route(listenerArn, path);
      const served = route.kind === 'forward' && route.targetGroups.filter((group) => group.weight > 0);
      // Either of the service's two groups may be the one serving (an ECS blue/green-family update swaps them).
      const ours = [manifest.targetGroupName, alternateTargetGroupName(manifest)];
      if (!served || served.length !== 1 || !ours.includes(served[0]?.name ?? '') || (served[0]?.healthyTargets ?? 0) < 1) {
        findings.push(`${path} is not served by ${manifest.targetGroupName} or ${alternateTargetGroupName(manifest)} with healthy targets (${JSON.stringify(route)})`);
      }
    }
  }
  for (const path of UNCLAIMED_PATHS) {
    const route = emulator.route(listenerArn, path);
    // The tutorial's empty "drop-traffic" group has no target to send to: the ALB answers 503.
    const answered503 =
      (route.kind === 'fixed-response' && route.statusCode === 503) ||
      (route.kind === 'forward' && route.targetGroups.every((group) => group.arn === dropTargetGroupArn && group.healthyTargets === 0));
    if (!answered503) findings.push(`${path} is not answered 503 (${JSON.stringify(route)})`);
  }
  const monolith = monolithOf(catalog);
  const service = monolith && emulator.snapshot().services.find((candidate) => candidate.name === monolith.name && candidate.status === 'ACTIVE');
  if (monolith && service && (service.desiredCount !== 0 || service.runningCount !== 0)) {
    findings.push(`monolith ${monolith.name} still has ${service.desiredCount} desired / ${service.runningCount} running tasks`);
  }
  return { ok: findings.length === 0, findings };
}
