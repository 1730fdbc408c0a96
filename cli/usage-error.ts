/** Bad usage or an unreadable/invalid input file: exit 2, nothing run. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
