import { escapeXml } from './escape';
import { renderGraph } from './graph';
import { isAvailable, type CallsByState, type ExecutionView, type PageModel } from './model';
import { pathTaken, type PathTaken } from './path';
import { PAGE_STYLE } from './page-style';
import { renderRouting } from './routing';
import { formatSeconds, renderTimeline, renderTraffic } from './timeline';

const iso = (at: number | null) => (at === null ? '-' : new Date(at).toISOString());

function callsTable(calls: CallsByState, path: PathTaken): string {
  const order = [...new Set(path.visits.map((visit) => visit.state))];
  const states = Object.keys(calls).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  if (states.length === 0) return '<p class="note">No AWS call was made by any state.</p>';
  const rows = states.map((state) => {
    const operations = Object.entries(calls[state] ?? {});
    const total = operations.reduce((sum, [, count]) => sum + count.calls, 0);
    const listed = operations.map(([operation, count]) => {
      const failures = Object.entries(count.failed).map(([error, times]) => `${times} ${escapeXml(error)}`);
      return `${escapeXml(operation)} ×${count.calls}${failures.length > 0 ? ` <span class="bad">(failed: ${failures.join(', ')})</span>` : ''}`;
    });
    return `<tr><td>${escapeXml(state)}</td><td>${listed.join(', ')}</td><td class="num">${total}</td></tr>`;
  });
  return `<table class="calls"><thead><tr><th>state</th><th>AWS calls</th><th>total</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function failureBox(execution: ExecutionView): string {
  if (execution.status !== 'FAILED' && execution.error === null) return '';
  return `<div class="failure" data-execution="${escapeXml(execution.name)}"><p class="error-name">${escapeXml(execution.error ?? 'failed')}</p><p class="cause">${escapeXml(execution.cause ?? 'no cause recorded')}</p></div>`;
}

const LEGEND = [
  '<p class="legend">',
  '<span class="key visited">entered</span> <span class="key not-visited">not entered</span> <span class="key retried">retried</span> <span class="key failed">failed</span> ',
  '<span class="key edge-taken">transition taken</span> <span class="key edge-catch">Catch (on error)</span>',
  '</p>',
].join('');

function executionSection(execution: ExecutionView, clock: PageModel['clock'], role: 'execution' | 'child', index: number): string {
  const path = pathTaken(execution.history, execution.definition, execution.error);
  const took = execution.stoppedAt === null ? 'still running' : formatSeconds((execution.stoppedAt - execution.startedAt) / 1000);
  const transitions = path.visits.length + path.visits.reduce((sum, visit) => sum + visit.retriedErrors.length, 0);
  const heading = role === 'child' ? `<h2>Started by it: ${escapeXml(execution.name)}</h2>` : '';
  return [
    `<section class="execution ${role}" data-execution="${escapeXml(execution.name)}" data-state-machine="${escapeXml(execution.stateMachine)}">`,
    heading,
    `<p class="meta"><span class="status status-${escapeXml(execution.status.toLowerCase())}">${escapeXml(execution.status)}</span> state machine <b>${escapeXml(execution.stateMachine)}</b>; started ${iso(execution.startedAt)}, stopped ${iso(execution.stoppedAt)} (${took}${clock === 'virtual' ? ' of virtual time' : ''}); ${transitions} state transitions.</p>`,
    failureBox(execution),
    ...execution.notes.map((note) => `<p class="note">${escapeXml(note)}</p>`),
    `<h3>Workflow</h3><p class="note">Laid out from ${escapeXml(execution.definitionFrom)}: ${Object.keys(execution.definition.States).length} states.</p>${LEGEND}`,
    `<div class="graph">${renderGraph(execution.definition, path, `graph-${index}`)}</div>`,
    `<h3>Timeline</h3><p class="note">Seconds since the execution started${clock === 'virtual' ? ', on the local run’s virtual clock' : ''}.</p>`,
    `<div class="timeline-box">${renderTimeline(path, execution.startedAt, execution.stoppedAt)}</div>`,
    ...(execution.trafficSteps ? [`<h3>Traffic on the new revision</h3><div class="traffic-box">${renderTraffic(execution.trafficSteps, execution.startedAt, execution.stoppedAt)}</div>`] : []),
    '<h3>AWS calls per state</h3>',
    isAvailable(execution.awsCalls) ? callsTable(execution.awsCalls.value, path) : `<p class="note unavailable">${escapeXml(execution.awsCalls.unavailable)}</p>`,
    '</section>',
  ].join('\n');
}

/**
 * One execution as a self-contained HTML page: inline CSS and SVG, no script, and a Content-Security-Policy that
 * forbids every fetch, so the file opens anywhere without a network.
 */
export function renderPage(model: PageModel): string {
  const { execution } = model;
  const sections = [executionSection(execution, model.clock, 'execution', 0), ...execution.children.map((child, index) => executionSection(child, model.clock, 'child', index + 1))];
  const routing = isAvailable(model.routing)
    ? `<p class="note">Before: when the execution started. After: when it, and any execution it started, had ended.</p>${renderRouting(model.routing.value.before, model.routing.value.after)}`
    : `<p class="note unavailable">${escapeXml(model.routing.unavailable)}</p>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>rollout view: ${escapeXml(execution.name)} (${escapeXml(execution.status)})</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head><body>',
    `<header><h1>${escapeXml(execution.name)}</h1><p class="meta">From the ${escapeXml(model.source)}. Written by <code>rollout view</code>.</p></header>`,
    ...sections,
    `<section class="routing-section"><h2>Routing before and after</h2>${routing}</section>`,
    '</body></html>',
  ].join('\n');
}
