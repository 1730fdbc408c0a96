import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error';

export interface EventFile {
  readonly label: string;
  readonly event: unknown;
}

const isEvent = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);
const readStdin = () => readFileSync(0, 'utf8');

/**
 * Reads every event file before anything runs: one unreadable or non-JSON file stops the whole command. `-` is
 * standard input: one event, or a JSON array of events (labelled `-[0]`, `-[1]`, …).
 */
export function readEventFiles(paths: readonly string[], stdin: () => string = readStdin): EventFile[] {
  if (paths.length === 0) throw new UsageError('no EVENT_FILE given: pass one or more files holding ECR push events (JSON), or - for standard input');
  if (paths.filter((path) => path === '-').length > 1) throw new UsageError('- (standard input) given twice: it can be read once; put several events in one JSON array');
  return paths.flatMap((path) => {
    const name = path === '-' ? 'standard input' : `event file ${path}`;
    let text: string;
    try {
      text = path === '-' ? stdin() : readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`invalid ${name}: not JSON (${(error as Error).message})`);
    }
    if (path === '-' && Array.isArray(event)) {
      if (event.length === 0) throw new UsageError('invalid standard input: an empty array holds no event');
      const bad = event.findIndex((element) => !isEvent(element));
      if (bad >= 0) throw new UsageError(`invalid standard input: element ${bad} is not an EventBridge event (a JSON object)`);
      return event.map((element, index) => ({ label: `-[${index}]`, event: element as unknown }));
    }
    if (!isEvent(event)) {
      throw new UsageError(`invalid ${name}: an EventBridge event must be a JSON object${path === '-' ? ' (or, on standard input, an array of them)' : ''}`);
    }
    return [{ label: path, event }];
  });
}
