/**
 * The tutorial's environment in a moto server, made with the SDK calls local/runner/seed-tutorial.ts makes (VPC, ALB,
 * the monolith's target group, listener :80 with its /api* rule, cluster, the monolith's service), plus what a
 * deployed pipeline leaves: its two state machines and a stand-in for the `sls deploy` stack with the outputs the CLI
 * reads. And moto's own request log (its recorder), to see every call the CLI made.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { join } from 'node:path';
import { STACK_OUTPUTS } from '../../cli/aws/environment';
import { DEFAULT_STACK } from '../../cli/aws-context';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { findByName, monolithOf } from '../../lib/domain/catalog';
import { ecrRegistry } from '../../lib/domain/image';
import { targetGroupSpec } from '../../lib/domain/target-group';
import { taskDefinitionSpec } from '../../lib/domain/task-definition';
import { TUTORIAL_CLUSTER } from '../../local/runner/seed-tutorial';
import { callEc2Query, readXmlField } from './backends';
import { POSTS_MANIFEST, required } from './fixtures';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012'; // moto's default account
export const CREDENTIALS = { accessKeyId: 'moto', secretAccessKey: 'moto' };
const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;

export const catalog = loadCatalogFromDirectory(join(__dirname, '..', '..', 'services'));

export interface TutorialAccount {
  readonly listenerArn: string;
  readonly rolloutArn: string;
  readonly cutoverArn: string;
  readonly vpcId: string;
  /** The lock table (serverless.yml's RolloutLockTable: key `pk`, pay per request). */
  readonly lockTableName: string;
  readonly clients: { ecs: ECSClient; elbv2: ElasticLoadBalancingV2Client; ecr: ECRClient; sfn: SFNClient; dynamodb: DynamoDBClient };
  /** Pushes an image to a repository (created if need be) the way `docker push` leaves it; returns its digest. */
  push(repository: string, tag: string, manifest?: string): Promise<string>;
}

/** A distinct image manifest per label: its digest is the SHA-256 of these bytes. */
const manifestFor = (label: string) => JSON.stringify({ ...(JSON.parse(POSTS_MANIFEST) as object), annotations: { 'org.opencontainers.image.ref.name': label } });

