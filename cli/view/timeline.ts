import { escapeXml } from './escape';
import type { TrafficStep } from './model';
import type { PathTaken } from './path';

const LABEL_WIDTH = 230;
const PLOT_WIDTH = 680;
const ROW_HEIGHT = 20;
const AXIS_HEIGHT = 24;
const MAX_LISTED_VISITS = 200;
const TICK_STEPS_SECONDS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 43_200, 86_400];

export function formatSeconds(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole}s`;
  const minutes = Math.floor(whole / 60);
  return `${minutes}m${String(whole % 60).padStart(2, '0')}s`;
}

/** Axis ticks every 1, 2, 5, 10, 15, 30 s, 1, 2, 5 min…, at most ten of them. */
function ticks(totalSeconds: number): number[] {
  const step = TICK_STEPS_SECONDS.find((candidate) => totalSeconds / candidate <= 10) ?? 86_400;
  const values: number[] = [];
  for (let at = 0; at <= totalSeconds + 1e-9; at += step) values.push(at);
  return values;
}

function axis(totalSeconds: number, x: (seconds: number) => number, top: number, bottom: number, unit = ''): string {
  return ticks(totalSeconds)
    .map((at) => `<line class="grid" x1="${x(at)}" y1="${top}" x2="${x(at)}" y2="${bottom}"/><text class="tick" x="${x(at)}" y="${bottom + 14}" text-anchor="middle">${formatSeconds(at)}${unit}</text>`)
    .join('');
}

/**
 * The states on the execution's clock: one row per state (in the order first entered), a bar per visit from
 * entered to exited; a visit that took no time is a thin tick. Below it, every visit as a row of a table.
 */
export function renderTimeline(path: PathTaken, startedAt: number, stoppedAt: number | null): string {
  const end = Math.max(stoppedAt ?? 0, ...path.visits.map((visit) => visit.exitedAt ?? visit.enteredAt), startedAt);
  const totalSeconds = Math.max((end - startedAt) / 1000, 1);
  const x = (seconds: number) => LABEL_WIDTH + (seconds / totalSeconds) * PLOT_WIDTH;
  const rows = [...new Set(path.visits.map((visit) => visit.state))];
  const height = rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const bars = path.visits.map((visit) => {
    const row = rows.indexOf(visit.state);
    const from = (visit.enteredAt - startedAt) / 1000;
    const to = ((visit.exitedAt ?? end) - startedAt) / 1000;
    const classes = ['bar', ...(visit.retriedErrors.length > 0 ? ['retried'] : []), ...(visit.failure ? ['failed'] : [])].join(' ');
    const title = `${visit.state}: t+${formatSeconds(from)} → t+${formatSeconds(to)}${visit.retriedErrors.length > 0 ? `, retried after ${visit.retriedErrors.join(', ')}` : ''}${visit.failure ? `, failed with ${visit.failure}` : ''}`;
    return `<rect class="${classes}" data-state="${escapeXml(visit.state)}" x="${x(from)}" y="${row * ROW_HEIGHT + 4}" width="${Math.max(3, x(to) - x(from))}" height="${ROW_HEIGHT - 8}"><title>${escapeXml(title)}</title></rect>`;
  });
  const labels = rows.map((state, row) => `<text class="row-label" x="${LABEL_WIDTH - 8}" y="${row * ROW_HEIGHT + 14}" text-anchor="end">${escapeXml(state)}</text>`);
  const svg = [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH + PLOT_WIDTH + 30}" height="${height}" role="img" aria-label="timeline">`,
    axis(totalSeconds, x, 0, rows.length * ROW_HEIGHT),
    ...labels,
    ...bars,
    '</svg>',
  ].join('');

  const listed = path.visits.slice(0, MAX_LISTED_VISITS).map((visit) => {
    const from = (visit.enteredAt - startedAt) / 1000;
    const took = visit.exitedAt === null ? 'did not end' : formatSeconds((visit.exitedAt - visit.enteredAt) / 1000);
    const what = [
      ...(visit.retriedErrors.length > 0 ? [`retried after ${visit.retriedErrors.join(', ')}`] : []),
      ...(visit.failure ? [`failed: ${visit.failure}`] : []),
    ].join('; ');
    return `<tr${visit.failure ? ' class="failed"' : visit.retriedErrors.length > 0 ? ' class="retried"' : ''}><td class="num">t+${formatSeconds(from)}</td><td>${escapeXml(visit.state)}</td><td class="num">${took}</td><td>${escapeXml(what)}</td></tr>`;
  });
  const more = path.visits.length > MAX_LISTED_VISITS ? `<p class="note">… and ${path.visits.length - MAX_LISTED_VISITS} more visits.</p>` : '';
  return `${svg}<details><summary>Every state entered (${path.visits.length})</summary><table class="visits"><thead><tr><th>entered</th><th>state</th><th>took</th><th></th></tr></thead><tbody>${listed.join('')}</tbody></table>${more}</details>`;
}

/** The new revision's share of the service's traffic over the execution's clock, as a step line. */
export function renderTraffic(steps: readonly TrafficStep[], startedAt: number, stoppedAt: number | null): string {
  const end = Math.max(stoppedAt ?? 0, ...steps.map((step) => step.at), startedAt);
  const totalSeconds = Math.max((end - startedAt) / 1000, 1);
  const left = 50;
  const plotHeight = 160;
  const x = (seconds: number) => left + (seconds / totalSeconds) * PLOT_WIDTH;
  const y = (percent: number) => 8 + (1 - percent / 100) * plotHeight;
  let d = `M${x(0)},${y(0)}`;
  for (const step of steps) {
    const at = (step.at - startedAt) / 1000;
    d += ` H${x(at)} V${y(step.percent)}`;
  }
  d += ` H${x(totalSeconds)}`;
  const yTicks = [0, 25, 50, 75, 100].map((percent) => `<line class="grid" x1="${left}" y1="${y(percent)}" x2="${left + PLOT_WIDTH}" y2="${y(percent)}"/><text class="tick" x="${left - 6}" y="${y(percent) + 4}" text-anchor="end">${percent}%</text>`);
  const points = steps.map((step) => `<circle class="step" cx="${x((step.at - startedAt) / 1000)}" cy="${y(step.percent)}" r="3.5"><title>t+${formatSeconds((step.at - startedAt) / 1000)}: ${step.percent}%</title></circle>`);
  return [
    `<svg class="traffic" xmlns="http://www.w3.org/2000/svg" width="${left + PLOT_WIDTH + 30}" height="${plotHeight + 40}" role="img" aria-label="traffic percent over time">`,
    ...yTicks,
    axis(totalSeconds, x, 8, 8 + plotHeight),
    `<path class="traffic-line" d="${d}"/>`,
    ...points,
    '</svg>',
  ].join('');
}
