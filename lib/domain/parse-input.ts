import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { ValidationError } from '../errors';

// zod/mini registers no messages of its own: every issue would read "Invalid input". `z.locales.en()` would
// bundle every locale (~260 KB); a named import from 'zod/locales' lets esbuild keep English alone. Set here
// because every parse goes through this module; the setting is process-wide (zod keeps it on globalThis).
z.config(en());

/** Any zod 4 schema, zod/mini or classic. */
export type Schema = z.core.$ZodType;

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

function fieldOf(path: readonly PropertyKey[], { root, prefix = '', brackets = false }: FieldOptions): string {
  const joined = brackets
    ? path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[')
    : path.map(String).join('.');
  return `${prefix}${joined}` || root;
}

/** Every issue of a failed parse, in zod's order, each with its path as a field name. */
export function schemaIssues(error: z.core.$ZodError, options: FieldOptions): SchemaIssue[] {
  return error.issues.map((issue) => ({ field: fieldOf(issue.path, options), message: issue.message }));
}

/** Parses `input`, or throws ValidationError "{what}: {field}: {why}" naming the first bad field. */
export function validate<S extends Schema>(schema: S, input: unknown, what: string, options: FieldOptions): z.output<S> {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const [issue] = schemaIssues(result.error, options);
  const field = issue?.field ?? options.root;
  throw new ValidationError(`${what}: ${field}: ${issue?.message ?? 'invalid'}`, field);
}

/** Checks a step's input against its schema; a mismatch is a ValidationError "{step}: invalid input: {field}: {why}". */
export function parseInput<S extends Schema>(schema: S, input: unknown, step: string, prefix = ''): z.output<S> {
  return validate(schema, input, `${step}: invalid input`, { root: '(input)', prefix });
}
