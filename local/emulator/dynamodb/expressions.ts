/**
 * The subset of DynamoDB expressions a lock table needs: conditions with attribute_exists / attribute_not_exists /
 * begins_with, comparisons, AND / OR / NOT and parentheses; updates with SET (incl. `a + :n`, if_not_exists) and REMOVE.
 */
import { deepClone } from '../clone';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamodbError } from '../errors';

export type Item = Record<string, AttributeValue>;
export interface ExpressionContext {
  names?: Record<string, string>;
  values?: Record<string, AttributeValue>;
}
type Operand = { kind: 'path'; path: string[] } | { kind: 'value'; name: string };

const TOKEN = /\s*(<>|<=|>=|=|<|>|\(|\)|,|\+|-|:[A-Za-z0-9_]+|#?[A-Za-z0-9_]+(?:\.#?[A-Za-z0-9_]+)*)/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(expression);
    if (!match?.[1]) throw dynamodbError('ValidationException', `Invalid expression: Syntax error near "${expression.slice(TOKEN.lastIndex, TOKEN.lastIndex + 10)}"`);
    tokens.push(match[1]);
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: string[], private readonly context: ExpressionContext) {}
  peek(): string | undefined { return this.tokens[this.position]; }
  keyword(word: string): boolean {
    if (this.peek()?.toUpperCase() !== word) return false;
    this.position += 1;
    return true;
  }
  take(expected?: string): string {
    const token = this.tokens[this.position];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw dynamodbError('ValidationException', `Invalid expression: Syntax error; token: "${token ?? '<EOF>'}", expected "${expected ?? 'operand'}"`);
    }
    this.position += 1;
    return token;
  }
  done(): boolean { return this.position >= this.tokens.length; }
  operand(): Operand {
    const token = this.take();
    if (token.startsWith(':')) {
      if (this.context.values?.[token] === undefined) throw dynamodbError('ValidationException', `An expression attribute value used in expression is not defined; attribute value: ${token}`);
      return { kind: 'value', name: token };
    }
    const path = token.split('.').map((segment) => {
      if (!segment.startsWith('#')) return segment;
      const name = this.context.names?.[segment];
      if (name === undefined) throw dynamodbError('ValidationException', `An expression attribute name used in the document path is not defined; attribute name: ${segment}`);
      return name;
    });
    return { kind: 'path', path };
  }
}

export function resolve(item: Item | undefined, operand: Operand, context: ExpressionContext): AttributeValue | undefined {
  if (operand.kind === 'value') return context.values?.[operand.name];
  let current: AttributeValue | undefined = item === undefined ? undefined : { M: item };
  for (const segment of operand.path) current = current?.M?.[segment];
  return current;
}

function compare(left: AttributeValue | undefined, right: AttributeValue | undefined): number | undefined {
  if (left === undefined || right === undefined) return undefined;
  if (left.N !== undefined && right.N !== undefined) return Number(left.N) - Number(right.N);
  if (left.S !== undefined && right.S !== undefined) return left.S < right.S ? -1 : left.S > right.S ? 1 : 0;
  return JSON.stringify(left) === JSON.stringify(right) ? 0 : undefined;
}

type Condition = (item: Item | undefined) => boolean;

