import type { RuleAction } from '../../lib/domain/release';
import { forwardTargets } from '../../lib/domain/routing';
import type { StateReport } from '../../local/runner/report';
import { escapeXml } from './escape';

interface RoutingRow {
  readonly key: string;
  readonly priority: string;
  readonly paths: string;
  readonly servedBy: string;
  readonly healthy: string;
}

const groupName = (arn: string) => arn.split('/')[1] ?? arn;

function servedBy(actions: readonly RuleAction[], state: StateReport): { servedBy: string; healthy: string } {
  const fixed = actions.find((action) => action.Type === 'fixed-response');
  if (fixed) return { servedBy: `${fixed.FixedResponseConfig?.StatusCode ?? '?'} fixed response`, healthy: '-' };
  const targets = forwardTargets(actions);
  const several = targets.length > 1;
  return {
    servedBy: targets.map((target) => (several ? `${groupName(target.targetGroupArn)} (weight ${target.weight})` : groupName(target.targetGroupArn))).join(' + ') || '(none)',
    healthy: targets.map((target) => String(state.targetGroups.find((group) => group.name === groupName(target.targetGroupArn))?.healthyTargets ?? 0)).join(' + ') || '-',
  };
}

function rowsOf(state: StateReport): RoutingRow[] {
  const rules = state.listener.rules.map((rule) => ({ key: `${rule.priority}`, priority: String(rule.priority), paths: rule.paths.join(', '), ...servedBy(rule.actions, state) }));
  return [...rules, { key: 'default', priority: 'default', paths: '(any other path)', ...servedBy(state.listener.defaultActions, state) }];
}

function table(rows: readonly RoutingRow[], other: readonly RoutingRow[], side: 'before' | 'after'): string {
  const body = rows.map((row) => {
    const counterpart = other.find((candidate) => candidate.key === row.key);
    const change = !counterpart ? (side === 'after' ? 'added' : 'removed') : counterpart.servedBy !== row.servedBy || counterpart.paths !== row.paths ? 'changed' : '';
    return `<tr${change ? ` class="${change}"` : ''}><td>${escapeXml(row.priority)}</td><td>${escapeXml(row.paths)}</td><td>${escapeXml(row.servedBy)}</td><td class="num">${escapeXml(row.healthy)}</td></tr>`;
  });
  return `<table class="routing routing-${side}"><thead><tr><th>priority</th><th>path</th><th>served by</th><th>healthy targets</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function services(state: StateReport, other: StateReport): string {
  const body = state.services.map((service) => {
    const counterpart = other.services.find((candidate) => candidate.name === service.name);
    const changed = !counterpart || counterpart.taskDefinition !== service.taskDefinition || counterpart.desiredCount !== service.desiredCount;
    return `<tr${changed ? ' class="changed"' : ''}><td>${escapeXml(service.name)}</td><td>${escapeXml(service.taskDefinition)}</td><td class="num">${service.desiredCount}/${service.runningCount}</td></tr>`;
  });
  return `<table class="services"><thead><tr><th>service</th><th>task definition</th><th>tasks desired/running</th></tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** The listener's routing and the ECS services, before the execution and after it (and the executions it started). */
export function renderRouting(before: StateReport, after: StateReport): string {
  const beforeRows = rowsOf(before);
  const afterRows = rowsOf(after);
  return [
    '<div class="side-by-side">',
    `<div><h3>Before</h3>${table(beforeRows, afterRows, 'before')}${services(before, after)}</div>`,
    `<div><h3>After</h3>${table(afterRows, beforeRows, 'after')}${services(after, before)}</div>`,
    '</div>',
  ].join('');
}
