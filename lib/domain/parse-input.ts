import type { z } from 'zod';
import { ValidationError } from '../errors';

/** Checks a step's input against its schema; a mismatch is a ValidationError naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, step: string, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = `${prefix}${issue?.path.map(String).join('.') ?? ''}` || '(input)';
  throw new ValidationError(`${step}: invalid input: ${field}: ${issue?.message ?? 'invalid'}`, field);
}
