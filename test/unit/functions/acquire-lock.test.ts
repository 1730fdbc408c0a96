import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { makeHandler } from '../../../functions/acquire-lock';
import { TransientAwsError, ValidationError } from '../../../lib/errors';
import { DIGEST, LOCK_TABLE, NOW, PUSH_TIME, aws, awsError, digestOf, rejectionOf, resetAws, testDeps } from './fixtures';

const owner = 'posts-98cf390a9790526325315c828548fb07';
const nowSeconds = Math.floor(NOW / 1000);

describe('acquire-lock', () => {
  beforeEach(() => resetAws());

  it('takes a free lock with a conditional put that expires after the TTL', async () => {
    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner, ttlSeconds: 600 });

    // Assess
    expect(aws.dynamodb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: LOCK_TABLE,
      Item: { pk: { S: 'lock#posts' }, owner: { S: owner }, expiresAt: { N: String(nowSeconds + 600) } },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
      ExpressionAttributeValues: { ':now': { N: String(nowSeconds) }, ':owner': { S: owner } },
    });
    expect(aws.dynamodb).not.toHaveReceivedCommand(GetItemCommand);
    expect(outcome).toEqual({ acquired: true, superseded: false, waitSeconds: 0 });
  });

  it("leases the lock for the service's longest legitimate hold: its health gate, a draining name and the monolith's drain", async () => {
    // Act
    await makeHandler(testDeps())({ lockName: 'posts', owner });

    // Assess: posts' gate 600 s + 720 s draining retries + api's 300 s delay + 300 s + 900 s margin
    expect(aws.dynamodb).toHaveReceivedCommandWith(PutItemCommand, { Item: expect.objectContaining({ expiresAt: { N: String(nowSeconds + 2820) } }) });
  });

  it('keeps the lock it already holds alive while it queues for another (owner-conditional renewal)', async () => {
    // Act
    await makeHandler(testDeps())({ lockName: 'api', owner, renewLock: 'posts' });

    // Assess
    expect(aws.dynamodb).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pk: { S: 'lock#posts' } },
      UpdateExpression: 'SET expiresAt = :until',
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeValues: { ':until': { N: String(nowSeconds + 2820) }, ':owner': { S: owner } },
    });
  });

  it('throws LockTimeoutError when the lock is still held an hour after the execution started', async () => {
    // Prepare
    aws.dynamodb.on(PutItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));
    aws.dynamodb.on(GetItemCommand).resolves({ Item: { pk: { S: 'lock#posts' }, owner: { S: 'posts-stuck' } } });
    const startedAt = new Date(NOW - 3601 * 1000).toISOString();

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ lockName: 'posts', owner, startedAt }));

    // Assess
    expect(error).toMatchObject({ name: 'LockTimeoutError', message: expect.stringContaining('still held by posts-stuck') });
  });

  it('reports the holder and a 10 s poll when another execution holds the lock', async () => {
    // Prepare
    aws.dynamodb.on(PutItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));
    aws.dynamodb.on(GetItemCommand).resolves({ Item: { pk: { S: 'lock#posts' }, owner: { S: 'posts-other' } } });

    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner });

    // Assess
    expect(aws.dynamodb).toHaveReceivedCommandWith(GetItemCommand, { TableName: LOCK_TABLE, Key: { pk: { S: 'lock#posts' } }, ConsistentRead: true });
    expect(outcome).toEqual({ acquired: false, superseded: false, holder: 'posts-other', waitSeconds: 10 });
  });

  it.each([
    ['a newer push of another digest is live', { eventTimeMs: Date.parse(PUSH_TIME) + 60_000, digest: digestOf('v2') }, true],
    ['an older push is live', { eventTimeMs: Date.parse(PUSH_TIME) - 60_000, digest: digestOf('v0') }, false],
    ['this very digest is live (re-run)', { eventTimeMs: Date.parse(PUSH_TIME) + 60_000, digest: DIGEST }, false],
  ])('decides whether the push is superseded when %s', async (_case, live, superseded) => {
    // Prepare
    aws.dynamodb
      .on(GetItemCommand, { Key: { pk: { S: 'deployed#posts' } } })
      .resolves({ Item: { pk: { S: 'deployed#posts' }, eventTimeMs: { N: String(live.eventTimeMs) }, digest: { S: live.digest }, executionName: { S: 'x' } } });

    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner, eventTime: PUSH_TIME, digest: DIGEST });

    // Assess
    expect(aws.dynamodb).toHaveReceivedCommandWith(GetItemCommand, { Key: { pk: { S: 'deployed#posts' } }, ConsistentRead: true });
    expect(outcome).toEqual({ acquired: true, superseded, waitSeconds: 0 });
  });

  it('does not treat a first rollout (no release record) as superseded', async () => {
    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner, eventTime: PUSH_TIME, digest: DIGEST });

    // Assess
    expect(outcome.superseded).toBe(false);
  });

  it.each([
    ['an empty lock name', { lockName: '', owner }, 'lockName'],
    ['a TTL under a minute', { lockName: 'posts', owner, ttlSeconds: 30 }, 'ttlSeconds'],
    ['a missing owner', { lockName: 'posts' }, 'owner'],
    ['an event time that is not ISO 8601', { lockName: 'posts', owner, eventTime: 'yesterday' }, 'eventTime'],
  ])('throws ValidationError naming the field for %s', async (_case, input, field) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(input));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^acquire lock: invalid input: ${field}: `));
    expect(aws.dynamodb).not.toHaveReceivedCommand(PutItemCommand);
  });

  it('throws TransientAwsError when DynamoDB throttles the put', async () => {
    // Prepare
    aws.dynamodb.on(PutItemCommand).rejects(awsError('ProvisionedThroughputExceededException', 'throughput exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ lockName: 'posts', owner }));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe(`acquire lock posts for ${owner}: ProvisionedThroughputExceededException: throughput exceeded`);
  });
});
