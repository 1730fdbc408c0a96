import { CreateTableCommand, GetItemCommand, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { definitionSource } from '../../local/runner/definitions';
import { attempt, expectConformance, useBackends } from './harness';

// The lock writes the state machines make themselves (DynamoDB integration, statemachines/*.asl.yaml), taken
// from the definitions as deployed and run against moto and the emulator: every condition and update expression,
// and what comes back. The local runner answers these states from the emulator; this is what keeps it honest.
const backends = useBackends();
const TABLE = 'rollout-locks';
const rollout = definitionSource('rollout');

/** A lock state's Parameters with its JSONPath values filled in (what Step Functions sends to DynamoDB). */
function paramsOf(state: string, values: Record<string, string>): UpdateItemCommandInput {
  const fill = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(fill);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => {
        if (key.endsWith('.$')) {
          const path = String(value);
          if (!(path in values)) throw new Error(`no value for ${path} in ${state}`);
          return [key.slice(0, -2), values[path]];
        }
        return [key, fill(value)];
      }),
    );
  };
  return { ...(fill(rollout.States[state]?.Parameters) as UpdateItemCommandInput), TableName: TABLE };
}

const lease = (execution: string, until: string, now: string) => ({ '$.release.lockKey': 'lock#posts', '$$.Execution.Name': execution, '$.release.leaseUntil': until, '$$.State.EnteredTime': now });

describe('the state machines\' lock writes on moto and on the emulator', () => {
  it('take, refuse, take over an expired lease, refuse a stranger\'s release, record what is live and hand it to the next holder', async () => {
    const outcomes = await backends.run(async (backend) => {
      const db = backend.clients.dynamodb;
      await db.send(new CreateTableCommand({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
      const take = (execution: string, until: string, now: string) => attempt(async () => (await db.send(new UpdateItemCommand(paramsOf('Acquire service lock', lease(execution, until, now))))).Attributes ?? null);
      const free = (execution: string) => attempt(async () => void (await db.send(new UpdateItemCommand(paramsOf('Free service lock', { '$.release.lockKey': 'lock#posts', '$$.Execution.Name': execution })))));
      const finish = (execution: string, digest: string, time: string) =>
        attempt(async () => void (await db.send(new UpdateItemCommand(paramsOf('Release service lock', { '$.release.lockKey': 'lock#posts', '$$.Execution.Name': execution, '$.release.push.digest': digest, '$.release.push.time': time })))));
      const item = async () => (await db.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'lock#posts' } }, ConsistentRead: true }))).Item ?? null;
      return {
        firstTakes: await take('exec-a', '2026-11-26T10:00:00.000Z', '2026-11-26T09:00:00.000Z'),
        secondIsRefused: await take('exec-b', '2026-11-26T10:05:00.000Z', '2026-11-26T09:05:00.000Z'),
        ownerRetakes: await take('exec-a', '2026-11-26T10:00:00.000Z', '2026-11-26T09:06:00.000Z'),
        strangerCannotFree: await free('exec-b'),
        expiredLeaseIsTaken: await take('exec-b', '2026-11-26T11:30:00.000Z', '2026-11-26T10:30:00.000Z'),
        oldHolderCannotFinish: await finish('exec-a', 'sha256:a', '2026-11-26T09:00:00Z'),
        holderFinishes: await finish('exec-b', 'sha256:b', '2026-11-26T09:05:00Z'),
        afterFinish: await item(),
        nextTakerSeesTheRecord: await take('exec-c', '2026-11-26T12:00:00.000Z', '2026-11-26T11:00:00.000Z'),
        holderFreesUnchanged: await free('exec-c'),
        atTheEnd: await item(),
      };
    });

    const record = { pk: { S: 'lock#posts' }, deployedDigest: { S: 'sha256:b' }, deployedTime: { S: '2026-11-26T09:05:00Z' }, deployedBy: { S: 'exec-b' } };
    expectConformance(outcomes, {
      firstTakes: { ok: null },
      secondIsRefused: { error: 'ConditionalCheckFailedException' },
      ownerRetakes: { ok: { pk: { S: 'lock#posts' }, owner: { S: 'exec-a' }, leaseUntil: { S: '2026-11-26T10:00:00.000Z' } } },
      strangerCannotFree: { error: 'ConditionalCheckFailedException' },
      expiredLeaseIsTaken: { ok: { pk: { S: 'lock#posts' }, owner: { S: 'exec-a' }, leaseUntil: { S: '2026-11-26T10:00:00.000Z' } } },
      oldHolderCannotFinish: { error: 'ConditionalCheckFailedException' },
      holderFinishes: { ok: undefined },
      afterFinish: record,
      nextTakerSeesTheRecord: { ok: record },
      holderFreesUnchanged: { ok: undefined },
      atTheEnd: record,
    });
  });
});
