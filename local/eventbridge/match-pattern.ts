/**
 * EventBridge event-pattern matching, for the local runner (which rule target would fire for an event).
 * Semantics follow the EventBridge user guide, "Event patterns" and "Content filtering":
 * - every field named in the pattern must match (AND); the values listed for a field are alternatives (OR);
 * - a nested object in the pattern matches the nested object of the event;
 * - when the event's value is an array, the field matches if any element matches;
 * - matchers: exact values (string, number, boolean, null), `prefix`, `suffix`, `equals-ignore-case`,
 *   `anything-but` (a value, a list, or `{ prefix }` / `{ suffix }`), `exists`, `wildcard` (`*` only);
 * - `$or`: a list of sub-patterns, any of which may match, beside the object's other fields.
 * Numeric matching is not needed by this project and is rejected rather than half-supported.
 */
import { matchesWildcard } from '../../lib/domain/deploy-tags';

export type PatternLeaf = string | number | boolean | null;
export type ContentFilter =
  | { prefix: string }
  | { suffix: string }
  | { 'equals-ignore-case': string }
  | { exists: boolean }
  | { wildcard: string }
  | { 'anything-but': PatternLeaf | PatternLeaf[] | { prefix: string } | { suffix: string } };
export type PatternValue = PatternLeaf | ContentFilter;
export interface EventPattern {
  [field: string]: EventPattern | PatternValue[] | EventPattern[];
}

/** A pattern EventBridge would reject (PutRule), or one using a matcher this matcher does not implement. */
export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isLeaf = (value: unknown): value is PatternLeaf =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** True when `event` matches `pattern`. Throws InvalidEventPatternError for a malformed pattern. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  if (!isRecord(pattern)) throw new InvalidEventPatternError('event pattern must be a JSON object');
  return matchObject(pattern, event, '');
}

function matchObject(pattern: Record<string, unknown>, event: unknown, path: string): boolean {
  const fields = isRecord(event) ? event : {};
  return Object.entries(pattern).every(([key, expected]) => {
    const fieldPath = path ? `${path}.${key}` : key;
    if (key === '$or') return matchAny(expected, event, fieldPath);
    const present = Object.prototype.hasOwnProperty.call(fields, key);
    const actual = present ? fields[key] : undefined;
    if (Array.isArray(expected)) return matchField(expected, present, actual, fieldPath);
    if (isRecord(expected)) return matchObject(expected, actual, fieldPath);
    throw new InvalidEventPatternError(`event pattern field ${fieldPath}: must be an array of values or an object`);
  });
}

function matchAny(branches: unknown, event: unknown, path: string): boolean {
  if (!Array.isArray(branches) || branches.length < 2 || !branches.every(isRecord)) {
    throw new InvalidEventPatternError(`event pattern field ${path}: $or needs a list of at least two patterns`);
  }
  return branches.some((branch) => matchObject(branch, event, path.replace(/\.?\$or$/, '')));
}

function matchField(alternatives: readonly unknown[], present: boolean, actual: unknown, path: string): boolean {
  // An empty list is valid in EventBridge and matches nothing.
  return alternatives.some((alternative) => {
    if (isRecord(alternative) && 'exists' in alternative) {
      if (typeof alternative.exists !== 'boolean') throw new InvalidEventPatternError(`event pattern field ${path}: exists must be true or false`);
      // `exists` applies to leaf values: an object is not a leaf, so `exists: true` does not match it.
      const hasLeaf = present && (Array.isArray(actual) ? actual.length > 0 : !isRecord(actual));
      return alternative.exists === hasLeaf;
    }
    if (!present) return false;
    const values = Array.isArray(actual) ? actual : [actual];
    return values.some((value) => matchValue(alternative, value, path));
  });
}

function matchValue(matcher: unknown, value: unknown, path: string): boolean {
  if (isLeaf(matcher)) return value === matcher;
  if (!isRecord(matcher)) throw new InvalidEventPatternError(`event pattern field ${path}: unsupported value ${JSON.stringify(matcher)}`);
  const [operator, ...extra] = Object.keys(matcher);
  if (operator === undefined || extra.length > 0) {
    throw new InvalidEventPatternError(`event pattern field ${path}: a filter object needs exactly one operator, got ${JSON.stringify(matcher)}`);
  }
  const operand = matcher[operator];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && value.startsWith(stringOperand(operand, operator, path));
    case 'suffix':
      return typeof value === 'string' && value.endsWith(stringOperand(operand, operator, path));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === stringOperand(operand, operator, path).toLowerCase();
    case 'anything-but':
      return matchAnythingBut(operand, value, path);
    case 'wildcard':
      return typeof value === 'string' && matchesWildcard(stringOperand(operand, operator, path), value);
    default:
      throw new InvalidEventPatternError(`event pattern field ${path}: operator ${operator} is not supported by the local matcher`);
  }
}

