import type { ExecutionRecord, HistoryEvent } from '../../local/runner/local-step-functions';
import type { LocalPipeline } from '../../local/runner/pipeline';

const formatOffset = (seconds: number) => {
  const whole = Math.round(seconds);
  return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
};

/**
 * Per-state progress as executions run. On a terminal the current state of each execution is redrawn
 * in place on one status line; piped, every state is one plain line (greppable, no escape codes).
 */
export function attachProgress(pipeline: LocalPipeline, stream: NodeJS.WriteStream = process.stderr): void {
  const start = pipeline.time.now();
  const live = Boolean(stream.isTTY);
  const current = new Map<string, string>();
  pipeline.sfn.listeners.push((record: ExecutionRecord, event: HistoryEvent) => {
    const at = formatOffset((event.at - start) / 1000);
    if (event.type === 'StateEntered' && event.state) {
      current.set(record.name, event.state);
      if (live) {
        const line = [...current.entries()].map(([name, state]) => `${name.split('-')[0]}: ${state}`).join(' | ');
        stream.write(`\r\x1b[2K[${at}] ${line.slice(0, (stream.columns || 120) - 10)}`);
      } else {
        stream.write(`[${at}] ${record.name}  ${event.state}\n`);
      }
    } else if (event.type === 'StateRetried' && event.state && !live) {
      stream.write(`[${at}] ${record.name}  ${event.state}: retry after ${event.error ?? 'error'}\n`);
    } else if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') {
      current.delete(record.name);
      const outcome = event.type === 'ExecutionSucceeded' ? 'SUCCEEDED' : `FAILED (${event.error ?? 'error'})`;
      stream.write(`${live ? '\r\x1b[2K' : ''}[${at}] ${record.name}  ${outcome}\n`);
    }
  });
}
