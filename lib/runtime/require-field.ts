import { ValidationError } from '../errors';

/** A release field an earlier step must have set; its absence means the workflow was wired wrong. */
export function requireField<T>(value: T | undefined, step: string, field: string): T {
  if (value === undefined || value === null || value === '') {
    throw new ValidationError(`${step}: invalid input: ${field} is required (set by an earlier step)`, field);
  }
  return value;
}
