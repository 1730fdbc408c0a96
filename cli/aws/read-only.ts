import type { MetadataBearer, MiddlewareStack } from '@smithy/types';

/** What every `--aws` command may send: reads (Describe*, List*, Get*), and only the writes it names. */
const READ_ONLY = /^(Describe|List|Get)[A-Z]/;

/** A command outside READ_ONLY and the command's own writes was about to be sent: a defect in the CLI, never an account problem. */
export class ReadOnlyViolationError extends Error {
  override readonly name = 'ReadOnlyViolationError';
}

/**
 * Makes a client refuse, before signing, any command that is not a read or one of `writes`. `plan --aws` runs the
 * workflow's own handlers over adapters whose writes are only recorded (cli/plan/dry-run.ts); this guard is the
 * second line: a write a dry-run adapter forgot to intercept fails here instead of reaching the account. `abort --aws`
 * names the writes it makes (cli/commands/abort.ts), and nothing else gets through.
 */
export function readOnly<T extends { middlewareStack: unknown }>(client: T, writes: readonly string[] = []): T {
  (client.middlewareStack as MiddlewareStack<object, MetadataBearer>).add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (!READ_ONLY.test(command) && !writes.includes(command)) {
        throw new ReadOnlyViolationError(`refused to send ${command} to AWS: this command only reads${writes.length > 0 ? ` and sends ${writes.join(', ')}` : ''}`);
      }
      return next(args);
    },
    { step: 'initialize', name: 'rolloutReadOnly', priority: 'high' },
  );
  return client;
}
