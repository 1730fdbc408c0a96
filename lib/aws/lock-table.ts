import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LockItem } from '../domain/abort';
import { awsCall, awsErrorCode } from './aws-call';

const CONDITION_FAILED = 'ConditionalCheckFailedException';

/**
 * DynamoDB adapter for the lock table (serverless.yml, RolloutLockTable; one item per service, `lock#<service>`) outside
 * the state machines: the writes are theirs, word for word ("Free service lock", "Release service lock" in
 * rollout.asl.yaml), each conditional on the owner, so a lock another execution holds is never touched.
 */
export function createLockTable(client: DynamoDBClient, tableName: string) {
  /** A conditional write by `owner`: true when it was made, false when `owner` did not hold the lock. */
  const writeAsOwner = async (what: string, lockKey: string, owner: string, update: string, values: Record<string, { S: string }> = {}): Promise<boolean> => {
    try {
      await awsCall(
        `${what} ${lockKey} in ${tableName}`,
        () =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: { pk: { S: lockKey } },
              UpdateExpression: update,
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': { S: owner }, ...values },
            }),
          ),
        [CONDITION_FAILED],
      );
      return true;
    } catch (error) {
      if (awsErrorCode(error) === CONDITION_FAILED) return false;
      throw error;
    }
  };

  return {
    tableName,

    /** Who holds the lock now and until when (a strongly consistent read: the state machines write it a moment before). */
    async read(lockKey: string): Promise<LockItem> {
      const out = await awsCall(`read lock ${lockKey} in ${tableName}`, () =>
        client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: lockKey } }, ConsistentRead: true })),
      );
      const owner = out.Item?.owner?.S;
      const leaseUntil = out.Item?.leaseUntil?.S;
      return { ...(owner ? { owner } : {}), ...(leaseUntil ? { leaseUntil } : {}) };
    },

    /** A fresh lease for the holder (abort, while it restores): false when `owner` does not hold the lock. */
    renew: (lockKey: string, owner: string, leaseUntil: string) => writeAsOwner('renew lock', lockKey, owner, 'SET leaseUntil = :until', { ':until': { S: leaseUntil } }),

    /** "Free service lock": lets the next push in; false when `owner` does not hold it. */
    free: (lockKey: string, owner: string) => writeAsOwner('free lock', lockKey, owner, 'REMOVE #owner, leaseUntil'),

    /** "Release service lock": records what is live (so an older push never replaces it) and frees the lock, in one write. */
    releaseLive: (lockKey: string, owner: string, push: { readonly digest: string; readonly time: string }) =>
      writeAsOwner('release lock', lockKey, owner, 'SET deployedDigest = :digest, deployedTime = :time, deployedBy = :owner REMOVE #owner, leaseUntil', {
        ':digest': { S: push.digest },
        ':time': { S: push.time },
      }),
  };
}

export type LockTable = ReturnType<typeof createLockTable>;
