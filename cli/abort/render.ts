import type { AbortReport } from './abort-execution';

function lockLine(report: AbortReport): string {
  const { lock } = report;
  if (!lock) return 'It held no lock.';
  if (lock.freed) return `Lock ${lock.key}: ${report.outcome === 'not-undone' && report.kind === 'rollout' ? 'released, with its release record (what is live)' : 'freed'}.`;
  if (lock.heldBy === null) return `Lock ${lock.key}: not held; left alone.`;
  if (lock.heldBy !== report.execution) return `Lock ${lock.key}: held by ${lock.heldBy}; left alone.`;
  return `Lock ${lock.key}: no longer held by it when abort wrote; left alone.`;
}

/** `rollout abort` without --json: what was stopped, what was put back, and the lock. */
export function renderAbort(report: AbortReport): string {
  const where = report.stoppedIn === null ? 'before its first state' : `in "${report.stoppedIn}"`;
  const lines = [`Aborted ${report.execution}: stopped ${where} (${report.statusBefore} → ${report.statusAfter}).`];
  if (report.waitedForStepSeconds > 0) lines.push(`Waited ${report.waitedForStepSeconds} s for that step, already running when it stopped, to end before restoring.`);
  if (report.outcome === 'restored') {
    lines.push(`Restored ${report.reason}:`);
    lines.push(...(report.restored.length > 0 ? report.restored.map((line) => `  - ${line}`) : ['  - nothing needed restoring']));
  } else {
    lines.push(`${report.outcome === 'not-undone' ? 'Not undone' : 'Nothing to restore'}: ${report.reason}.`);
  }
  lines.push(lockLine(report));
  return `${lines.join('\n')}\n`;
}