export async function createTutorialAccount(endpoint: string): Promise<TutorialAccount> {
  const config = { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  const clients = { ecs: new ECSClient(config), elbv2: new ElasticLoadBalancingV2Client(config), ecr: new ECRClient(config), sfn: new SFNClient(config), dynamodb: new DynamoDBClient(config) };
  const push = async (repository: string, tag: string, manifest = manifestFor(`${repository}:${tag}`)) => {
    await clients.ecr.send(new CreateRepositoryCommand({ repositoryName: repository })).catch((error: unknown) => {
      if ((error as Error).name !== 'RepositoryAlreadyExistsException') throw error;
    });
    const pushed = await clients.ecr.send(new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: tag }));
    return required(pushed.image?.imageId?.imageDigest, 'imageDigest');
  };
  const monolith = required(monolithOf(catalog), 'monolith manifest');

  const vpcId = readXmlField(await callEc2Query(endpoint, { Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }), 'vpcId');
  const subnets: string[] = [];
  for (const [index, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
    subnets.push(readXmlField(await callEc2Query(endpoint, { Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: `10.0.${index}.0/24`, AvailabilityZone: zone }), 'subnetId'));
  }
  const lb = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: 'demo', Subnets: subnets, Type: 'application', Scheme: 'internet-facing' }));
  const group = await clients.elbv2.send(new CreateTargetGroupCommand(targetGroupSpec(monolith, vpcId)));
  const monolithGroupArn = required(group.TargetGroups?.[0]?.TargetGroupArn, 'TargetGroupArn');
  await clients.elbv2.send(
    new ModifyTargetGroupAttributesCommand({ TargetGroupArn: monolithGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(monolith.deregistrationDelaySeconds) }] }),
  );
  const forwardToMonolith = [{ Type: 'forward' as const, TargetGroupArn: monolithGroupArn }];
  const listener = await clients.elbv2.send(
    new CreateListenerCommand({ LoadBalancerArn: required(lb.LoadBalancers?.[0]?.LoadBalancerArn, 'LoadBalancerArn'), Protocol: 'HTTP', Port: 80, DefaultActions: forwardToMonolith }),
  );
  const listenerArn = required(listener.Listeners?.[0]?.ListenerArn, 'ListenerArn');
  await clients.elbv2.send(
    new CreateRuleCommand({ ListenerArn: listenerArn, Priority: monolith.priority, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [...monolith.paths] } }], Actions: forwardToMonolith }),
  );

  await clients.ecs.send(new CreateClusterCommand({ clusterName: TUTORIAL_CLUSTER }));
  const image = `${ecrRegistry(ACCOUNT, REGION)}/${monolith.repository}@${await push(monolith.repository, 'v1')}`;
  const taskDefinition = await clients.ecs.send(new RegisterTaskDefinitionCommand(taskDefinitionSpec(monolith, image, { executionRoleArn: EXECUTION_ROLE })));
  await clients.ecs.send(
    new CreateServiceCommand({
      cluster: TUTORIAL_CLUSTER,
      serviceName: monolith.name,
      taskDefinition: taskDefinition.taskDefinition?.taskDefinitionArn,
      desiredCount: monolith.desiredCount,
      launchType: monolith.launchType,
      loadBalancers: [{ targetGroupArn: monolithGroupArn, containerName: monolith.name, containerPort: monolith.containerPort }],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
    }),
  );

  // The deployed pipeline: its state machines (moto runs this one's definition: every execution fails, named) and
  // the stack `sls deploy` creates, reduced to the outputs the CLI reads.
  await fetch(`${endpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  const failing = { StartAt: 'Resolve release', States: { 'Resolve release': { Type: 'Fail', Error: 'ImageNotFoundError', Cause: 'resolve image posts@sha256:…: ImageNotFoundException (deleted since the push, or never pushed)' } } };
  const machine = async (name: string) =>
    required(
      (await clients.sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(failing), roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}` }))).stateMachineArn,
      'stateMachineArn',
    );
  const rolloutArn = await machine(`${DEFAULT_STACK}-rollout`);
  const cutoverArn = await machine(`${DEFAULT_STACK}-cutover`);
  const lockTableName = `${DEFAULT_STACK}-locks`;
  await clients.dynamodb.send(
    new CreateTableCommand({ TableName: lockTableName, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  const environment = { CLUSTER_NAME: TUTORIAL_CLUSTER, LISTENER_ARN: listenerArn, VPC_ID: vpcId, EXECUTION_ROLE_ARN: EXECUTION_ROLE, CUTOVER_MODE: 'fixed-response', DROP_TARGET_GROUP_ARN: '', SUBNETS: '', SECURITY_GROUPS: '' };
  const template = {
    Resources: { Placeholder: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
    Outputs: {
      [STACK_OUTPUTS.rollout]: { Value: rolloutArn },
      [STACK_OUTPUTS.cutover]: { Value: cutoverArn },
      [STACK_OUTPUTS.environment]: { Value: JSON.stringify(environment) },
      [STACK_OUTPUTS.lockTable]: { Value: lockTableName },
    },
  };
  const cloudFormation = new CloudFormationClient(config);
  await cloudFormation.send(new CreateStackCommand({ StackName: DEFAULT_STACK, TemplateBody: JSON.stringify(template) }));
  cloudFormation.destroy();
  return { listenerArn, rolloutArn, cutoverArn, vpcId, lockTableName, clients, push };
}

/** An earlier push of `service` whose rollout failed: an execution named as the starter names them, FAILED by moto. */
export async function failedRollout(account: TutorialAccount, service: string): Promise<string> {
  const repository = required(findByName(catalog, service), service).repository;
  const name = `${repository}-${'b'.repeat(32)}`;
  const { executionArn } = await account.clients.sfn.send(new StartExecutionCommand({ stateMachineArn: account.rolloutArn, name, input: '{}' }));
  for (let poll = 0; poll < 50; poll += 1) {
    const { status } = await account.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (status === 'FAILED') return name;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto did not fail execution ${name}`);
}

/** moto's recorder (POST /moto-api/recorder/*): every request the server answered while it recorded. */
export function recorder(endpoint: string) {
  const call = (action: string) => fetch(`${endpoint}/moto-api/recorder/${action}`, { method: action === 'download-recording' ? 'GET' : 'POST' });
  return {
    async start(): Promise<void> {
      await call('reset-recording');
      await call('start-recording');
    },
    /** The AWS operation of each recorded request: X-Amz-Target (JSON protocols) or Action= (query protocols). */
    async stop(): Promise<string[]> {
      await call('stop-recording');
      const lines = (await (await call('download-recording')).text()).split('\n').filter(Boolean);
      return lines.map((line) => {
        const entry = JSON.parse(line) as { headers: Record<string, string>; body?: string; body_encoded?: boolean; method: string; url: string };
        const target = Object.entries(entry.headers).find(([key]) => key.toLowerCase() === 'x-amz-target')?.[1];
        if (target) return target.slice(target.lastIndexOf('.') + 1);
        const body = entry.body_encoded ? Buffer.from(entry.body ?? '', 'base64').toString('utf8') : (entry.body ?? '');
        return new URLSearchParams(body).get('Action') ?? `${entry.method} ${entry.url}`;
      });
    },
  };
}
