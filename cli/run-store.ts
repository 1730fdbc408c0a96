import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ExecutionRecord } from '../local/runner/local-step-functions';
import { PROJECT_ROOT } from './project-root';

/**
 * Executions of local runs, so `rollout executions` and `rollout show` can read them later. Each run that started
 * something gets a folder of its own (`runs/<timestamp>/executions.json`) and becomes the `last` one; a run that
 * started nothing leaves the last run as it was. The store is `$ROLLOUT_HOME`, or `.rollout/` at the root of this
 * project (found from this file, not from the directory the command runs in).
 */
export function runStoreDir(): string {
  const home = process.env.ROLLOUT_HOME;
  return home ? resolve(home) : join(PROJECT_ROOT, '.rollout');
}

const EXECUTIONS_FILE = 'executions.json';
const lastPointer = () => join(runStoreDir(), 'last');

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

/** A folder name that sorts by time and never collides with another run's (two runs in one millisecond). */
function createRunDir(): string {
  const stamp = new Date().toISOString().replace(/:/g, '-');
  for (let attempt = 1; ; attempt += 1) {
    const dir = join(runStoreDir(), 'runs', attempt === 1 ? stamp : `${stamp}-${attempt}`);
    try {
      mkdirSync(join(dir, '..'), { recursive: true });
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Keeps a run's executions in a folder of its own and makes it the last run; returns that folder (undefined: nothing started, nothing kept). */
export function saveRun(records: readonly ExecutionRecord[]): string | undefined {
  if (records.length === 0) return undefined;
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
  const dir = createRunDir();
  writeFileSync(join(dir, EXECUTIONS_FILE), `${JSON.stringify(stored, null, 2)}\n`);
  // Written aside and renamed: a reader never sees half a pointer, and two runs ending together leave one of them.
  const pointer = `${lastPointer()}.${process.pid}`;
  writeFileSync(pointer, `${join('runs', basename(dir))}\n`);
  renameSync(pointer, lastPointer());
  return dir;
}

/** The folder of the last run that started something, if any. */
export function lastRunDir(): string | undefined {
  if (!existsSync(lastPointer())) return undefined;
  const dir = join(runStoreDir(), readFileSync(lastPointer(), 'utf8').trim());
  return existsSync(join(dir, EXECUTIONS_FILE)) ? dir : undefined;
}

export function loadRun(): StoredExecution[] {
  const dir = lastRunDir();
  if (!dir) return [];
  return JSON.parse(readFileSync(join(dir, EXECUTIONS_FILE), 'utf8')) as StoredExecution[];
}
