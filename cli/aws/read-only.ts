import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

/** What every `--aws` command may send: reads only (Describe*, List*, Get*). */
const READ_ONLY = /^(Describe|List|Get)[A-Z]/;

/** A command outside READ_ONLY was about to be sent: a defect in the CLI, never an account problem. */
export class ReadOnlyViolationError extends Error {
  override readonly name = 'ReadOnlyViolationError';
}

/**
 * Makes a client refuse, before signing, any command that is not a read. `plan --aws` runs the workflow's own handlers
 * over adapters whose writes are only recorded (cli/plan/dry-run.ts); this guard is the second line: a write a
 * dry-run adapter forgot to intercept fails here instead of reaching the account.
 */
export function readOnly<T extends { middlewareStack: unknown }>(client: T): T {
  (client.middlewareStack as MiddlewareStack<object, MetadataBearer>).add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (!READ_ONLY.test(command)) throw new ReadOnlyViolationError(`refused to send ${command} to AWS: rollout's --aws commands only read`);
      return next(args);
    },
    { step: 'initialize', name: 'rolloutReadOnly', priority: 'high' },
  );
  return client;
}
