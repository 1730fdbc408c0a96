/**
 * Calls a handler the way Lambda + Step Functions would: the payload crosses as JSON (no undefined,
 * no Dates, 256 KiB max), and a thrown error arrives as Error = its name, Cause = a JSON string
 * {errorType, errorMessage, trace} — the shape a Catch's ResultPath and the compensation step see on AWS.
 */
const PAYLOAD_LIMIT_BYTES = 256 * 1024;

export class LambdaError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

function crossAsJson(value: unknown, what: string): unknown {
  const json = JSON.stringify(value ?? null);
  if (Buffer.byteLength(json) > PAYLOAD_LIMIT_BYTES) throw new LambdaError('States.DataLimitExceeded', `${what} is ${Buffer.byteLength(json)} bytes, over 256 KiB`);
  return JSON.parse(json) as unknown;
}

export function asLambda(handler: (input: unknown) => Promise<unknown>): (input: unknown) => Promise<never> {
  return (async (input: unknown) => {
    const payload = crossAsJson(input, 'task input');
    let output: unknown;
    try {
      output = await handler(payload);
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new LambdaError(name, JSON.stringify({ errorType: name, errorMessage: message, trace: [] }));
    }
    return crossAsJson(output, 'task output');
  }) as (input: unknown) => Promise<never>;
}
