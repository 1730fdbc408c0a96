import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createEmulator } from '../../../local/emulator';
import { rejection } from './fixtures';

async function lockTable() {
  const emulator = createEmulator();
  const { dynamodb } = emulator.clients();
  await dynamodb.send(new CreateTableCommand({
    TableName: 'locks', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST',
  }));
  const acquire = (owner: string, now: number) => dynamodb.send(new PutItemCommand({
    TableName: 'locks', Item: { pk: { S: 'posts' }, owner: { S: owner }, expiresAt: { N: String(now + 60) } },
    ConditionExpression: 'attribute_not_exists(pk) OR (#expires < :now AND NOT #owner = :owner)',
    ExpressionAttributeNames: { '#expires': 'expiresAt', '#owner': 'owner' }, ExpressionAttributeValues: { ':now': { N: String(now) }, ':owner': { S: owner } },
  }));
  return { emulator, dynamodb, acquire };
}

describe('DynamoDB lock table', () => {
  it('acquires a free lock and refuses a second owner with ConditionalCheckFailedException', async () => {
    const { dynamodb, acquire } = await lockTable();
    await acquire('exec-1', 1000);
    const error = await rejection(acquire('exec-2', 1010));
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName: 'locks', Key: { pk: { S: 'posts' } }, ConsistentRead: true }));
    expect(Item?.owner).toEqual({ S: 'exec-1' });
  });

  it('lets another owner take an expired lock', async () => {
    const { emulator, acquire } = await lockTable();
    await acquire('exec-1', 1000);
    await acquire('exec-2', 1061);
    expect(emulator.snapshot().dynamodbItems.locks).toEqual([{ pk: 'posts', owner: 'exec-2', expiresAt: 1121 }]);
  });

  it('updates with SET and REMOVE under a condition and returns ALL_NEW', async () => {
    const { dynamodb, acquire } = await lockTable();
    await acquire('exec-1', 1000);
    const { Attributes } = await dynamodb.send(new UpdateItemCommand({
      TableName: 'locks', Key: { pk: { S: 'posts' } }, UpdateExpression: 'SET expiresAt = :later, step = :step REMOVE #owner',
      ConditionExpression: '#owner = :me', ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':later': { N: '2000' }, ':me': { S: 'exec-1' }, ':step': { M: { name: { S: 'deploy' } } } }, ReturnValues: 'ALL_NEW',
    }));
    expect(Attributes).toEqual({ pk: { S: 'posts' }, expiresAt: { N: '2000' }, step: { M: { name: { S: 'deploy' } } } });
  });

  it('releases only when the caller owns the lock, returning the old item', async () => {
    const { dynamodb, acquire } = await lockTable();
    await acquire('exec-1', 1000);
    const release = (owner: string) => dynamodb.send(new DeleteItemCommand({
      TableName: 'locks', Key: { pk: { S: 'posts' } }, ConditionExpression: 'attribute_exists(pk) AND #owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: { ':owner': { S: owner } }, ReturnValues: 'ALL_OLD',
    }));
    expect((await rejection(release('exec-2'))).name).toBe('ConditionalCheckFailedException');
    expect((await release('exec-1')).Attributes?.owner).toEqual({ S: 'exec-1' });
    expect((await rejection(release('exec-1'))).name).toBe('ConditionalCheckFailedException');
  });

  it('throws ResourceNotFoundException for an unknown table and ValidationException for a missing key', async () => {
    const { dynamodb } = await lockTable();
    expect((await rejection(dynamodb.send(new DescribeTableCommand({ TableName: 'nope' })))).name).toBe('ResourceNotFoundException');
    expect((await rejection(dynamodb.send(new PutItemCommand({ TableName: 'locks', Item: { owner: { S: 'x' } } })))).name).toBe('ValidationException');
    expect((await dynamodb.send(new DescribeTableCommand({ TableName: 'locks' }))).Table).toMatchObject({ TableStatus: 'ACTIVE', ItemCount: 0 });
  });
});
