/**
 * CloudWatch errors as the SDK throws them: the modeled exception (`name` = its shape, e.g. InvalidParameterValueException)
 * carrying the query-compatible code AWS sends alongside (`Code`, e.g. InvalidParameterValue).
 */
import { awsError } from '../errors';

export const invalidParameterValue = (message: string): Error => awsError('cloudwatch', 'InvalidParameterValueException', message, { Code: 'InvalidParameterValue' });
export const invalidParameterCombination = (message: string): Error =>
  awsError('cloudwatch', 'InvalidParameterCombinationException', message, { Code: 'InvalidParameterCombination' });
export const validationError = (message: string): Error => awsError('cloudwatch', 'ValidationException', message, { Code: 'ValidationError' });
export const resourceNotFound = (message: string): Error => awsError('cloudwatch', 'ResourceNotFound', message, { Code: 'ResourceNotFound' });
export const invalidFormat = (message: string): Error => awsError('cloudwatch', 'InvalidFormatFault', message, { Code: 'InvalidFormat' });
