import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionRecord } from '../local/runner/local-step-functions';

/** Executions of the last local run, so `rollout executions` and `rollout show` can read them later. */
const STORE = join(process.cwd(), '.rollout', 'last-run.json');

export interface StoredExecution {
  name: string;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
  error: string | null;
  cause: string | null;
  transitions: number;
  history: { at: string; type: string; state?: string; error?: string }[];
}

export function saveRun(records: readonly ExecutionRecord[]): void {
  const stored: StoredExecution[] = records.map((record) => ({
    name: record.name,
    status: record.status,
    startedAt: new Date(record.startedAt).toISOString(),
    stoppedAt: record.stoppedAt === undefined ? null : new Date(record.stoppedAt).toISOString(),
    error: record.error ?? null,
    cause: record.cause ?? null,
    transitions: record.transitions,
    history: record.history.map((event) => ({ ...event, at: new Date(event.at).toISOString() })),
  }));
  mkdirSync(join(process.cwd(), '.rollout'), { recursive: true });
  writeFileSync(STORE, `${JSON.stringify(stored, null, 2)}\n`);
}

export function loadRun(): StoredExecution[] {
  if (!existsSync(STORE)) return [];
  return JSON.parse(readFileSync(STORE, 'utf8')) as StoredExecution[];
}
