import type { ExecutionRecord } from '../../local/runner/local-step-functions';

const MILESTONES = new Set([
  'Resolve release',
  'Register task definition',
  'Ensure target group',
  'Ensure listener rule',
  'Deploy service',
  'Release service lock',
  'Drop monolith traffic',
  'Scale monolith to zero',
  'Check monolith drained',
  'Compensate',
  'Rollout failed',
  'Cut-over failed',
]);

/** The virtual timeline: when each execution reached each milestone, in virtual seconds since the start. */
export function timeline(records: readonly ExecutionRecord[], start: number): string {
  const lines: string[] = [];
  for (const record of records) {
    const end = record.stoppedAt ?? record.startedAt;
    lines.push(`${record.name}  ${record.status}  t+${Math.round((record.startedAt - start) / 1000)}s → t+${Math.round((end - start) / 1000)}s (${Math.round((end - record.startedAt) / 1000)}s, ${record.transitions} transitions)`);
    const reached = new Set<string>();
    for (const event of record.history) {
      // Every traffic step, and the end of every bake, with what it did.
      if (event.type === 'StateExited' && event.state && event.detail && (event.state === 'Shift traffic' || /passed/.test(event.detail))) {
        lines.push(`    t+${String(Math.round((event.at - start) / 1000)).padStart(4)}s  ${event.state}: ${event.detail}`);
        continue;
      }
      if (event.type !== 'StateEntered' || !event.state || !MILESTONES.has(event.state) || reached.has(event.state)) continue;
      reached.add(event.state);
      lines.push(`    t+${String(Math.round((event.at - start) / 1000)).padStart(4)}s  ${event.state}`);
    }
  }
  return lines.join('\n');
}
