/** DynamoDB tables and items (enough for a lock table): conditional Put/Update/Delete, consistent Get. */
import { deepClone } from '../clone';
import type {
  AttributeValue, CreateTableCommandInput, DeleteItemCommandInput, GetItemCommandInput, PutItemCommandInput, TableDescription, UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { EmulatorContext, TableRecord } from '../context';
import { dynamodbError } from '../errors';
import type { Handlers } from '../handlers';
import { applyUpdate, evaluateCondition, type Item } from './expressions';

function requireTable(ctx: EmulatorContext, name: string | undefined): TableRecord {
  const table = name === undefined ? undefined : ctx.tables.get(name);
  if (!table) throw dynamodbError('ResourceNotFoundException', `Requested resource not found: Table: ${String(name)} not found`);
  return table;
}

function describe(table: TableRecord): TableDescription {
  return {
    TableName: table.input.TableName, TableArn: table.arn, TableStatus: 'ACTIVE', KeySchema: deepClone(table.input.KeySchema),
    AttributeDefinitions: deepClone(table.input.AttributeDefinitions), CreationDateTime: new Date(table.createdAt), ItemCount: table.items.size,
    BillingModeSummary: { BillingMode: table.input.BillingMode ?? 'PROVISIONED' },
  };
}

/** The item's primary key as a string, after checking it has every key attribute with the declared type. */
function keyOf(table: TableRecord, item: Record<string, AttributeValue> | undefined, exact: boolean): string {
  const schema = table.input.KeySchema ?? [];
  const parts = schema.map(({ AttributeName = '' }) => {
    const value = item?.[AttributeName];
    const type = table.input.AttributeDefinitions?.find((definition) => definition.AttributeName === AttributeName)?.AttributeType ?? 'S';
    if (value === undefined) throw dynamodbError('ValidationException', `One or more parameter values were invalid: Missing the key ${AttributeName} in the item`);
    if (!(type in value)) throw dynamodbError('ValidationException', `One or more parameter values were invalid: Type mismatch for key ${AttributeName} expected: ${type}`);
    return JSON.stringify(value);
  });
  if (exact && Object.keys(item ?? {}).length !== schema.length) throw dynamodbError('ValidationException', 'The provided key element does not match the schema');
  return parts.join('|');
}

interface Conditional { ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue>; ReturnValuesOnConditionCheckFailure?: string }

function checkCondition(input: Conditional, existing: Item | undefined): void {
  if (input.ConditionExpression === undefined) return;
  const context = { names: input.ExpressionAttributeNames, values: input.ExpressionAttributeValues };
  if (evaluateCondition(input.ConditionExpression, existing, context)) return;
  const item = input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && existing ? { Item: deepClone(existing) } : {};
  throw dynamodbError('ConditionalCheckFailedException', 'The conditional request failed', item);
}

function createTable(ctx: EmulatorContext, input: CreateTableCommandInput): { TableDescription: TableDescription } {
  const name = input.TableName ?? '';
  if (ctx.tables.has(name)) throw dynamodbError('ResourceInUseException', `Table already exists: ${name}`);
  if (!input.KeySchema || input.KeySchema.length === 0) throw dynamodbError('ValidationException', 'One or more parameter values were invalid: KeySchema must not be empty');
  const table: TableRecord = { input: deepClone(input), arn: `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`, createdAt: ctx.simulatedUntil, items: new Map() };
  ctx.tables.set(name, table);
  return { TableDescription: describe(table) };
}

function putItem(ctx: EmulatorContext, input: PutItemCommandInput): { Attributes?: Item } {
  const table = requireTable(ctx, input.TableName);
  const key = keyOf(table, input.Item, false);
  const existing = table.items.get(key);
  checkCondition(input, existing);
  table.items.set(key, deepClone(input.Item ?? {}));
  return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {};
}

function getItem(ctx: EmulatorContext, input: GetItemCommandInput): { Item?: Item } {
  const table = requireTable(ctx, input.TableName);
  const item = table.items.get(keyOf(table, input.Key, true));
  return item ? { Item: deepClone(item) } : {};
}

function deleteItem(ctx: EmulatorContext, input: DeleteItemCommandInput): { Attributes?: Item } {
  const table = requireTable(ctx, input.TableName);
  const key = keyOf(table, input.Key, true);
  const existing = table.items.get(key);
  checkCondition(input, existing);
  table.items.delete(key);
  return input.ReturnValues === 'ALL_OLD' && existing ? { Attributes: existing } : {};
}

function updateItem(ctx: EmulatorContext, input: UpdateItemCommandInput): { Attributes?: Item } {
  const table = requireTable(ctx, input.TableName);
  const key = keyOf(table, input.Key, true);
  const existing = table.items.get(key);
  checkCondition(input, existing);
  const base = existing ?? deepClone(input.Key ?? {});
  const context = { names: input.ExpressionAttributeNames, values: input.ExpressionAttributeValues };
  const updated = input.UpdateExpression === undefined ? base : applyUpdate(input.UpdateExpression, base, context);
  keyOf(table, updated, false); // an update must not remove or retype the key
  table.items.set(key, updated);
  if (input.ReturnValues === 'ALL_NEW') return { Attributes: deepClone(updated) };
  if (input.ReturnValues === 'ALL_OLD' && existing) return { Attributes: existing };
  return {};
}

export function dynamodbHandlers(ctx: EmulatorContext): Handlers {
  return {
    CreateTable: (input: CreateTableCommandInput) => createTable(ctx, input),
    DescribeTable: (input: { TableName?: string }) => ({ Table: describe(requireTable(ctx, input.TableName)) }),
    PutItem: (input: PutItemCommandInput) => putItem(ctx, input),
    GetItem: (input: GetItemCommandInput) => getItem(ctx, input),
    DeleteItem: (input: DeleteItemCommandInput) => deleteItem(ctx, input),
    UpdateItem: (input: UpdateItemCommandInput) => updateItem(ctx, input),
  };
}
