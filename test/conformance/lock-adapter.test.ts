import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { createLockAdapter } from '../../lib/aws/lock';
import { expectConformance, useBackends } from './harness';

// The pipeline's own lock adapter (lib/aws/lock.ts), run unchanged against moto and the emulator: every
// condition and update expression it sends, and what it reads back.
const backends = useBackends();
const TABLE = 'rollout-locks';
const NOW = Date.parse('2026-11-26T09:00:00Z');

describe('lib/aws/lock.ts on moto and on the emulator', () => {
  it('takes, refuses, expires and releases a lock; records, refuses older, and puts back release records', async () => {
    const outcomes = await backends.run(async (backend) => {
      await backend.clients.dynamodb.send(
        new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
      );
      const locks = createLockAdapter(backend.clients.dynamodb, TABLE);
      const v1 = { eventTimeMs: NOW, digest: 'sha256:v1', executionName: 'posts-v1' };
      const v0 = { eventTimeMs: NOW - 60_000, digest: 'sha256:v0', executionName: 'posts-v0' };
      const v2 = { eventTimeMs: NOW + 60_000, digest: 'sha256:v2', executionName: 'posts-v2' };
      return {
        firstTakes: await locks.acquire('posts', 'exec-a', NOW, 300),
        secondWaits: await locks.acquire('posts', 'exec-b', NOW + 1000, 300),
        ownerRetakes: await locks.acquire('posts', 'exec-a', NOW + 2000, 300),
        strangerCannotRelease: await locks.release('posts', 'exec-b'),
        expiredIsTaken: await locks.acquire('posts', 'exec-b', NOW + 600_000, 300),
        holderReleases: await locks.release('posts', 'exec-b'),
        recordV1: await locks.recordDeployed('posts', v1),
        olderRefused: await locks.recordDeployed('posts', v0),
        recordV2: await locks.recordDeployed('posts', v2),
        liveAfterV2: await locks.deployedPush('posts'),
        strangerCannotWithdraw: await locks.forgetDeployed('posts', 'posts-v9'),
        v2Withdrawn: await locks.forgetDeployed('posts', 'posts-v2'),
        liveAfterWithdraw: await locks.deployedPush('posts'),
        v1Withdrawn: await locks.forgetDeployed('posts', 'posts-v1'),
        liveAtTheEnd: (await locks.deployedPush('posts')) ?? null,
      };
    });

    expectConformance(outcomes, {
      firstTakes: { acquired: true },
      secondWaits: { acquired: false, holder: 'exec-a' },
      ownerRetakes: { acquired: true },
      strangerCannotRelease: false,
      expiredIsTaken: { acquired: true },
      holderReleases: true,
      recordV1: true,
      olderRefused: false,
      recordV2: true,
      liveAfterV2: { eventTimeMs: NOW + 60_000, digest: 'sha256:v2', executionName: 'posts-v2' },
      strangerCannotWithdraw: false,
      v2Withdrawn: true,
      liveAfterWithdraw: { eventTimeMs: NOW, digest: 'sha256:v1', executionName: 'posts-v1' },
      v1Withdrawn: true,
      liveAtTheEnd: null,
    });
  });
});
