/**
 * A rollout of posts caught in its health gate on moto, as `rollout abort --aws` finds one on AWS: the target group,
 * the weight-0 rule and the service made, the lock item held by the execution, and an execution RUNNING in "Wait for
 * service to be healthy" whose history holds the release (prior state included). moto runs the state machine
 * (execute_state_machine, set by createTutorialAccount): a Pass state hands on the release a real rollout would have
 * built by then, and a one-hour Wait keeps it running.
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRuleCommand, CreateTargetGroupCommand, DescribeRulesCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateStateMachineCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DEFAULT_STACK } from '../../cli/aws-context';
import { findByName } from '../../lib/domain/catalog';
import { ecrRegistry } from '../../lib/domain/image';
import { lockKeyOf } from '../../lib/domain/lock-lease';
import type { Release } from '../../lib/domain/release';
import { targetGroupSpec } from '../../lib/domain/target-group';
import { taskDefinitionSpec } from '../../lib/domain/task-definition';
import { TUTORIAL_CLUSTER } from '../../local/runner/seed-tutorial';
import { required } from './fixtures';
import { ACCOUNT, catalog, REGION, type TutorialAccount } from './tutorial-account';

const HEALTH_GATE = 'Wait for service to be healthy';

/** What a write could have changed that abort must put back: the listener's rules, the target groups, the ACTIVE services. */
export async function routingAndServices(account: TutorialAccount): Promise<unknown> {
  const [rules, groups, services] = await Promise.all([
    account.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: account.listenerArn })),
    account.clients.elbv2.send(new DescribeTargetGroupsCommand({})),
    account.clients.ecs.send(new DescribeServicesCommand({ cluster: TUTORIAL_CLUSTER, services: catalog.services.map((manifest) => manifest.name) })),
  ]);
  return {
    rules: rules.Rules?.map(({ Priority, Actions, Conditions }) => ({ Priority, Actions, Conditions })),
    groups: groups.TargetGroups?.map(({ TargetGroupName }) => TargetGroupName).sort(),
    services: services.services?.filter(({ status }) => status === 'ACTIVE').map(({ serviceName, taskDefinition, desiredCount }) => ({ serviceName, taskDefinition, desiredCount })),
  };
}

/** The lock item as the lock table has it now. */
export async function lockItem(account: TutorialAccount, service: string): Promise<Record<string, string | undefined>> {
  const out = await account.clients.dynamodb.send(new GetItemCommand({ TableName: account.lockTableName, Key: { pk: { S: lockKeyOf(service) } }, ConsistentRead: true }));
  return Object.fromEntries(Object.entries(out.Item ?? {}).map(([key, value]) => [key, value.S]));
}

/** Takes `service`'s lock for `owner` for an hour, as "Acquire service lock" does. */
export async function holdLock(account: TutorialAccount, service: string, owner: string): Promise<void> {
  await account.clients.dynamodb.send(
    new UpdateItemCommand({
      TableName: account.lockTableName,
      Key: { pk: { S: lockKeyOf(service) } },
      UpdateExpression: 'SET #owner = :owner, leaseUntil = :until',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': { S: owner }, ':until': { S: new Date(Date.now() + 3600_000).toISOString() } },
    }),
  );
}

/**
 * posts' first rollout, `name`, made its target group, its rule (new group at weight 0) and its service, and waits in
 * its health gate; its lock is held by `lockOwner` (itself unless said). Returns the state machine that runs it.
 */
export async function rolloutInHealthGate(account: TutorialAccount, name: string, lockOwner = name): Promise<string> {
  const posts = required(findByName(catalog, 'posts'), 'posts manifest');
  const tag = `v-${name.slice(-8)}`;
  const digest = await account.push(posts.repository, tag);
  const imageUri = `${ecrRegistry(ACCOUNT, REGION)}/${posts.repository}@${digest}`;
  const { elbv2, ecs, sfn } = account.clients;
  const apiGroup = required((await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['api'] }))).TargetGroups?.[0]?.TargetGroupArn, 'api group');
  const group = required((await elbv2.send(new CreateTargetGroupCommand(targetGroupSpec(posts, account.vpcId)))).TargetGroups?.[0]?.TargetGroupArn, 'posts group');
  const forward = { Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: apiGroup, Weight: 1 }, { TargetGroupArn: group, Weight: 0 }] } };
  const conditions = [{ Field: 'path-pattern', PathPatternConfig: { Values: [...posts.paths] } }];
  const rule = await elbv2.send(new CreateRuleCommand({ ListenerArn: account.listenerArn, Priority: posts.priority, Conditions: conditions, Actions: [forward] }));
  const registered = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinitionSpec(posts, imageUri, { executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole` })));
  const taskDefinitionArn = required(registered.taskDefinition?.taskDefinitionArn, 'taskDefinitionArn');
  const loadBalancers = [{ targetGroupArn: group, containerName: posts.name, containerPort: posts.containerPort }];
  await ecs.send(new CreateServiceCommand({ cluster: TUTORIAL_CLUSTER, serviceName: posts.name, taskDefinition: taskDefinitionArn, desiredCount: posts.desiredCount, launchType: posts.launchType, loadBalancers }));
  await holdLock(account, 'posts', lockOwner);

  const release: Release = {
    executionName: name,
    service: posts.name,
    role: 'microservice',
    push: { account: ACCOUNT, region: REGION, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), repository: posts.repository, digest, tag },
    imageUri,
    retired: false,
    upToDate: false,
    lockKey: lockKeyOf('posts'),
    leaseUntil: new Date(Date.now() + 3600_000).toISOString(),
    before: { service: { exists: false }, targetGroupExisted: false, rule: null },
    taskDefinitionArn,
    targetGroupArn: group,
    ruleArn: required(rule.Rules?.[0]?.RuleArn, 'RuleArn'),
    changes: ['registered task definition', 'created target group', 'created rule', 'created service'],
  };
  const definition = {
    StartAt: 'Record prior state',
    States: {
      'Record prior state': { Type: 'Pass', Result: release, ResultPath: '$.release', Next: HEALTH_GATE },
      [HEALTH_GATE]: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
  const machine = `${DEFAULT_STACK}-rollout-${name.slice(-8)}`;
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: machine, definition: JSON.stringify(definition), roleArn: `arn:aws:iam::${ACCOUNT}:role/${machine}` }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ event: { source: 'aws.ecr' } }) }));
  for (let poll = 0; poll < 50; poll += 1) {
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    if (events?.some((event) => event.stateEnteredEventDetails?.name === HEALTH_GATE)) return required(stateMachineArn, 'stateMachineArn');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not bring ${name} into "${HEALTH_GATE}"`);
}
