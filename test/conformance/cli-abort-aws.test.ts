/**
 * `rollout abort --aws`, run as the CLI against a moto server holding the tutorial's environment, a deployed-stack
 * stand-in and a rollout of posts RUNNING in its health gate (test/conformance/running-rollout.ts): what it prints,
 * what it sent (moto's request log), and the account after it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { oneLine, recordedTutorialAccount, rollout as rolloutIn } from './cli-process';
import type { MotoServer } from './moto-server';
import { holdLock, lockItem, rolloutInHealthGate, routingAndServices } from './running-rollout';
import { recorder, type TutorialAccount } from './tutorial-account';

const workDir = mkdtempSync(join(tmpdir(), 'rollout-abort-cwd-'));
const READ_ONLY = /^(Describe|List|Get)[A-Z]/;
const executionArnOf = (stateMachineArn: string, name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

describe('rollout abort --aws against moto', () => {
  let moto: MotoServer;
  let account: TutorialAccount;
  let awsEnv: Record<string, string>;
  /** The account before any rollout, and the rollout the second test leaves running, its lock held by another. */
  let initial: unknown;
  const blocked = { name: `posts-${'b'.repeat(32)}`, stateMachineArn: '' };
  const world = recordedTutorialAccount();
  const rollout = (args: string[]) => rolloutIn(['abort', ...args, '--aws', '--endpoint-url', moto.endpoint], awsEnv, workDir);

  beforeAll(async () => {
    ({ moto, account, awsEnv } = await world.start());
    initial = await routingAndServices(account);
  }, 60_000);

  afterAll(() => world.stop());

  it('stops a rollout in its health gate, removes its rule, service and target group, and frees its lock, sending only those writes', async () => {
    // Prepare
    const name = `posts-${'a'.repeat(32)}`;
    const stateMachineArn = await rolloutInHealthGate(account, name);
    const log = recorder(moto.endpoint);
    await log.start();

    // Act
    const aborted = await rollout([name, '--state-machine-arn', stateMachineArn]);
    const operations = await log.stop();
    const again = await rollout([name, '--state-machine-arn', stateMachineArn]);

    // Assess: what it printed, then the account as it was before the rollout, then what it sent
    expect({ code: aborted.code, stderr: aborted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(aborted.stdout).toBe(
      [
        `Aborted ${name}: stopped in "Wait for service to be healthy" (RUNNING → ABORTED).`,
        'Restored the prior state it recorded under lock#posts before its first change:',
        '  - removed rule /api/posts*: those paths go to the monolith again',
        '  - removed new service posts',
        '  - removed new target group posts',
        'Lock lock#posts: freed.',
        '',
      ].join('\n'),
    );
    expect(await routingAndServices(account)).toEqual(initial);
    expect(await lockItem(account, 'posts')).toEqual({ pk: 'lock#posts' });
    expect((await account.clients.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }))).status).toBe('ABORTED');
    expect(operations.filter((operation) => !READ_ONLY.test(operation)).sort()).toEqual(['DeleteRule', 'DeleteService', 'DeleteTargetGroup', 'StopExecution', 'UpdateItem']);
    expect(operations).toEqual(expect.arrayContaining(['DescribeStacks', 'DescribeExecution', 'GetExecutionHistory', 'GetItem']));
    expect(again.code).toBe(1);
    expect(oneLine(again.stderr)).toEqual({ lines: 1, stackFrames: false, text: `rollout: ExecutionNotRunningError: ${name} is ABORTED, not RUNNING: nothing to abort, nothing changed` });
    expect(again.stdout).toBe('');
  });

  it('refuses a rollout whose lock another execution holds (LockNotHeldError, exit 1): it keeps running and nothing changes', async () => {
    // Prepare
    const { name } = blocked;
    const holder = `posts-${'c'.repeat(32)}`;
    const stateMachineArn = await rolloutInHealthGate(account, name, holder);
    blocked.stateMachineArn = stateMachineArn;
    const before = await routingAndServices(account);
    const log = recorder(moto.endpoint);
    await log.start();

    // Act
    const refused = await rollout([name, '--json', '--state-machine-arn', stateMachineArn]);
    const operations = await log.stop();

    // Assess
    expect(refused.code).toBe(1);
    expect(oneLine(refused.stderr)).toEqual({ lines: 1, stackFrames: false, text: expect.stringMatching(new RegExp(`^rollout: LockNotHeldError: ${name} is RUNNING but lock#posts is held by ${holder} \\(lease until \\S+\\): restoring could undo another execution's work; nothing changed$`)) as unknown });
    expect(refused.stdout).toBe('');
    expect(operations.filter((operation) => !READ_ONLY.test(operation))).toEqual([]);
    expect(await routingAndServices(account)).toEqual(before);
    expect(await lockItem(account, 'posts')).toMatchObject({ owner: holder });
    expect((await account.clients.sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }))).status).toBe('RUNNING');
  });

  it('reports with --json what it restored, the states it stopped in and the lock, and names the stack output it needs', async () => {
    // Prepare: the previous test's rollout, its lock handed back to it
    const { name, stateMachineArn } = blocked;
    await holdLock(account, 'posts', name);

    // Act
    const aborted = await rollout([name, '--json', '--state-machine-arn', stateMachineArn]);
    const noStack = await rollout([name, '--stack', 'ecs-rollout-nope']);

    // Assess
    expect({ code: aborted.code, stderr: aborted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(aborted.stdout)).toEqual({
      execution: name,
      kind: 'rollout',
      stoppedIn: 'Wait for service to be healthy',
      statusBefore: 'RUNNING',
      statusAfter: 'ABORTED',
      waitedForStepSeconds: 0,
      outcome: 'restored',
      reason: 'the prior state it recorded under lock#posts before its first change',
      restored: ['removed rule /api/posts*: those paths go to the monolith again', 'removed new service posts', 'removed new target group posts'],
      lock: { key: 'lock#posts', heldBy: name, freed: true },
    });
    expect(await routingAndServices(account)).toEqual(initial);
    expect(noStack.code).toBe(2);
    expect(oneLine(noStack.stderr)).toEqual({ lines: 1, stackFrames: false, text: expect.stringContaining('stack ecs-rollout-nope not found in us-east-1: abort reads the deployed environment') as unknown });
  });
});
