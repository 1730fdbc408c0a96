import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
/**
 * Shared set-up for handler tests: the real services/ catalog, an environment in 123456789012/us-east-1,
 * aws-sdk-client-mock stubs for every SDK client (an empty world by default), and builders for events,
 * releases and the SDK shapes the adapters read.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Deployment,
  type Service,
} from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type Action,
  type Rule,
  type TargetHealthStateEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { loadCatalogFromDirectory } from '../../../lib/config/load-catalog';
import type { PipelineConfig } from '../../../lib/config/pipeline-config';
import { findByName } from '../../../lib/domain/catalog';
import type { Manifest } from '../../../lib/domain/manifest';
import type { Release } from '../../../lib/domain/release';
import { createDeps, type Deps } from '../../../lib/runtime/deps';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const VPC_ID = 'vpc-0a1b2c3d4e5f67890';
export const CLUSTER = 'demo';
export const LISTENER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2`;
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:rollout`;
export const CUTOVER_STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:cutover`;
export const EXECUTION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
/** The handlers' clock: five minutes after the push in pushEvent(). */
export const NOW = Date.parse('2026-11-26T09:05:00Z');
export const PUSH_TIME = '2026-11-26T09:00:00Z';
/** A lease as "Resolve release" fixes it; its value matters only to the state machine's lock states. */
export const LEASE_UNTIL = '2026-11-26T10:00:00.000Z';

export const catalog = loadCatalogFromDirectory(join(__dirname, '..', '..', '..', 'services'));

export function manifestNamed(name: string): Manifest {
  const manifest = findByName(catalog, name);
  if (!manifest) throw new Error(`test set-up: no manifest ${name} in services/`);
  return manifest;
}

export function testConfig(overrides: Partial<PipelineConfig> = {}): PipelineConfig {
  return {
    clusterName: CLUSTER,
    listenerArn: LISTENER_ARN,
    vpcId: VPC_ID,
    executionRoleArn: EXECUTION_ROLE_ARN,
    stateMachineArn: STATE_MACHINE_ARN,
    cutoverStateMachineArn: CUTOVER_STATE_MACHINE_ARN,
    cutoverMode: 'fixed-response',
    subnets: ['subnet-0aaa', 'subnet-0bbb'],
    securityGroups: ['sg-0ccc'],
    catalog,
    ...overrides,
  };
}

export const silentLogger = new Logger({ logLevel: 'SILENT' });

/** Class-level stubs: every client instance of these classes answers from them. */
export const aws = {
  ecs: mockClient(ECSClient),
  elbv2: mockClient(ElasticLoadBalancingV2Client),
  ecr: mockClient(ECRClient),
  sfn: mockClient(SFNClient),
  cloudwatch: mockClient(CloudWatchClient),
};

/** Every command that changes AWS: the idempotent and read-only paths must send none of them. */
const MUTATING = new Set(
  [
    RegisterTaskDefinitionCommand,
    CreateServiceCommand,
    UpdateServiceCommand,
    DeleteServiceCommand,
    CreateTargetGroupCommand,
    ModifyTargetGroupCommand,
    ModifyTargetGroupAttributesCommand,
    DeleteTargetGroupCommand,
    CreateRuleCommand,
    ModifyRuleCommand,
    ModifyListenerCommand,
    DeleteRuleCommand,
    StartExecutionCommand,
  ].map((command) => command.name),
);

/** Names of the commands sent so far, in order, across every client. */
export function commandsSent(): string[] {
  return Object.values(aws).flatMap((stub) => stub.calls().map((call) => (call.args[0] as object).constructor.name));
}

export function expectNoMutations(): void {
  expect(commandsSent().filter((name) => MUTATING.has(name))).toEqual([]);
}

/** An SDK service exception as the SDK throws it: the pipeline reads `name`, `$fault` and the HTTP status. */
export function awsError(name: string, message = `${name} (test)`, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

/**
 * Resets every stub to an empty world: no services, no task definitions, no target groups, a listener
 * with only its default rule forwarding to the monolith, an image that exists, no execution of either state machine.
 */
export function resetAws(): void {
  for (const stub of Object.values(aws)) stub.reset();
  aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [] });
  aws.ecs.on(DescribeTaskDefinitionCommand).rejects(awsError('ClientException', 'Unable to describe task definition.'));
  aws.elbv2.on(DescribeRulesCommand).resolves({ Rules: [defaultRule(forward([targetGroupArn('api'), 1]))] });
  aws.elbv2.on(DescribeTargetGroupsCommand).rejects(awsError('TargetGroupNotFoundException', 'One or more target groups not found'));
  aws.elbv2.on(DescribeTargetGroupAttributesCommand).resolves({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }] });
  aws.elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [] });
  aws.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] });
  aws.sfn.on(DescribeExecutionCommand).rejects(awsError('ExecutionDoesNotExist', 'Execution Does Not Exist'));
}

