import Table from 'cli-table3';
import type { RuleAction } from '../../lib/domain/release';
import { forwardTargets } from '../../lib/domain/routing';
import type { StateReport } from '../../local/runner/report';

function targetName(arn: string): string {
  return arn.split('/')[1] ?? arn;
}

function describeTarget(actions: readonly RuleAction[], state: StateReport): { target: string; healthy: string; tasks: string } {
  const fixed = actions.find((action) => action.Type === 'fixed-response');
  if (fixed) return { target: `${fixed.FixedResponseConfig?.StatusCode ?? '?'} fixed response`, healthy: '-', tasks: '-' };
  const targets = forwardTargets(actions);
  const weighted = targets.filter((t) => t.weight > 0);
  const names = targets.map((t) => (targets.length > 1 ? `${targetName(t.targetGroupArn)} (w${t.weight})` : targetName(t.targetGroupArn)));
  const healthy = targets.map((t) => String(state.targetGroups.find((g) => g.name === targetName(t.targetGroupArn))?.healthyTargets ?? 0));
  const tasks = weighted.map((t) => {
    const service = state.services.find((s) => s.name === targetName(t.targetGroupArn));
    return service ? `${service.desiredCount}/${service.runningCount}` : '-';
  });
  return { target: names.join(' + ') || '(none)', healthy: healthy.join(' + ') || '-', tasks: tasks.join(' + ') || '-' };
}

/** Path → what answers it, with healthy targets and desired/running tasks of the serving service. */
export function routingTable(state: StateReport): string {
  const table = new Table({ head: ['priority', 'path', 'served by', 'healthy targets', 'tasks desired/running'], style: { head: [], border: [] } });
  for (const rule of state.listener.rules) {
    const row = describeTarget(rule.actions, state);
    table.push([String(rule.priority), rule.paths.join(', '), row.target, row.healthy, row.tasks]);
  }
  const fallback = describeTarget(state.listener.defaultActions, state);
  table.push(['default', '(any other path)', fallback.target, fallback.healthy, fallback.tasks]);
  const services = new Table({ head: ['service', 'task definition', 'desired', 'running', 'image'], style: { head: [], border: [] } });
  for (const service of state.services) {
    services.push([service.name, service.taskDefinition, String(service.desiredCount), String(service.runningCount), service.image.replace(/@sha256:(\w{12})\w+/, '@sha256:$1…')]);
  }
  return `${table.toString()}\n${services.toString()}`;
}
