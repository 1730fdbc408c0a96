import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { AwsRequestError, TransientAwsError } from '../errors';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
}

type SmithyError = Parameters<typeof isTransientError>[0];

export function awsErrorCode(error: unknown): string {
  return (error as SdkErrorShape | undefined)?.name ?? 'UnknownError';
}

/**
 * Retryable means what the SDK's own retry strategy retries, from the classifiers every v3 client uses
 * (@smithy/core/retry; the standalone @smithy/service-error-classification is deprecated in its favour):
 * throttling codes and HTTP 429 (isThrottlingError); TimeoutError, socket errors on `error.code` (ECONNRESET,
 * EPIPE, ETIMEDOUT, ...), HTTP 500/502/503/504 and the `$retryable` trait, also on a `cause` (isTransientError);
 * any other 5xx (isServerError). Ours on top: an exception the service models as `$fault: 'server'`.
 * The SDK has already retried these; the state machine retries them again, later, with back-off.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as SdkErrorShape).$fault === 'server') return true;
  const sdkError = error as SmithyError;
  try {
    return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
  } catch {
    // The classifiers assume SDK-shaped errors all the way down: a `cause` of null makes them throw.
    return false;
  }
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
