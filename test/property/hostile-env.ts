/** A seeded tutorial environment on the emulator, and the two edge handlers wired to it, for hostile-input properties. */
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { makeHandler as makeResolveRelease } from '../../functions/resolve-release';
import { makeHandler as makeStartRollout, type StartOutcome } from '../../functions/start-rollout';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import type { PipelineConfig } from '../../lib/config/pipeline-config';
import type { Release } from '../../lib/domain/release';
import { ValidationError } from '../../lib/errors';
import { createDeps, type Deps } from '../../lib/runtime/deps';
import { createEmulator, type AwsEmulator } from '../../local/emulator';
import { seedTutorial } from '../../local/runner/seed-tutorial';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

export interface HostileEnv {
  readonly emulator: AwsEmulator;
  readonly deps: Deps;
  readonly startRollout: (event: unknown) => Promise<StartOutcome>;
  readonly resolveRelease: (input: unknown) => Promise<Release>;
  /** Names the starter asked Step Functions to start (a stub: nothing runs). */
  readonly started: string[];
}

export async function hostileEnv(): Promise<HostileEnv> {
  const emulator = createEmulator({ accountId: ACCOUNT, region: REGION });
  const catalog = loadCatalogFromDirectory(join(__dirname, '..', '..', 'services'));
  const env = await seedTutorial(emulator, catalog, ACCOUNT);
  const config: PipelineConfig = {
    ...env,
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:rollout`,
    cutoverStateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:cutover`,
    cutoverMode: 'fixed-response',
    subnets: [],
    securityGroups: [],
    catalog,
  };
  const sfn = new SFNClient({ region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const base = createDeps({ ...emulator.clients(), sfn }, config, { logger: new Logger({ serviceName: 'rollout', logLevel: 'SILENT' }) });
  const started: string[] = [];
  const deps: Deps = {
    ...base,
    sfn: {
      start: async (name: string) => (started.push(name), { started: true as const, executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:rollout:${name}` }),
      describe: async () => undefined, // every name is fresh here: no execution exists yet
    },
  };
  return { emulator, deps, startRollout: makeStartRollout(deps), resolveRelease: makeResolveRelease(deps), started };
}

export const NAMED_EDGE_ERRORS = ['ValidationError', 'UnknownRepositoryError', 'ForeignImageError', 'ImageNotFoundError', 'TagNotDeployedError'] as const;

/** Runs a handler and returns its value or the error it threw (never rethrows). */
export async function settled<T>(run: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

/** Why `error` is not an acceptable refusal (a named edge error whose message names the field), or undefined. */
export function refusalProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return `threw a non-Error ${String(error)}`;
  if (!(NAMED_EDGE_ERRORS as readonly string[]).includes(error.name)) return `threw ${error.name}: ${error.message}`;
  if (error instanceof ValidationError) {
    if (!error.field) return `ValidationError without a field: ${error.message}`;
    if (!error.message.includes(error.field)) return `ValidationError message does not name its field ${error.field}: ${error.message}`;
  }
  if (error.name === 'UnknownRepositoryError' && !error.message.includes('repository')) return `message does not name the repository: ${error.message}`;
  if (error.name === 'ForeignImageError' && !/account|region/.test(error.message)) return `message does not name account or region: ${error.message}`;
  if (error.name === 'ImageNotFoundError' && !error.message.includes('sha256')) return `message does not name the digest: ${error.message}`;
  return undefined;
}

export function mutatingCallsSince(emulator: AwsEmulator, mark: number): string[] {
  return emulator.calls.slice(mark).filter((call) => call.mutating).map((call) => call.operation);
}
