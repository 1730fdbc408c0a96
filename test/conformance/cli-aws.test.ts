/**
 * `rollout status --aws` and `rollout plan --aws`, run as the CLI against a moto server holding the tutorial's
 * environment and a deployed-stack stand-in: what they print, and, from moto's own request log, that they only read.
 * Then the account errors: one line on stderr, exit 2, no stack trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRuleCommand, DescribeRulesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { TUTORIAL_CLUSTER } from '../../local/runner/seed-tutorial';
import { BASE_ENV, FAKE_CREDENTIALS, oneLine, recordedTutorialAccount, rollout as rolloutIn } from './cli-process';
import type { MotoServer } from './moto-server';
import { ACCOUNT, catalog, failedRollout, recorder, REGION, type TutorialAccount } from './tutorial-account';
import { findByName } from '../../lib/domain/catalog';

const POSTS_EVENT = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'events', 'push-posts-v1.json'), 'utf8')) as { detail: Record<string, string> };
const READ_ONLY = /^(Describe|List|Get)[A-Z]/;

const workDir = mkdtempSync(join(tmpdir(), 'rollout-aws-cwd-'));
const rollout = (args: string[], env: Record<string, string>) => rolloutIn(args, env, workDir);

/** An ECR push event for an image that is in moto's ECR (or not). */
function eventFile(repository: string, digest: string, tag: string): string {
  const path = join(workDir, `push-${repository}-${tag}.json`);
  writeFileSync(path, JSON.stringify({ ...POSTS_EVENT, account: ACCOUNT, region: REGION, detail: { ...POSTS_EVENT.detail, 'repository-name': repository, 'image-digest': digest, 'image-tag': tag } }));
  return path;
}

/** What an account holds that a write could change: rules, target groups, services, task definitions. */
async function accountState(account: TutorialAccount, listenerArn: string): Promise<unknown> {
  const names = catalog.services.map((manifest) => manifest.name);
  const [rules, groups, services, definitions] = await Promise.all([
    account.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn })),
    account.clients.elbv2.send(new DescribeTargetGroupsCommand({})),
    account.clients.ecs.send(new DescribeServicesCommand({ cluster: TUTORIAL_CLUSTER, services: names })),
    account.clients.ecs.send(new ListTaskDefinitionsCommand({})),
  ]);
  return {
    rules: rules.Rules?.map(({ Priority, Actions, Conditions }) => ({ Priority, Actions, Conditions })),
    groups: groups.TargetGroups?.map(({ TargetGroupName, HealthCheckPath }) => ({ TargetGroupName, HealthCheckPath })),
    services: services.services?.map(({ serviceName, taskDefinition, desiredCount, status }) => ({ serviceName, taskDefinition, desiredCount, status })),
    definitions: definitions.taskDefinitionArns,
  };
}

