import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalPipeline } from '../local/runner/pipeline';
import { readEnvironment, type EnvironmentView } from './environment/read-environment';
import { lastRunDir } from './run-store';

/** The environment as a local run left it, kept in that run's folder so `rollout status` shows it beside its executions. */
const ENVIRONMENT_FILE = 'environment.json';

export interface StoredEnvironment {
  readonly savedAt: string;
  readonly environment: EnvironmentView;
}

/** At the end of a local run, while its pipeline is alive: its environment, read as `status --aws` reads an account. */
export async function finalEnvironment(pipeline: LocalPipeline): Promise<StoredEnvironment> {
  const environment = await readEnvironment(pipeline.deps, pipeline.config.listenerArn, pipeline.catalog);
  return { savedAt: new Date(pipeline.time.now()).toISOString(), environment };
}

/** Into the run's folder (saveRun's answer); a run that started nothing has none, and keeps nothing. */
export function saveEnvironment(runDir: string | undefined, stored: StoredEnvironment | undefined): void {
  if (runDir && stored) writeFileSync(join(runDir, ENVIRONMENT_FILE), `${JSON.stringify(stored, null, 2)}\n`);
}

/** The last run's environment, with the folder it is in. */
export function loadEnvironment(): (StoredEnvironment & { readonly runDir: string }) | undefined {
  const runDir = lastRunDir();
  const file = runDir ? join(runDir, ENVIRONMENT_FILE) : undefined;
  if (!runDir || !file || !existsSync(file)) return undefined;
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as StoredEnvironment), runDir };
}
