import Table from 'cli-table3';
import type { TargetCounts } from '../../lib/domain/health';
import type { EnvironmentView, ServiceStatusView } from '../environment/read-environment';
import type { LastExecution } from '../environment/last-executions';
import { describeActions } from '../plan/describe-change';

export interface StatusReport {
  /** What was read: the account, the last local run, or the local seed. */
  readonly source: string;
  readonly environment: EnvironmentView;
  readonly lastExecutions: Record<string, LastExecution | null>;
  readonly lastCutover: LastExecution | null;
}

const counts = (targets: TargetCounts | undefined) => (targets ? `${targets.healthy}/${targets.initial}/${targets.unhealthy}/${targets.draining}` : '-');

function deployment(service: ServiceStatusView): string {
  if (service.status !== 'ACTIVE') return service.status ?? 'not deployed';
  const primary = service.deployments.find((candidate) => candidate.status === 'PRIMARY');
  const state = primary?.rolloutState ?? (primary ? 'IN_PROGRESS' : 'no deployment');
  const others = service.deployments.length > 1 ? ` (+${service.deployments.length - 1} draining)` : '';
  return `${state}${others}${primary?.rolloutState === 'FAILED' && primary.rolloutStateReason ? `: ${primary.rolloutStateReason}` : ''}`;
}

const execution = (last: LastExecution | null | undefined) => (last ? `${last.name} ${last.status}` : '-');

/** The listener's routing as it is, then one row per service: what runs, how it is doing, and its last rollout. */
export function renderStatus(report: StatusReport): string {
  const { environment } = report;
  const groups = new Map(environment.targetGroups.map((group) => [group.name, group]));
  const routes = new Table({ head: ['priority', 'path', 'served by'], style: { head: [], border: [] } });
  for (const rule of environment.rules) routes.push([String(rule.priority), rule.paths.join(', '), describeActions(rule.actions)]);
  routes.push(['default', '(any other path)', describeActions(environment.defaultActions)]);
  const services = new Table({
    head: ['service', 'task definition', 'desired/running', 'deployment', 'targets healthy/initial/unhealthy/draining', 'last execution'],
    style: { head: [], border: [] },
  });
  for (const service of environment.services) {
    services.push([
      service.name,
      service.taskDefinition ?? '-',
      service.status === 'ACTIVE' ? `${service.desiredCount}/${service.runningCount}` : '-',
      deployment(service),
      service.targetGroup ? `${service.targetGroup}: ${counts(groups.get(service.targetGroup)?.targets)}` : '-',
      execution(report.lastExecutions[service.name]),
    ]);
  }
  const lines = [`Status of ${report.source}`, `Listener ${environment.listenerArn}:`, routes.toString(), services.toString()];
  if (report.lastCutover) lines.push(`Last cut-over: ${execution(report.lastCutover)}`);
  const failures = [...Object.values(report.lastExecutions), report.lastCutover].filter((last): last is LastExecution => Boolean(last?.error));
  for (const failed of failures) lines.push(`${failed.name} ${failed.status}: ${failed.error}: ${failed.cause ?? ''}`);
  return `${lines.join('\n')}\n`;
}
