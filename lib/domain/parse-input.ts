import * as v from 'valibot';
import { ValidationError } from '../errors';

// valibot, not zod: its schemas are plain objects, so building the ~150 schema nodes every function needs at
// cold start costs about 2 ms instead of zod/mini's 8 ms, and its bundle is a third of the size (BENCHMARKS.md,
// "Lambda bundles"). Its English messages are built in; no locale to load.

/** Any valibot schema (synchronous). */
export type Schema = v.GenericSchema;

/** One issue of a failed parse, its path written as a field name. */
export interface SchemaIssue {
  readonly field: string;
  readonly message: string;
}

interface FieldOptions {
  /** The field name of an empty path (the input itself): '(input)', '(event)', '(root)'. */
  readonly root: string;
  /** Put before the path: 'release.' names the fields of a release nested in the input. */
  readonly prefix?: string;
  /** Array indexes as `paths[0]` rather than `paths.0`. */
  readonly brackets?: boolean;
}

function fieldOf(path: readonly unknown[], { root, prefix = '', brackets = false }: FieldOptions): string {
  const joined = brackets
    ? path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[')
    : path.map(String).join('.');
  return `${prefix}${joined}` || root;
}

/**
 * valibot reports object keys as "Invalid key: Expected …": a missing required key reads better as
 * `lockName: is required`, and a key a strict object does not know as the object's issue,
 * `healthCheck: Unrecognized key: "port"`. Every other message is valibot's, or the schema's own.
 */
function described(issue: v.BaseIssue<unknown>): { path: unknown[]; message: string } {
  const path = (issue.path ?? []).map((item) => item.key);
  const isKeyIssue = issue.path?.at(-1)?.origin === 'key';
  if (isKeyIssue && issue.expected === 'never') return { path: path.slice(0, -1), message: `Unrecognized key: ${issue.received}` };
  if (isKeyIssue && issue.input === undefined) return { path, message: 'is required' };
  return { path, message: issue.message };
}

/** Every issue of a failed parse, in valibot's order, each with its path as a field name. */
export function schemaIssues(issues: readonly v.BaseIssue<unknown>[], options: FieldOptions): SchemaIssue[] {
  return issues.map((issue) => {
    const { path, message } = described(issue);
    return { field: fieldOf(path, options), message };
  });
}

/** Parses `input`, or throws ValidationError "{what}: {field}: {why}" naming the first bad field. */
export function validate<S extends Schema>(schema: S, input: unknown, what: string, options: FieldOptions): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const [issue] = schemaIssues(result.issues, options);
  const field = issue?.field ?? options.root;
  throw new ValidationError(`${what}: ${field}: ${issue?.message ?? 'invalid'}`, field);
}

/** Checks a step's input against its schema; a mismatch is a ValidationError "{step}: invalid input: {field}: {why}". */
export function parseInput<S extends Schema>(schema: S, input: unknown, step: string, prefix = ''): v.InferOutput<S> {
  return validate(schema, input, `${step}: invalid input`, { root: '(input)', prefix });
}

/** ISO-8601 UTC instants as `Date#toISOString` and Step Functions write them; they sort as strings (lease checks rely on it). */
export const UTC_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** An ISO-8601 UTC instant (…Z). */
export const utcInstant = () => v.pipe(v.string(), v.regex(UTC_INSTANT, 'must be an ISO 8601 UTC time such as 2026-01-01T00:00:00.000Z'));

/** A string of `min` to `max` characters. */
export const text = (min = 0, max?: number) =>
  max === undefined ? v.pipe(v.string(), v.minLength(min)) : v.pipe(v.string(), v.minLength(min), v.maxLength(max));
