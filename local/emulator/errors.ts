/**
 * Errors shaped exactly like the ones the SDK v3 deserializers throw: an instance of the modeled exception class
 * when the service models the code, otherwise the service's base exception with `name` = the AWS error code.
 */
import * as cloudwatchSdk from '@aws-sdk/client-cloudwatch';
import * as dynamodbSdk from '@aws-sdk/client-dynamodb';
import * as ecrSdk from '@aws-sdk/client-ecr';
import * as ecsSdk from '@aws-sdk/client-ecs';
import * as elbv2Sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ServiceName } from './types';

interface ExceptionOptions {
  name: string;
  message: string;
  $fault: 'client' | 'server';
  $metadata: { httpStatusCode: number; requestId: string; attempts: number; totalRetryDelay: number };
}
type ExceptionClass = new (options: ExceptionOptions) => Error;

const modules: Record<Exclude<ServiceName, 'ec2'>, { exports: Record<string, unknown>; base: ExceptionClass }> = {
  ecs: { exports: ecsSdk, base: ecsSdk.ECSServiceException },
  elbv2: { exports: elbv2Sdk, base: elbv2Sdk.ElasticLoadBalancingV2ServiceException },
  ecr: { exports: ecrSdk, base: ecrSdk.ECRServiceException },
  dynamodb: { exports: dynamodbSdk, base: dynamodbSdk.DynamoDBServiceException },
  cloudwatch: { exports: cloudwatchSdk, base: cloudwatchSdk.CloudWatchServiceException },
};

let requestCounter = 0;

/** Builds the error the SDK would throw for AWS error `code` from `service`. */
export function awsError(service: ServiceName, code: string, message: string, extra: Record<string, unknown> = {}): Error {
  requestCounter += 1;
  const $metadata = { httpStatusCode: 400, requestId: `emulator-${requestCounter}`, attempts: 1, totalRetryDelay: 0 };
  if (service === 'ec2') return Object.assign(new Error(message), { name: code, $fault: 'client', $metadata });
  const { exports, base } = modules[service];
  const candidate = exports[code];
  const modeled = typeof candidate === 'function' && (candidate as { prototype: unknown }).prototype instanceof base;
  const Exception = modeled ? (candidate as ExceptionClass) : base;
  const error = new Exception({ name: code, message, $fault: 'client', $metadata, ...extra });
  // the base class takes `name` from options; modeled classes fix it themselves
  return Object.assign(error, extra);
}

export const throttlingCode: Record<ServiceName, string> = {
  ecs: 'ThrottlingException', elbv2: 'Throttling', ecr: 'ThrottlingException', dynamodb: 'ThrottlingException', cloudwatch: 'Throttling', ec2: 'RequestLimitExceeded',
};
export const accessDeniedCode: Record<ServiceName, string> = {
  ecs: 'AccessDeniedException', elbv2: 'AccessDenied', ecr: 'AccessDeniedException', dynamodb: 'AccessDeniedException', cloudwatch: 'AccessDenied', ec2: 'UnauthorizedOperation',
};

/** Small helpers so service modules read like the AWS docs. */
export const elbv2Error = (code: string, message: string): Error => awsError('elbv2', code, message);
export const ecsError = (code: string, message: string): Error => awsError('ecs', code, message);
export const ecrError = (code: string, message: string): Error => awsError('ecr', code, message);
export const dynamodbError = (code: string, message: string, extra?: Record<string, unknown>): Error => awsError('dynamodb', code, message, extra);
