import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsCall, awsErrorCode } from './aws-call';

export interface DeployedPush {
  readonly eventTimeMs: number;
  readonly digest: string;
  readonly executionName: string;
}

const CONDITION_FAILED = 'ConditionalCheckFailedException';

/**
 * Locks and release records in one DynamoDB table (pk string, TTL attribute expiresAt). A lock is a
 * conditional put that succeeds only when the item is absent, expired or already ours, so it survives a
 * crashed Lambda or a failed execution: at worst it expires.
 */
export function createLockAdapter(client: DynamoDBClient, tableName: string) {
  /** A conditional write: true when it took effect, false when its condition did not hold. */
  const conditionally = async (what: string, send: () => Promise<unknown>): Promise<boolean> => {
    try {
      await awsCall(what, send, [CONDITION_FAILED]);
      return true;
    } catch (error) {
      if (awsErrorCode(error) === CONDITION_FAILED) return false;
      throw error;
    }
  };

  return {
    async acquire(name: string, owner: string, nowMs: number, ttlSeconds: number): Promise<{ acquired: boolean; holder?: string }> {
      const nowSeconds = Math.floor(nowMs / 1000);
      const acquired = await conditionally(
        `acquire lock ${name} for ${owner}`,
        () =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: { pk: { S: `lock#${name}` }, owner: { S: owner }, expiresAt: { N: String(nowSeconds + ttlSeconds) } },
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR #owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':now': { N: String(nowSeconds) }, ':owner': { S: owner } },
            }),
          ),
      );
      if (acquired) return { acquired: true };
      const holder = await awsCall(`read lock ${name}`, () =>
        client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `lock#${name}` } }, ConsistentRead: true })),
      );
      return { acquired: false, holder: holder.Item?.owner?.S };
    },

    /** Extends a lock this owner holds (it must not lapse while the holder waits for another lock). */
    async renew(name: string, owner: string, nowMs: number, ttlSeconds: number): Promise<boolean> {
      return conditionally(
        `renew lock ${name} for ${owner}`,
        () =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: { pk: { S: `lock#${name}` } },
              UpdateExpression: 'SET expiresAt = :until',
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':until': { N: String(Math.floor(nowMs / 1000) + ttlSeconds) }, ':owner': { S: owner } },
            }),
          ),
      );
    },

    /** Who holds the lock now (an expired lease counts as nobody). */
    async holder(name: string, nowMs: number): Promise<string | undefined> {
      const out = await awsCall(`read lock ${name}`, () =>
        client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `lock#${name}` } }, ConsistentRead: true })),
      );
      const expiresAt = Number(out.Item?.expiresAt?.N ?? 0);
      return out.Item && expiresAt >= Math.floor(nowMs / 1000) ? out.Item.owner?.S : undefined;
    },

    /** Releases the lock if this owner holds it; a lock held by someone else (or expired and taken) is left alone. */
    async release(name: string, owner: string): Promise<boolean> {
      return conditionally(
        `release lock ${name} for ${owner}`,
        () =>
          client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: { pk: { S: `lock#${name}` } },
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': { S: owner } },
            }),
          ),
      );
    },

    async deployedPush(service: string): Promise<DeployedPush | undefined> {
      const out = await awsCall(`read release record of ${service}`, () =>
        client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `deployed#${service}` } }, ConsistentRead: true })),
      );
      const item = out.Item;
      if (!item?.eventTimeMs?.N) return undefined;
      return { eventTimeMs: Number(item.eventTimeMs.N), digest: item.digest?.S ?? '', executionName: item.executionName?.S ?? '' };
    },

    /**
     * Puts back the release record that this execution's record replaced (its rollout was undone), or
     * deletes it when there was none. A record written by another execution is left alone.
     */
    async forgetDeployed(service: string, executionName: string): Promise<boolean> {
      const key = { pk: { S: `deployed#${service}` } };
      const current = await awsCall(`read release record of ${service}`, () => client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true })));
      if (current.Item?.executionName?.S !== executionName) return false;
      const previous = current.Item.previous?.M;
      const condition = { ConditionExpression: 'executionName = :me', ExpressionAttributeValues: { ':me': { S: executionName } } };
      return conditionally(
        `put back release record of ${service}`,
        () =>
          previous
            ? client.send(new PutItemCommand({ TableName: tableName, Item: { pk: key.pk, ...previous }, ...condition }))
            : client.send(new DeleteItemCommand({ TableName: tableName, Key: key, ...condition })),
      );
    },

    /**
     * Records what is live, unless a newer push is already recorded (then returns false). The record it
     * replaces travels along as `previous`, so compensation can put it back.
     */
    async recordDeployed(service: string, push: DeployedPush): Promise<boolean> {
      const key = { pk: { S: `deployed#${service}` } };
      const current = await awsCall(`read release record of ${service}`, () => client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true })));
      // A retry of our own write keeps the record we replaced the first time.
      const mine = current.Item?.executionName?.S === push.executionName;
      const { pk: _pk, previous: older, ...replaced } = current.Item ?? {};
      const previous = mine ? older?.M : current.Item ? replaced : undefined;
      return conditionally(
        `record release of ${service}`,
        () =>
          client.send(
            new PutItemCommand({
              TableName: tableName,
              Item: {
                pk: { S: `deployed#${service}` },
                eventTimeMs: { N: String(push.eventTimeMs) },
                digest: { S: push.digest },
                executionName: { S: push.executionName },
                ...(previous ? { previous: { M: previous } } : {}),
              },
              ConditionExpression: 'attribute_not_exists(pk) OR eventTimeMs <= :time',
              ExpressionAttributeValues: { ':time': { N: String(push.eventTimeMs) } },
            }),
          ),
      );
    },
  };
}

export type LockAdapter = ReturnType<typeof createLockAdapter>;