describe('rollout status --aws and plan --aws against moto', () => {
  let moto: MotoServer;
  let account: TutorialAccount;
  let awsEnv: Record<string, string>;
  const world = recordedTutorialAccount();

  beforeAll(async () => {
    ({ moto, account, awsEnv } = await world.start());
  }, 60_000);

  afterAll(() => world.stop());

  it('reads the routing, the services and the last executions, and plans a push, sending nothing but reads', async () => {
    // Prepare
    const failed = await failedRollout(account, 'posts');
    const postsImage = await account.push('posts', 'v1');
    const missingImage = `sha256:${'e'.repeat(64)}`;
    const before = await accountState(account, account.listenerArn);
    const log = recorder(moto.endpoint);
    await log.start();
    // The log sees writes: a control write made while recording must show up in it.
    await account.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: 'recorder-control' }));
    const control = await log.stop();
    await log.start();

    // Act
    const endpoint = ['--aws', '--endpoint-url', moto.endpoint];
    const status = await rollout(['status', ...endpoint], awsEnv);
    const plan = await rollout(['plan', ...endpoint, eventFile('posts', postsImage, 'v1')], awsEnv);
    const planJson = await rollout(['plan', '--json', ...endpoint, eventFile('posts', postsImage, 'v1')], awsEnv);
    const refused = await rollout(['plan', ...endpoint, eventFile('users', missingImage, 'v1')], awsEnv);
    // Issue 10: the region in the ARN is the region; no AWS_REGION, no --region.
    const { AWS_REGION: _region, ...noRegion } = awsEnv;
    const listed = await rollout(['executions', '--json', ...endpoint, '--state-machine-arn', account.rolloutArn], noRegion);
    const operations = await log.stop();

    // Assess: first that nothing but reads reached moto, and its state is as it was
    expect(control).toContain('CreateRepository');
    expect(operations).toEqual(expect.arrayContaining(['DescribeStacks', 'DescribeRules', 'DescribeServices', 'DescribeTargetHealth', 'ListExecutions', 'DescribeImages', 'DescribeExecution']));
    expect(operations.filter((operation) => !READ_ONLY.test(operation))).toEqual([]);
    expect(await accountState(account, account.listenerArn)).toEqual(before);
    // then what the commands said
    expect({ code: status.code, stderr: status.stderr }).toEqual({ code: 0, stderr: '' });
    expect(status.stdout).toMatch(/│ 99\s+│ \/api\*\s+│ forward to api\s+│/);
    expect(status.stdout).toMatch(/│ api\s+│ api:1\s+│ 1\/\d+\s+│/);
    expect(status.stdout).toContain(`${failed} FAILED: ImageNotFoundError: resolve image posts@sha256:…`);
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: '' });
    expect(plan.stdout).toContain(`against account ${ACCOUNT} in ${REGION}`);
    for (const line of [
      'would register posts:1',
      'would create target group posts (HTTP /, healthy 2, unhealthy 2, timeout 5 s, interval 6 s)',
      'would create rule /api/posts* at priority 1',
      'would create service posts (posts:1 × 1, EC2)',
      // the tutorial's canary: 10 %, a bake, then the rest
      'would change rule /api/posts* (priority 1) to forward to api (weight 900) and posts (weight 100)',
      'would bake 5 min at 10 %, judged from CloudWatch: 5xx rate at most 1 % of at least 100 requests, no unhealthy host',
      'would change rule /api/posts* (priority 1) to forward to posts',
      'Expected outcome: SUCCEEDED',
    ]) {
      expect(plan.stdout).toContain(line);
    }
    expect(JSON.parse(planJson.stdout)).toMatchObject({ matched: true, outcome: 'SUCCEEDED', changes: ['RegisterTaskDefinition', 'CreateTargetGroup', 'CreateTargetGroup', 'CreateRule', 'CreateService', 'ModifyRule', 'ModifyRule'] });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Expected outcome: FAILED at Resolve release: ImageNotFoundError: resolve image users@sha256:eeee');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: failed, status: 'FAILED' })]);
  });

  it('plan --aws names the error a push would fail with after changes, and what would undo them (exit 1)', async () => {
    // Prepare: a rule that is not users' at users' priority.
    const users = findByName(catalog, 'users');
    await account.clients.elbv2.send(
      new CreateRuleCommand({ ListenerArn: account.listenerArn, Priority: users?.priority, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/legacy/*'] } }], Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '410' } }] }),
    );
    const image = await account.push('users', 'v1');

    // Act
    const plan = await rollout(['plan', '--aws', '--endpoint-url', moto.endpoint, eventFile('users', image, 'v1')], awsEnv);

    // Assess
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('would register users:1');
    expect(plan.stdout).toContain('would create target group users');
    expect(plan.stdout).toMatch(/Expected outcome: FAILED at Ensure listener rule: PriorityConflictError: ensure rule \/api\/users\* for users: priority 2 is taken by rule .* \(paths \/legacy\/\*\)/);
    expect(plan.stdout).toContain('Compensate would undo the changes above');
  });

  it.each([
    { name: 'no region anywhere', args: ['status', '--aws'], env: () => ({ ...BASE_ENV, ...FAKE_CREDENTIALS }), says: 'no AWS region: pass --region REGION, set AWS_REGION, or set region in the profile' },
    {
      name: 'no credentials',
      args: ['executions', '--aws', '--state-machine-arn', 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rollout-dev-rollout'],
      env: () => ({ ...BASE_ENV }),
      says: 'no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME',
    },
    { name: 'a profile that does not exist', args: ['status', '--aws', '--profile', 'nope', '--region', 'us-east-1'], env: () => ({ ...BASE_ENV }), says: 'no AWS credentials for profile nope' },
    {
      name: 'an ARN of the wrong kind',
      args: ['show', 'posts-1', '--aws', '--state-machine-arn', 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/1/2'],
      env: () => ({ ...BASE_ENV, ...FAKE_CREDENTIALS }),
      says: 'invalid --state-machine-arn "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/1/2": expected arn:aws:states:<region>:<account>:stateMachine:<name>',
    },
    {
      name: 'a region that contradicts the ARN',
      args: ['executions', '--aws', '--region', 'eu-west-1', '--state-machine-arn', 'arn:aws:states:us-east-1:123456789012:stateMachine:x'],
      env: () => ({ ...BASE_ENV, ...FAKE_CREDENTIALS }),
      says: '--region eu-west-1 does not match --state-machine-arn, which is in us-east-1',
    },
    { name: 'no such stack', args: ['plan', '--aws', '--stack', 'ecs-rollout-nope', 'EVENT'], env: () => ({ ...BASE_ENV, ...FAKE_CREDENTIALS, AWS_REGION: REGION }), says: 'stack ecs-rollout-nope not found in us-east-1' },
  ])('$name: one line naming what to set, exit 2, no stack trace', async ({ args, env, says }) => {
    const command = args.map((arg) => (arg === 'EVENT' ? join(__dirname, '..', 'fixtures', 'events', 'push-posts-v1.json') : arg));
    const run = await rollout([...command, '--endpoint-url', moto.endpoint], env());

    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toEqual({ lines: 1, stackFrames: false, text: expect.stringContaining(says) });
    expect(run.stdout).toBe('');
  });
});
