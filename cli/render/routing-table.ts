import type { RuleAction } from '../../lib/domain/release';
import { forwardTargets } from '../../lib/domain/routing';
import type { StateReport } from '../../local/runner/report';
import { fitTable, outputWidth } from './fit-table';

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

/** `<registry>/<repository>@sha256:<64 hex>` → `<repository>@sha256:<6 hex>…`: enough to tell two images apart. */
export function shortImage(image: string): string {
  const match = /(?:^|\/)([^/@]+)@sha256:([0-9a-f]{6})[0-9a-f]*$/.exec(image);
  return match ? `${match[1]}@sha256:${match[2]}…` : image;
}

/** Path → what answers it, with healthy targets and desired/running tasks of the serving service; then the services. Both fit `width`. */
export function routingTable(state: StateReport, width = outputWidth()): string {
  const routes = state.listener.rules.map((rule) => {
    const row = describeTarget(rule.actions, state);
    return [String(rule.priority), rule.paths.join(', '), row.target, row.healthy, row.tasks];
  });
  const fallback = describeTarget(state.listener.defaultActions, state);
  routes.push(['default', '(any other path)', fallback.target, fallback.healthy, fallback.tasks]);
  const table = fitTable(
    [{ head: 'priority', wrap: 'keep' }, { head: 'path' }, { head: 'served by', wrap: 'words' }, { head: 'healthy targets', wrap: 'words' }, { head: 'tasks desired/running' }],
    routes,
    width,
  );
  const services = fitTable(
    [{ head: 'service', wrap: 'keep' }, { head: 'task definition' }, { head: 'desired' }, { head: 'running' }, { head: 'image' }],
    state.services.map((service) => [service.name, service.taskDefinition, String(service.desiredCount), String(service.runningCount), shortImage(service.image)]),
    width,
  );
  return `${table}\n${services}`;
}