function matchAnythingBut(operand: unknown, value: unknown, path: string): boolean {
  if (isLeaf(operand)) return value !== operand;
  if (Array.isArray(operand)) {
    if (!operand.every(isLeaf)) throw new InvalidEventPatternError(`event pattern field ${path}: anything-but list must hold plain values`);
    return !operand.includes(value as PatternLeaf);
  }
  if (isRecord(operand)) {
    // prefix/suffix compare strings; a non-string value is not matched (conservative: no rule fires on it).
    if (typeof value !== 'string') return false;
    return !matchValue(operand, value, path);
  }
  throw new InvalidEventPatternError(`event pattern field ${path}: unsupported anything-but ${JSON.stringify(operand)}`);
}

function stringOperand(operand: unknown, operator: string, path: string): string {
  if (typeof operand !== 'string') throw new InvalidEventPatternError(`event pattern field ${path}: ${operator} needs a string`);
  return operand;
}

/** Why an event does not match a pattern: the first field, in the pattern's order, whose values it fails. */
export interface PatternMismatch {
  /** Dotted path of the field in the event (e.g. detail.repository-name). */
  readonly field: string;
  /** The values and filters the pattern allows there (under `$or`, those of every branch that got this far). */
  readonly expected: readonly unknown[];
  readonly present: boolean;
  readonly actual?: unknown;
}

interface Explained {
  readonly mismatch?: PatternMismatch;
  /** Fields matched before the mismatch: under `$or`, the branch that got furthest explains the miss. */
  readonly matched: number;
}

/**
 * Why `event` does not match `pattern` (undefined when it matches): the same checks as matchesEventPattern, in the
 * same order, reporting the first that fails instead of false.
 */
export function explainMismatch(pattern: EventPattern, event: unknown): PatternMismatch | undefined {
  if (!isRecord(pattern)) throw new InvalidEventPatternError('event pattern must be a JSON object');
  return explainObject(pattern, event, '').mismatch;
}

function explainObject(pattern: Record<string, unknown>, event: unknown, path: string): Explained {
  const fields = isRecord(event) ? event : {};
  let matched = 0;
  for (const [key, expected] of Object.entries(pattern)) {
    const fieldPath = path ? `${path}.${key}` : key;
    let inner: Explained;
    if (key === '$or') {
      inner = explainAny(expected, event, fieldPath);
    } else {
      const present = Object.prototype.hasOwnProperty.call(fields, key);
      const actual = present ? fields[key] : undefined;
      if (Array.isArray(expected)) {
        inner = matchField(expected, present, actual, fieldPath) ? { matched: 1 } : { mismatch: { field: fieldPath, expected, present, ...(present ? { actual } : {}) }, matched: 0 };
      } else if (isRecord(expected)) {
        inner = explainObject(expected, actual, fieldPath);
      } else {
        throw new InvalidEventPatternError(`event pattern field ${fieldPath}: must be an array of values or an object`);
      }
    }
    matched += inner.matched;
    if (inner.mismatch) return { mismatch: inner.mismatch, matched };
  }
  return { matched };
}

function explainAny(branches: unknown, event: unknown, path: string): Explained {
  if (!Array.isArray(branches) || branches.length < 2 || !branches.every(isRecord)) {
    throw new InvalidEventPatternError(`event pattern field ${path}: $or needs a list of at least two patterns`);
  }
  const results = branches.map((branch) => explainObject(branch, event, path.replace(/\.?\$or$/, '')));
  const furthest = Math.max(...results.map((result) => result.matched));
  if (results.some((result) => !result.mismatch)) return { matched: furthest };
  const best = results.filter((result) => result.matched === furthest).map((result) => result.mismatch as PatternMismatch);
  const [first] = best;
  if (!first) return { matched: furthest };
  const expected = new Map(best.filter((mismatch) => mismatch.field === first.field).flatMap((mismatch) => mismatch.expected).map((value) => [JSON.stringify(value), value]));
  return { mismatch: { ...first, expected: [...expected.values()] }, matched: furthest };
}
