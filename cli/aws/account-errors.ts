import { UsageError } from '../usage-error';

/**
 * Failures that say the account is not set up for the CLI (credentials, permissions, endpoint), not that the
 * workflow would fail: they end the command with one line and exit 2, the way the AWS CLI reports them.
 */
const ACCOUNT_ERROR_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthFailure',
]);

/** AWS said "slow down" even after the SDK's own retries: reading again later is the fix. */
const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);

/** Socket errors on `error.code` when the endpoint cannot be reached (DNS, refused, reset, timed out). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

interface ErrorShape {
  name?: string;
  message?: string;
  code?: string;
  cause?: unknown;
  $fault?: string;
}

/** The error and its causes, outermost first (the adapters wrap SDK errors with `cause`). */
function chain(error: unknown): ErrorShape[] {
  const found: ErrorShape[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && found.length < 8) {
    found.push(current);
    current = (current as ErrorShape).cause;
  }
  return found;
}

export const MISSING_CREDENTIALS_HINT = 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME, or sign in (aws configure / aws sso login)';

/**
 * The one-line UsageError for an account failure anywhere in `error`'s cause chain, or undefined when the error
 * is something else (a named error of the workflow, a crash). `endpoint` names where the request went.
 */
export function accountFailure(error: unknown, context: { profile?: string; endpoint?: string; region: string }): UsageError | undefined {
  for (const link of chain(error)) {
    if (link.name === 'CredentialsProviderError') {
      return new UsageError(`no AWS credentials${context.profile ? ` for profile ${context.profile}` : ''}: ${MISSING_CREDENTIALS_HINT}`);
    }
    if (link.name && ACCOUNT_ERROR_CODES.has(link.name)) {
      const message = chain(error)[0]?.message ?? link.message ?? '';
      const text = message.includes(link.name) ? message : `${link.name}: ${message}`;
      return new UsageError(`${text} (region ${context.region}${context.profile ? `, profile ${context.profile}` : ''})`);
    }
    if (link.name && THROTTLING_CODES.has(link.name)) {
      return new UsageError(`AWS throttled the CLI's reads (${link.name}) after the SDK's retries: try again in a minute`);
    }
    if (link.code && NETWORK_CODES.has(link.code)) {
      return new UsageError(`cannot reach AWS at ${context.endpoint ?? `the ${context.region} endpoints`}: ${link.code}: check --endpoint-url, --region and the network`);
    }
  }
  return undefined;
}
