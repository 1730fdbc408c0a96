/** Bad usage or an unreadable/invalid input file: exit 2, nothing run. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command was understood but could not do what it was asked (an execution that is not running, a lock another
 * execution holds): one line naming what and why, exit 1. Each case is a subclass with its own name.
 */
export abstract class RefusedError extends Error {
  abstract override readonly name: string;
}
