import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { makeHandler } from '../../../functions/release-lock';
import { AwsRequestError, TransientAwsError, ValidationError } from '../../../lib/errors';
import { DIGEST, LOCK_TABLE, PUSH_TIME, aws, awsError, rejectionOf, resetAws, testDeps } from './fixtures';

const owner = 'posts-98cf390a9790526325315c828548fb07';

describe('release-lock', () => {
  beforeEach(() => resetAws());

  it('deletes the lock only if this execution holds it, recording nothing without a record', async () => {
    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner });

    // Assess
    expect(aws.dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: LOCK_TABLE,
      Key: { pk: { S: 'lock#posts' } },
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': { S: owner } },
    });
    expect(aws.dynamodb).not.toHaveReceivedCommand(PutItemCommand);
    expect(outcome).toEqual({ released: true, recorded: false });
  });

  it('records what is live unless a newer push is recorded, then releases the lock', async () => {
    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner, record: { eventTime: PUSH_TIME, digest: DIGEST } });

    // Assess
    expect(aws.dynamodb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: LOCK_TABLE,
      Item: { pk: { S: 'deployed#posts' }, eventTimeMs: { N: String(Date.parse(PUSH_TIME)) }, digest: { S: DIGEST }, executionName: { S: owner } },
      ConditionExpression: 'attribute_not_exists(pk) OR eventTimeMs <= :time',
      ExpressionAttributeValues: { ':time': { N: String(Date.parse(PUSH_TIME)) } },
    });
    expect(aws.dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, { Key: { pk: { S: 'lock#posts' } } });
    const order = aws.dynamodb.calls().map((call) => (call.args[0] as object).constructor.name);
    expect(order.indexOf('PutItemCommand')).toBeLessThan(order.indexOf('DeleteItemCommand'));
    expect(outcome).toEqual({ released: true, recorded: true });
  });

  it('reports recorded false when a newer push is already recorded', async () => {
    // Prepare
    aws.dynamodb.on(PutItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));

    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner, record: { eventTime: PUSH_TIME, digest: DIGEST } });

    // Assess
    expect(outcome).toEqual({ released: true, recorded: false });
  });

  it('reports released false and leaves a lock held by another execution', async () => {
    // Prepare
    aws.dynamodb.on(DeleteItemCommand).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));

    // Act
    const outcome = await makeHandler(testDeps())({ lockName: 'posts', owner });

    // Assess
    expect(outcome).toEqual({ released: false, recorded: false });
  });

  it.each([
    ['a record without an ISO event time', { lockName: 'posts', owner, record: { eventTime: 'now', digest: DIGEST } }, 'record.eventTime'],
    ['a lock name over 64 characters', { lockName: 'x'.repeat(65), owner }, 'lockName'],
  ])('throws ValidationError naming the field for %s', async (_case, input, field) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(input));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(aws.dynamodb).not.toHaveReceivedCommand(DeleteItemCommand);
  });

  it('throws TransientAwsError when DynamoDB is throttled', async () => {
    // Prepare
    aws.dynamodb.on(DeleteItemCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ lockName: 'posts', owner }));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
  });

  it('throws AwsRequestError with the code when DynamoDB denies access', async () => {
    // Prepare
    aws.dynamodb.on(DeleteItemCommand).rejects(awsError('AccessDeniedException', 'not authorized', 400));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ lockName: 'posts', owner }));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
  });
});
