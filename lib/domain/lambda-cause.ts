/**
 * Step Functions hands a Lambda error's Cause over as JSON {errorType, errorMessage, trace}; other causes
 * (a States.Timeout, a Fail state's CausePath) are plain text. Either way: the human-readable message.
 */
export function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
