import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { ECSServiceException } from '@aws-sdk/client-ecs';
import { awsCall, awsErrorCode, isTransient } from '../../../lib/aws/aws-call';
import { AwsRequestError, TransientAwsError } from '../../../lib/errors';

/**
 * An error as the SDK v3 deserializers throw it for an unmodeled code: the service's base exception named after
 * the code. `$retryable` is set afterwards, as a modeled exception's own constructor does.
 */
const serviceError = (name: string, options: { fault?: 'client' | 'server'; status?: number; retryable?: { throttling?: boolean } } = {}) =>
  Object.assign(
    new ECSServiceException({ name, message: `${name} from ECS`, $fault: options.fault ?? 'client', $metadata: { httpStatusCode: options.status ?? 400, requestId: 'r-1' } }),
    options.retryable ? { $retryable: options.retryable } : {},
  );
/** A Node socket error as the HTTP handler surfaces it: name Error, the system code on `code`. */
const socketError = (code: string) => Object.assign(new Error(`read ${code}`), { code });

describe('isTransient', () => {
  it.each<[string, unknown]>([
    // throttling codes, as each service spells them
    ['ThrottlingException (ECS, ECR, DynamoDB, SFN)', serviceError('ThrottlingException')],
    ['Throttling (ELBv2)', serviceError('Throttling')],
    ['TooManyRequestsException', serviceError('TooManyRequestsException')],
    ['RequestLimitExceeded (EC2)', serviceError('RequestLimitExceeded')],
    ['ProvisionedThroughputExceededException (DynamoDB)', serviceError('ProvisionedThroughputExceededException')],
    ['RequestThrottled', serviceError('RequestThrottled')],
    ['RequestThrottledException', serviceError('RequestThrottledException')],
    ['PriorRequestNotComplete', serviceError('PriorRequestNotComplete')],
    ['SlowDown (S3)', serviceError('SlowDown', { status: 503 })],
    ['BandwidthLimitExceeded', serviceError('BandwidthLimitExceeded')],
    ['TransactionInProgressException (DynamoDB)', serviceError('TransactionInProgressException')],
    ['an unknown code with HTTP 429', serviceError('SomethingNew', { status: 429 })],
    // server faults
    ['$fault server on a 4xx status', serviceError('InternalServerError', { fault: 'server', status: 400 })],
    ['ServiceUnavailable with HTTP 503', serviceError('ServiceUnavailable', { fault: 'server', status: 503 })],
    ['HTTP 500', serviceError('InternalFailure', { status: 500 })],
    ['HTTP 501 (not in the SDK transient status list)', serviceError('NotImplemented', { status: 501 })],
    ['HTTP 599', serviceError('Whatever', { status: 599 })],
    ['the $retryable trait', serviceError('ModeledRetryable', { retryable: {} })],
    ['the $retryable throttling trait', serviceError('ModeledThrottle', { retryable: { throttling: true } })],
    // the network
    ['ECONNRESET', socketError('ECONNRESET')],
    ['EPIPE', socketError('EPIPE')],
    ['ETIMEDOUT', socketError('ETIMEDOUT')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['TimeoutError (the SDK request timeout)', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
    ['an error whose cause is a socket reset', new Error('request failed', { cause: socketError('ECONNRESET') })],
  ])('%s is transient', (_case, error) => {
    // Act
    const transient = isTransient(error);

    // Assess
    expect(transient).toBe(true);
  });

  it.each<[string, unknown]>([
    ['AccessDeniedException', serviceError('AccessDeniedException')],
    ['AccessDenied (ELBv2)', serviceError('AccessDenied', { status: 403 })],
    ['ValidationError (ELBv2)', serviceError('ValidationError')],
    ['PriorityInUse (ELBv2)', serviceError('PriorityInUse')],
    ['ConditionalCheckFailedException (DynamoDB)', new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } })],
    ['ClusterNotFoundException', serviceError('ClusterNotFoundException')],
    ['an unknown client code with HTTP 400', serviceError('SomethingNew')],
    ['AbortError, even with a timeout cause', Object.assign(new Error('aborted', { cause: socketError('ETIMEDOUT') }), { name: 'AbortError' })],
    ['a plain Error', new Error('boom')],
    ['an error whose cause is null', new Error('odd', { cause: null })],
    ['a string', 'ThrottlingException'],
    ['null', null],
    ['undefined', undefined],
  ])('%s is permanent', (_case, error) => {
    // Act
    const transient = isTransient(error);

    // Assess
    expect(transient).toBe(false);
  });
});

describe('awsCall', () => {
  it('returns what the call resolves to', async () => {
    // Act
    const result = await awsCall('describe services', async () => ({ services: [] }));

    // Assess
    expect(result).toEqual({ services: [] });
  });

  it('throws TransientAwsError naming the call, the code and the reason, with the SDK error as cause', async () => {
    // Prepare
    const throttle = serviceError('ThrottlingException');

    // Act
    const error: unknown = await awsCall('create service posts', () => Promise.reject(throttle)).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect((error as TransientAwsError).message).toBe('create service posts: ThrottlingException: ThrottlingException from ECS');
    expect((error as TransientAwsError).cause).toBe(throttle);
  });

  it('throws AwsRequestError with the code for a permanent refusal', async () => {
    // Act
    const error: unknown = await awsCall('create rule /api/posts*', () => Promise.reject(serviceError('PriorityInUse'))).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect((error as AwsRequestError).code).toBe('PriorityInUse');
    expect((error as AwsRequestError).message).toBe('create rule /api/posts*: PriorityInUse: PriorityInUse from ECS');
  });

  it('rethrows an expected code untouched, even a transient one', async () => {
    // Prepare
    const notFound = serviceError('TargetGroupNotFoundException');
    const throttle = serviceError('Throttling');

    // Act
    const errors = await Promise.all([
      awsCall('describe target group', () => Promise.reject(notFound), ['TargetGroupNotFoundException']).catch((caught: unknown) => caught),
      awsCall('describe target group', () => Promise.reject(throttle), ['Throttling']).catch((caught: unknown) => caught),
    ]);

    // Assess
    expect(errors).toEqual([notFound, throttle]);
    expect(errors[0]).toBe(notFound);
  });
});

describe('awsErrorCode', () => {
  it.each<[string, unknown, string]>([
    ['an SDK exception', serviceError('PriorityInUse'), 'PriorityInUse'],
    ['a socket error', socketError('ECONNRESET'), 'Error'],
    ['undefined', undefined, 'UnknownError'],
  ])('of %s is its name', (_case, error, code) => {
    expect(awsErrorCode(error)).toBe(code);
  });
});