export function testDeps(config: PipelineConfig = testConfig()): Deps {
  const region = REGION;
  return createDeps(
    {
      ecs: new ECSClient({ region }),
      elbv2: new ElasticLoadBalancingV2Client({ region }),
      ecr: new ECRClient({ region }),
      sfn: new SFNClient({ region }),
      cloudwatch: new CloudWatchClient({ region }),
    },
    config,
    { logger: silentLogger, now: () => NOW },
  );
}

// ---- identifiers ----------------------------------------------------------------------------

/** A realistic digest: sha256 of a seed, as ECR computes one over the manifest. */
export function digestOf(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}
export const DIGEST = 'sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c';

export const targetGroupArn = (name: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${createHash('md5').update(name).digest('hex').slice(0, 16)}`;
export const ruleArn = (id: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2/${id}`;
export const taskDefinitionArn = (family: string, revision: number) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
export const imageUriFor = (repository: string, digest = DIGEST) => `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${repository}@${digest}`;

// ---- events and releases --------------------------------------------------------------------

export interface PushOptions {
  repository?: string;
  digest?: string;
  account?: string;
  region?: string;
  time?: string;
  tag?: string;
}

/** An ECR "ECR Image Action" PUSH/SUCCESS event, shaped as in test/fixtures/events/push-posts-v1.json. */
export function pushEvent(options: PushOptions = {}) {
  return {
    version: '0',
    id: '3027b6b5-2122-43d0-b928-4600315b61fe',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: options.account ?? ACCOUNT,
    time: options.time ?? PUSH_TIME,
    region: options.region ?? REGION,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': options.repository ?? 'posts',
      'image-digest': options.digest ?? DIGEST,
      'action-type': 'PUSH',
      'image-tag': options.tag ?? 'v1',
    },
  };
}

/** The release "Resolve release" returns for a push of `service`'s repository, with overrides on top. */
export function releaseFor(service: string, overrides: Partial<Release> = {}): Release {
  const manifest = findByName(catalog, service);
  const repository = manifest?.repository ?? service;
  return {
    executionName: `${repository}-98cf390a9790526325315c828548fb07`,
    service,
    role: manifest?.role ?? 'microservice',
    push: { id: '3027b6b5-2122-43d0-b928-4600315b61fe', account: ACCOUNT, region: REGION, time: PUSH_TIME, repository, digest: DIGEST, tag: 'v1' },
    imageUri: imageUriFor(repository),
    retired: false,
    lockKey: `lock#${service}`,
    leaseUntil: LEASE_UNTIL,
    upToDate: false,
    changes: [],
    ...overrides,
  };
}

// ---- SDK shapes -----------------------------------------------------------------------------

/** A forward action over weighted target groups, as DescribeRules returns it. */
export function forward(...targets: [arn: string, weight: number][]): Action[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: targets.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } }];
}

export const FIXED_503: Action[] = [
  {
    Type: 'fixed-response',
    FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Service Unavailable: this path was served by the retired monolith' },
  },
];

export function defaultRule(actions: Action[]): Rule {
  return { RuleArn: ruleArn('default'), Priority: 'default', IsDefault: true, Conditions: [], Actions: actions };
}

export function pathRule(priority: number, paths: string[], actions: Action[], id = `rule-${priority}`): Rule {
  return {
    RuleArn: ruleArn(id),
    Priority: String(priority),
    IsDefault: false,
    Conditions: [{ Field: 'path-pattern', Values: paths, PathPatternConfig: { Values: paths } }],
    Actions: actions,
  };
}

export function givenRules(...rules: Rule[]): void {
  aws.elbv2.on(DescribeRulesCommand).resolves({ Rules: rules });
}

