import {
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { Backend } from './backends';
import { errorName, expectConformance, useBackends } from './harness';

const backends = useBackends();

const TABLE = 'rollout-locks';
const NOW = 1_700_000_000;

async function createLockTable(backend: Backend) {
  const created = await backend.clients.dynamodb.send(
    new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  // TableStatus is not compared: AWS answers CREATING, moto ACTIVE; the table is usable at once in both.
  const { TableName, KeySchema, AttributeDefinitions } = created.TableDescription ?? {};
  return { TableName, KeySchema, AttributeDefinitions };
}

function lockItem(owner: string, expiresAt: number): Record<string, AttributeValue> {
  return { pk: { S: 'service#posts' }, owner: { S: owner }, expiresAt: { N: String(expiresAt) } };
}

/** The pipeline's lock: take it when free, when already ours, or when the holder's lease expired. */
function acquire(backend: Backend, owner: string) {
  return () =>
    backend.clients.dynamodb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: lockItem(owner, NOW + 300),
        // The expression lib/aws/lock.ts sends.
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :me',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':me': { S: owner }, ':now': { N: String(NOW) } },
      }),
    );
}

async function readLock(backend: Backend) {
  const read = await backend.clients.dynamodb.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'service#posts' } }, ConsistentRead: true }));
  return read.Item ?? null;
}

describe('DynamoDB conditional writes for the rollout lock: emulator agrees with moto', () => {
  it('creates the table and lets only the first attribute_not_exists(pk) put succeed', async () => {
    const outcomes = await backends.run(async (backend) => {
      const table = await createLockTable(backend);
      const putIfAbsent = (owner: string) => () =>
        backend.clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: lockItem(owner, NOW), ConditionExpression: 'attribute_not_exists(pk)' }));
      return { table, first: await errorName(putIfAbsent('exec-a')), second: await errorName(putIfAbsent('exec-b')), item: await readLock(backend) };
    });
    expectConformance(outcomes, {
      table: { TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] },
      first: 'no error',
      second: 'ConditionalCheckFailedException',
      item: lockItem('exec-a', NOW),
    });
  });

  it('evaluates owner = :me OR expiresAt < :now for a held, an own and an expired lock', async () => {
    const outcomes = await backends.run(async (backend) => {
      await createLockTable(backend);
      await backend.clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: lockItem('exec-a', NOW + 60) }));
      const heldByOther = await errorName(acquire(backend, 'exec-b'));
      const reentrant = await errorName(acquire(backend, 'exec-a'));
      await backend.clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: lockItem('exec-a', NOW - 1) }));
      const expired = await errorName(acquire(backend, 'exec-b'));
      return { heldByOther, reentrant, expired, item: await readLock(backend) };
    });
    expectConformance(outcomes, { heldByOther: 'ConditionalCheckFailedException', reentrant: 'no error', expired: 'no error', item: lockItem('exec-b', NOW + 300) });
  });

  it('records a deployment only when its push is not older than the recorded one (eventTimeMs <= :time)', async () => {
    const outcomes = await backends.run(async (backend) => {
      await createLockTable(backend);
      const record = (eventTimeMs: number) => () =>
        backend.clients.dynamodb.send(
          new PutItemCommand({
            TableName: TABLE,
            Item: { pk: { S: 'deployed#posts' }, eventTimeMs: { N: String(eventTimeMs) } },
            ConditionExpression: 'attribute_not_exists(pk) OR eventTimeMs <= :time',
            ExpressionAttributeValues: { ':time': { N: String(eventTimeMs) } },
          }),
        );
      return { first: await errorName(record(2_000)), older: await errorName(record(1_000)), same: await errorName(record(2_000)), newer: await errorName(record(3_000)) };
    });
    expectConformance(outcomes, { first: 'no error', older: 'ConditionalCheckFailedException', same: 'no error', newer: 'no error' });
  });

  it('extends a lease with UpdateItem SET and releases it only for its owner', async () => {
    const outcomes = await backends.run(async (backend) => {
      await createLockTable(backend);
      await backend.clients.dynamodb.send(new PutItemCommand({ TableName: TABLE, Item: lockItem('exec-a', NOW) }));
      const updated = await backend.clients.dynamodb.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { pk: { S: 'service#posts' } },
          UpdateExpression: 'SET expiresAt = :later, #step = :step',
          ConditionExpression: '#owner = :me',
          ExpressionAttributeNames: { '#owner': 'owner', '#step': 'step' },
          ExpressionAttributeValues: { ':me': { S: 'exec-a' }, ':later': { N: String(NOW + 600) }, ':step': { S: 'shift-traffic' } },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const release = (owner: string) => () =>
        backend.clients.dynamodb.send(
          new DeleteItemCommand({ TableName: TABLE, Key: { pk: { S: 'service#posts' } }, ConditionExpression: '#owner = :me', ExpressionAttributeNames: { '#owner': 'owner' }, ExpressionAttributeValues: { ':me': { S: owner } } }),
        );
      const releaseByOther = await errorName(release('exec-b'));
      const itemAfterFailedRelease = await readLock(backend);
      const releaseByOwner = await errorName(release('exec-a'));
      return { updated: updated.Attributes, releaseByOther, itemAfterFailedRelease, releaseByOwner, itemAfterRelease: await readLock(backend) };
    });
    const extended = { ...lockItem('exec-a', NOW + 600), step: { S: 'shift-traffic' } };
    expectConformance(outcomes, { updated: extended, releaseByOther: 'ConditionalCheckFailedException', itemAfterFailedRelease: extended, releaseByOwner: 'no error', itemAfterRelease: null });
  });
});