function parseOr(parser: Parser, context: ExpressionContext): Condition {
  let left = parseAnd(parser, context);
  while (parser.keyword('OR')) { const a = left, b = parseAnd(parser, context); left = (item) => a(item) || b(item); }
  return left;
}
function parseAnd(parser: Parser, context: ExpressionContext): Condition {
  let left = parseNot(parser, context);
  while (parser.keyword('AND')) { const a = left, b = parseNot(parser, context); left = (item) => a(item) && b(item); }
  return left;
}
function parseNot(parser: Parser, context: ExpressionContext): Condition {
  if (parser.keyword('NOT')) { const inner = parseNot(parser, context); return (item) => !inner(item); }
  return parsePrimary(parser, context);
}
function parsePrimary(parser: Parser, context: ExpressionContext): Condition {
  if (parser.peek() === '(') {
    parser.take('(');
    const inner = parseOr(parser, context);
    parser.take(')');
    return inner;
  }
  const functionName = parser.peek()?.toLowerCase();
  if (functionName === 'attribute_exists' || functionName === 'attribute_not_exists' || functionName === 'begins_with') {
    parser.take();
    parser.take('(');
    const path = parser.operand();
    const prefix = functionName === 'begins_with' ? (parser.take(','), parser.operand()) : undefined;
    parser.take(')');
    if (functionName === 'attribute_exists') return (item) => resolve(item, path, context) !== undefined;
    if (functionName === 'attribute_not_exists') return (item) => resolve(item, path, context) === undefined;
    return (item) => {
      const value = resolve(item, path, context)?.S;
      const start = prefix ? resolve(item, prefix, context)?.S : undefined;
      return value !== undefined && start !== undefined && value.startsWith(start);
    };
  }
  const left = parser.operand();
  const operator = parser.take();
  const right = parser.operand();
  const tests: Record<string, (order: number) => boolean> = {
    '=': (order) => order === 0, '<>': (order) => order !== 0, '<': (order) => order < 0, '<=': (order) => order <= 0, '>': (order) => order > 0, '>=': (order) => order >= 0,
  };
  const test = tests[operator];
  if (!test) throw dynamodbError('ValidationException', `Invalid ConditionExpression: Syntax error; token: "${operator}"`);
  return (item) => {
    const order = compare(resolve(item, left, context), resolve(item, right, context));
    return order === undefined ? operator === '<>' && JSON.stringify(resolve(item, left, context)) !== JSON.stringify(resolve(item, right, context)) : test(order);
  };
}

export function evaluateCondition(expression: string, item: Item | undefined, context: ExpressionContext): boolean {
  const parser = new Parser(tokenize(expression), context);
  const condition = parseOr(parser, context);
  if (!parser.done()) throw dynamodbError('ValidationException', `Invalid ConditionExpression: Syntax error; token: "${parser.peek() ?? ''}"`);
  return condition(item);
}

function setValue(parser: Parser, item: Item, context: ExpressionContext): AttributeValue {
  if (parser.peek()?.toLowerCase() === 'if_not_exists') {
    parser.take();
    parser.take('(');
    const path = parser.operand();
    parser.take(',');
    const fallback = parser.operand();
    parser.take(')');
    return resolve(item, path, context) ?? resolve(item, fallback, context) ?? { NULL: true };
  }
  const first = resolve(item, parser.operand(), context);
  const operator = parser.peek();
  if (operator !== '+' && operator !== '-') return first ?? { NULL: true };
  parser.take();
  const second = resolve(item, parser.operand(), context);
  if (first?.N === undefined || second?.N === undefined) throw dynamodbError('ValidationException', 'An operand in the update expression has an incorrect data type');
  return { N: String(operator === '+' ? Number(first.N) + Number(second.N) : Number(first.N) - Number(second.N)) };
}

function writePath(item: Item, path: string[], value: AttributeValue | undefined): void {
  const last = path[path.length - 1] ?? '';
  let container: Item = item;
  for (const segment of path.slice(0, -1)) {
    const next = container[segment]?.M;
    if (!next) throw dynamodbError('ValidationException', 'The document path provided in the update expression is invalid for update');
    container = next;
  }
  if (value === undefined) delete container[last];
  else container[last] = value;
}

/** Applies `SET a = :v, b = :w REMOVE c` to a copy of `item` and returns it. */
export function applyUpdate(expression: string, item: Item, context: ExpressionContext): Item {
  const result = deepClone(item);
  const parser = new Parser(tokenize(expression), context);
  while (!parser.done()) {
    const clause = parser.take().toUpperCase();
    if (clause !== 'SET' && clause !== 'REMOVE') throw dynamodbError('ValidationException', `Invalid UpdateExpression: Syntax error; token: "${clause}"`);
    do {
      const target = parser.operand();
      if (target.kind !== 'path') throw dynamodbError('ValidationException', 'Invalid UpdateExpression: a path is expected');
      if (clause === 'SET') {
        parser.take('=');
        writePath(result, target.path, setValue(parser, item, context));
      } else {
        writePath(result, target.path, undefined);
      }
    } while (parser.peek() === ',' && parser.take(','));
  }
  return result;
}