/** The target group a manifest asks for, as DescribeTargetGroups returns it. */
export function observedTargetGroup(manifest: Manifest, overrides: Record<string, unknown> = {}) {
  const hc = manifest.healthCheck;
  return {
    TargetGroupArn: targetGroupArn(manifest.targetGroupName),
    TargetGroupName: manifest.targetGroupName,
    Protocol: 'HTTP' as const,
    Port: 80,
    VpcId: VPC_ID,
    TargetType: 'instance' as const,
    HealthCheckProtocol: 'HTTP' as const,
    HealthCheckPath: hc.path,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    Matcher: { HttpCode: hc.matcher },
    ...overrides,
  };
}

export function givenTargetGroups(...groups: ReturnType<typeof observedTargetGroup>[]): void {
  aws.elbv2.on(DescribeTargetGroupsCommand).callsFake(async (input: { Names?: string[] }) => {
    const found = groups.filter((group) => input.Names?.includes(group.TargetGroupName));
    if (found.length === 0) throw awsError('TargetGroupNotFoundException', 'One or more target groups not found');
    return { TargetGroups: found };
  });
}

export interface ServiceOptions {
  taskDefinition?: string;
  desiredCount?: number;
  runningCount?: number;
  status?: string;
  rolloutState?: Deployment['rolloutState'];
  rolloutStateReason?: string;
  primaryTaskDefinition?: string;
  targetGroupArn?: string | null;
  failedTasks?: number;
}

/** A service as DescribeServices returns it: by default ACTIVE, 1/1 running, PRIMARY deployment COMPLETED. */
export function ecsService(name: string, options: ServiceOptions = {}): Service {
  const taskDefinition = options.taskDefinition ?? taskDefinitionArn(name, 7);
  const desiredCount = options.desiredCount ?? 1;
  const runningCount = options.runningCount ?? desiredCount;
  const group = options.targetGroupArn === undefined ? targetGroupArn(name) : options.targetGroupArn;
  return {
    serviceName: name,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
    status: options.status ?? 'ACTIVE',
    desiredCount,
    runningCount,
    taskDefinition,
    loadBalancers: group ? [{ targetGroupArn: group, containerName: name, containerPort: 3000 }] : [],
    deployments: [
      {
        id: `ecs-svc/${name}`,
        status: 'PRIMARY',
        taskDefinition: options.primaryTaskDefinition ?? taskDefinition,
        desiredCount,
        runningCount,
        failedTasks: options.failedTasks ?? 0,
        rolloutState: options.rolloutState ?? 'COMPLETED',
        rolloutStateReason: options.rolloutStateReason,
      },
    ],
  };
}

export function givenServices(...services: Service[]): void {
  aws.ecs.on(DescribeServicesCommand).callsFake(async (input: { services?: string[] }) => ({
    services: services.filter((service) => input.services?.includes(service.serviceName ?? '')),
    failures: [],
  }));
}

/** DescribeTargetHealth per target group: each state listed is one target. */
export function givenTargetHealth(byGroup: Record<string, TargetHealthStateEnum[]>): void {
  aws.elbv2.on(DescribeTargetHealthCommand).callsFake(async (input: { TargetGroupArn?: string }) => ({
    TargetHealthDescriptions: (byGroup[input.TargetGroupArn ?? ''] ?? []).map((State, index) => ({
      Target: { Id: `i-0${index}`, Port: 32768 + index },
      TargetHealth: { State },
    })),
  }));
}

/** A registered revision as DescribeTaskDefinition returns it, running `image` with the manifest's settings. */
export function registeredTaskDefinition(manifest: Manifest, image: string, revision = 7, overrides: { executionRoleArn?: string } = {}) {
  return {
    taskDefinition: {
      taskDefinitionArn: taskDefinitionArn(manifest.family, revision),
      family: manifest.family,
      revision,
      networkMode: manifest.networkMode,
      requiresCompatibilities: [manifest.launchType],
      ...(manifest.launchType === 'FARGATE' ? { cpu: String(manifest.cpu), memory: String(manifest.memory) } : {}),
      executionRoleArn: overrides.executionRoleArn ?? EXECUTION_ROLE_ARN,
      containerDefinitions: [
        {
          name: manifest.name,
          image,
          essential: true,
          memory: manifest.memory,
          cpu: manifest.cpu,
          portMappings: [{ containerPort: manifest.containerPort, hostPort: manifest.networkMode === 'bridge' ? 0 : manifest.containerPort, protocol: 'tcp' as const }],
        },
      ],
    },
  };
}

/** Resolves to the error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the handler to fail, but it succeeded');
}
