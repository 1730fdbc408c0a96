import { causeMessage } from '../../lib/domain/lambda-cause';
import { executionNameFor } from '../../lib/domain/push-event';

export interface LastExecution {
  readonly name: string;
  readonly status: string;
  readonly startedAt: string;
  readonly stoppedAt: string | null;
  readonly error: string | null;
  readonly cause: string | null;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The names a repository's rollouts get (lib/domain/push-event.ts executionNameFor): `<repository>-<32 hex>`,
 * with `-N` for a retry, and a sanitized name plus a hash for a repository name Step Functions does not take as is.
 */
export function executionNamePattern(repository: string): RegExp {
  const sample = executionNameFor(repository, `sha256:${'0'.repeat(64)}`);
  return new RegExp(`^${escape(sample.slice(0, sample.length - 32))}[0-9a-f]{32}(-\\d+)?$`);
}

/** Statuses after which an execution carries an error and a cause worth showing. */
export const UNSUCCESSFUL = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * The newest execution of each service among `executions` (newest first), by name. `describe` fills in the error
 * and cause of an unsuccessful one (ListExecutions does not return them).
 */
export async function lastExecutions(
  services: readonly { name: string; repository: string }[],
  executions: readonly LastExecution[],
  describe: (name: string) => Promise<{ error: string | null; cause: string | null }> = async () => ({ error: null, cause: null }),
): Promise<Record<string, LastExecution | null>> {
  const result: Record<string, LastExecution | null> = {};
  for (const manifest of services) {
    const pattern = executionNamePattern(manifest.repository);
    const last = executions.find((execution) => pattern.test(execution.name));
    if (last && UNSUCCESSFUL.includes(last.status) && last.error === null) {
      const { error, cause } = await describe(last.name);
      result[manifest.name] = { ...last, error, cause: cause === null ? null : causeMessage(cause) };
    } else {
      result[manifest.name] = last ? { ...last, cause: last.cause === null ? null : causeMessage(last.cause) } : null;
    }
  }
  return result;
}
