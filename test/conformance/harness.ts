/**
 * Runs one scenario against every backend from an empty account and hands back the normalized
 * outcomes, so a test states the AWS-correct outcome once (checked on moto) and requires the
 * emulator to produce the same one.
 */
import { createEmulatorBackend, createMotoBackend, type Backend, type BackendName } from './backends';

export type Outcomes<T> = Record<BackendName, T>;
export type Attempt<T> = { ok: T } | { error: string };

export const BACKEND_NAMES: readonly BackendName[] = ['moto', 'emulator'];

/** Starts the backends once per test file and stops them after it. */
export type ConformanceOutcomes = Partial<Outcomes<unknown>> & { moto: unknown };

export function useBackends(): { run(scenario: (backend: Backend) => Promise<unknown>): Promise<ConformanceOutcomes> } {
  const backends: Backend[] = [];
  beforeAll(async () => {
    backends.push(await createMotoBackend(), createEmulatorBackend());
  }, 30_000);
  afterAll(async () => {
    await Promise.all(backends.map((backend) => backend.close()));
  });
  return {
    run: async (scenario) => {
      const outcomes: Partial<Record<BackendName, unknown>> = {};
      for (const backend of backends) {
        await backend.reset();
        outcomes[backend.name] = normalize(await scenario(backend));
      }
      if (!('moto' in outcomes)) throw new Error('conformance: the moto backend did not start');
      return outcomes as ConformanceOutcomes;
    },
  };
}

/** The outcome must be the expected one on moto, and every other backend must agree with moto. */
export function expectConformance(outcomes: ConformanceOutcomes, expected: unknown): void {
  expect(outcomes.moto).toEqual(expected);
  for (const name of BACKEND_NAMES) {
    if (name !== 'moto') expect({ [name]: outcomes[name] }).toEqual({ [name]: outcomes.moto });
  }
}

/** The error name of a call that fails, or its result: invalid calls are part of the contract. */
export async function attempt<T>(call: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: await call() };
  } catch (error) {
    // Only an error the service answered with (an SDK ServiceException carries $fault) is an
    // outcome; a response the SDK could not parse, or a connection failure, is a broken test run.
    if (error instanceof Error && '$fault' in error) return { error: error.name };
    throw error;
  }
}

export async function errorName(call: () => Promise<unknown>): Promise<string> {
  const result = await attempt(call);
  return 'error' in result ? result.error : 'no error';
}

/**
 * Replaces the parts of a value that differ between two correct implementations: generated ids
 * inside ARNs, account ids, VPC/subnet ids, deployment ids and timestamps; drops `$metadata`.
 */
export function normalize(value: unknown): unknown {
  if (value instanceof Date) return '<date>';
  if (typeof value === 'string') return normalizeString(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([key, field]) => key !== '$metadata' && field !== undefined);
    return Object.fromEntries(entries.map(([key, field]) => [key, normalize(field)]));
  }
  return value;
}

function normalizeString(text: string): string {
  return text
    .replace(/^(arn:aws:[a-z0-9-]+:[a-z0-9-]*:)\d{12}:/, '$1<account>:')
    // ELBv2 ids are 16 hex digits on AWS; moto names a listener's default rule by a decimal number.
    .replace(/^(arn:aws:elasticloadbalancing:.*)$/, (arn) => arn.replace(/\/(?:[0-9a-f]{16}|\d+)(?=\/|$)/g, '/<id>'))
    .replace(/\bvpc-[0-9a-f]+\b/g, '<vpc>')
    .replace(/\bsubnet-[0-9a-f]+\b/g, '<subnet>')
    .replace(/\becs-svc\/\d+\b/g, 'ecs-svc/<id>');
}
