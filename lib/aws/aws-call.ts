import { AwsRequestError, TransientAwsError } from '../errors';

// Error codes AWS documents as retryable (throttling and passing server faults), across the APIs we call.
const TRANSIENT_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'ServerException',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
]);

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

export function awsErrorCode(error: unknown): string {
  return (error as SdkErrorShape | undefined)?.name ?? 'UnknownError';
}

export function isTransient(error: unknown): boolean {
  const shape = error as SdkErrorShape | undefined;
  if (!shape) return false;
  return TRANSIENT_CODES.has(awsErrorCode(error)) || shape.$fault === 'server' || Boolean(shape.$retryable) || (shape.$metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * The one place SDK errors become the pipeline's named errors, with "{what}: {why}" messages.
 * `expected` lists codes the caller handles itself (e.g. TargetGroupNotFound on a lookup): those are rethrown as is.
 */
export async function awsCall<T>(what: string, call: () => Promise<T>, expected: readonly string[] = []): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = awsErrorCode(error);
    if (expected.includes(code)) throw error;
    const why = (error as SdkErrorShape | undefined)?.message ?? String(error);
    if (isTransient(error)) throw new TransientAwsError(`${what}: ${code}: ${why}`, { cause: error });
    throw new AwsRequestError(`${what}: ${code}: ${why}`, code, { cause: error });
  }
}
