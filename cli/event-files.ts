import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error';

export interface EventFile {
  readonly label: string;
  readonly event: unknown;
}

/** Reads every event file before anything runs: one unreadable or non-JSON file stops the whole command. */
export function readEventFiles(paths: readonly string[]): EventFile[] {
  if (paths.length === 0) throw new UsageError('no EVENT_FILE given: pass one or more files holding ECR push events (JSON)');
  return paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read event file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`invalid event file ${path}: not JSON (${(error as Error).message})`);
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new UsageError(`invalid event file ${path}: an EventBridge event must be a JSON object`);
    }
    return { label: path, event };
  });
}
