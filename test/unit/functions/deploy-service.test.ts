import { CreateServiceCommand, DescribeServiceDeploymentsCommand, UpdateServiceCommand, type CreateServiceCommandInput, type Service, type UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/deploy-service';
import { buildCatalog } from '../../../lib/domain/catalog';
import { AwsRequestError, ValidationError } from '../../../lib/errors';
import {
  ACCOUNT,
  CLUSTER,
  LISTENER_ARN,
  NOW,
  REGION,
  aws,
  awsError,
  defaultRule,
  ecsService,
  expectNoMutations,
  forward,
  givenRules,
  givenServices,
  pathRule,
  rejectionOf,
  releaseFor,
  resetAws,
  ruleArn,
  targetGroupArn,
  taskDefinitionArn,
  testConfig,
  testDeps,
} from './fixtures';
import { SEED_OIDC } from '../../../local/runner/seed-tutorial';

const postsGroup = targetGroupArn('posts');
const newRevision = taskDefinitionArn('posts', 8);
const release = releaseFor('posts', { taskDefinitionArn: newRevision, targetGroupArn: postsGroup });

function sentCreateService(): CreateServiceCommandInput {
  const call = aws.ecs.commandCalls(CreateServiceCommand)[0];
  if (!call) throw new Error('CreateService was not sent');
  return call.args[0].input;
}

describe('deploy-service', () => {
  beforeEach(() => resetAws());

  it('creates the service behind its target group with the circuit breaker and rollback on, and the manifest\'s grace period', async () => {
    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(CreateServiceCommand, {
      cluster: CLUSTER,
      serviceName: 'posts',
      taskDefinition: newRevision,
      desiredCount: 1,
      launchType: 'EC2',
      loadBalancers: [{ targetGroupArn: postsGroup, containerName: 'posts', containerPort: 3000 }],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      // posts' manifest leaves it out: the default, 60 s
      healthCheckGracePeriodSeconds: 60,
    });
    expect(sentCreateService().networkConfiguration).toBeUndefined();
    expect(result.changes).toEqual(['created service posts with posts:8 × 1']);
  });

  it("never plans its first wait past the gate's own timeout", async () => {
    // Prepare: checks every 300 s (timeout 120 s), but the gate gives up after 30 s
    const services = testConfig().catalog.services.map((manifest) =>
      manifest.name === 'posts' ? { ...manifest, healthGateTimeoutSeconds: 30, healthCheck: { ...manifest.healthCheck, intervalSeconds: 300, timeoutSeconds: 120 } } : manifest,
    );

    // Act
    const result = await makeHandler(testDeps(testConfig({ catalog: { services } })))(release);

    // Assess
    expect(result.gate?.nextWaitSeconds).toBe(30);
  });

  it('starts the health gate on the clock now, its first wait one health-check interval plus the check\'s timeout', async () => {
    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess: posts checks every 6 s with a 5 s timeout; one passing check makes a new target healthy
    expect(result.gate).toEqual({ startedAt: new Date(NOW).toISOString(), waitedSeconds: 0, nextWaitSeconds: 11, healthy: false, polls: 0 });
  });

  it('sends the grace period a manifest sets', async () => {
    // Prepare
    const slow = buildCatalog([
      { file: 'services/orders/service.yml', content: { name: 'orders', repository: 'orders', paths: ['/api/orders*'], priority: 4, healthCheckGracePeriodSeconds: 300 } },
    ]);

    // Act
    await makeHandler(testDeps(testConfig({ catalog: slow })))(releaseFor('orders', { taskDefinitionArn: taskDefinitionArn('orders', 1), targetGroupArn: targetGroupArn('orders') }));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(CreateServiceCommand, { serviceName: 'orders', healthCheckGracePeriodSeconds: 300 });
  });

  it('sends a clientToken of at most 36 characters that repeats when the step is retried', async () => {
    // Act
    await makeHandler(testDeps())(release);
    await makeHandler(testDeps())(release);
    await makeHandler(testDeps())({ ...release, executionName: 'posts-another-execution' });

    // Assess
    const tokens = aws.ecs.commandCalls(CreateServiceCommand).map((call) => call.args[0].input.clientToken ?? '');
    expect(tokens[0]?.length).toBeGreaterThan(0);
    expect(tokens[0]?.length).toBeLessThanOrEqual(36);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('rolls an existing service to the new revision with UpdateService, with the grace period', async () => {
    // Prepare
    givenServices({ ...ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 7) }), healthCheckGracePeriodSeconds: 60 });

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(CreateServiceCommand);
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'posts', taskDefinition: newRevision, desiredCount: 1, healthCheckGracePeriodSeconds: 60 });
    // no ECS infrastructure role in testConfig(): ECS's rolling update, and the change says why
    expect(result.changes).toEqual(['updated service posts to posts:8 × 1 (rolling update: no ECS infrastructure role is configured (deploy parameter ecsInfrastructureRoleArn))']);
  });

  it('gives a service that runs the revision without the manifest\'s grace period that grace period', async () => {
    // Prepare: created before the field existed (ECS answers no grace period: 0)
    givenServices(ecsService('posts', { taskDefinition: newRevision }));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { service: 'posts', taskDefinition: newRevision, desiredCount: 1, healthCheckGracePeriodSeconds: 60 });
    expect(result.changes).toEqual(['updated service posts to posts:8 × 1, health check grace period 60 s']);
  });

  it('changes nothing and checks health at once when the service already runs the revision at the desired count and grace period', async () => {
    // Prepare
    givenServices({ ...ecsService('posts', { taskDefinition: newRevision }), healthCheckGracePeriodSeconds: 60 });

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expectNoMutations();
    expect(result.gate?.nextWaitSeconds).toBe(0);
    expect(result.changes).toEqual([]);
  });

  it('creates the service again when the one with its name is INACTIVE (deleted)', async () => {
    // Prepare
    givenServices(ecsService('posts', { status: 'INACTIVE', taskDefinition: newRevision }));

    // Act
    await makeHandler(testDeps())(release);

    // Assess
    expect(aws.ecs).toHaveReceivedCommandTimes(CreateServiceCommand, 1);
  });

  it('gives an awsvpc service the configured subnets and security groups, without a public IP', async () => {
    // Prepare
    const fargate = buildCatalog([
      {
        file: 'services/orders/service.yml',
        content: { name: 'orders', repository: 'orders', launchType: 'FARGATE', networkMode: 'awsvpc', memory: 512, paths: ['/api/orders*'], priority: 4 },
      },
    ]);
    const deps = testDeps(testConfig({ catalog: fargate }));

    // Act
    await makeHandler(deps)(releaseFor('orders', { taskDefinitionArn: taskDefinitionArn('orders', 1), targetGroupArn: targetGroupArn('orders') }));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(CreateServiceCommand, {
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0aaa', 'subnet-0bbb'], securityGroups: ['sg-0ccc'], assignPublicIp: 'DISABLED' } },
    });
  });

  it.each([
    ['taskDefinitionArn', releaseFor('posts', { targetGroupArn: postsGroup })],
    ['targetGroupArn', releaseFor('posts', { taskDefinitionArn: newRevision })],
  ])('throws ValidationError naming release.%s when an earlier step did not set it', async (field, input) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(input));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(`release.${field}`);
    expectNoMutations();
  });

  it('throws AwsRequestError with the code when CreateService is denied', async () => {
    // Prepare
    aws.ecs.on(CreateServiceCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform ecs:CreateService', 403));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(release));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
    expect(error.message).toBe('create service posts in cluster demo: AccessDeniedException: not authorized to perform ecs:CreateService');
  });
});

describe('deploy-service, an update of a live service', () => {
  const postsGreen = targetGroupArn('posts-g');
  const monolithGroup = targetGroupArn('api');
  const previousRevision = taskDefinitionArn('posts', 7);
  const infrastructureRole = `arn:aws:iam::${ACCOUNT}:role/ecsInfrastructureRoleForLoadBalancers`;
  const deploymentArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/posts/0c6ff1f3a3e94d4b`;
  const updating = releaseFor('posts', { taskDefinitionArn: newRevision, targetGroupArn: postsGroup, alternateTargetGroupArn: postsGreen });
  const OIDC: Action = {
    Type: 'authenticate-oidc',
    Order: 1,
    AuthenticateOidcConfig: { ...SEED_OIDC },
  };
  const behindOidc = (actions: Action[]): Action[] => [OIDC, ...actions.map((action) => ({ ...action, Order: 2 }))];
  /** posts' manifest (canary 10 %, 5 min bakes) with an alarm, and the infrastructure role set unless `role` is null. */
  const config = (role: string | null = infrastructureRole) => {
    const base = testConfig(role ? { ecsInfrastructureRoleArn: role } : {});
    const services = base.catalog.services.map((m) => (m.name === 'posts' ? { ...m, traffic: { ...m.traffic, alarms: ['posts-5xx'] } } : m));
    return { ...base, catalog: { ...base.catalog, services } };
  };
  const givenPostsRule = (actions: Action[]) => givenRules(pathRule(1, ['/api/posts*'], actions), pathRule(99, ['/api*'], forward([monolithGroup, 1])), defaultRule(forward([monolithGroup, 1])));

  function sentUpdateService(): UpdateServiceCommandInput {
    const call = aws.ecs.commandCalls(UpdateServiceCommand)[0];
    if (!call) throw new Error('UpdateService was not sent');
    return call.args[0].input;
  }

  beforeEach(() => {
    resetAws();
    givenServices({ ...ecsService('posts', { taskDefinition: previousRevision }), healthCheckGracePeriodSeconds: 60 });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: { serviceName: 'posts', currentServiceDeployment: deploymentArn } });
  });

  /** posts after its first update: its load balancer names the alternate group (advancedConfiguration). */
  const givenSwitchedService = (overrides: Partial<Service> = {}) => {
    const service = { ...ecsService('posts', { taskDefinition: previousRevision }), healthCheckGracePeriodSeconds: 60 };
    const [balancer] = service.loadBalancers ?? [];
    givenServices({ ...service, loadBalancers: [{ ...balancer, advancedConfiguration: { alternateTargetGroupArn: postsGreen, productionListenerRule: ruleArn('rule-1'), roleArn: infrastructureRole } }], ...overrides });
  };

  it("on a ROLLING service without its alternate group, first takes AWS's documented step: a rolling update that adds advancedConfiguration", async () => {
    // Prepare: right after the migration, the primary group serves, the alternate rides along at 0
    givenPostsRule(forward([postsGroup, 1], [postsGreen, 0]));

    // Act
    const result = await makeHandler(testDeps(config()))(updating);

    // Assess
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(sentUpdateService()).toEqual({
      cluster: CLUSTER,
      service: 'posts',
      taskDefinition: newRevision,
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: { strategy: 'ROLLING', deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      loadBalancers: [
        {
          targetGroupArn: postsGroup,
          containerName: 'posts',
          containerPort: 3000,
          advancedConfiguration: { alternateTargetGroupArn: postsGreen, productionListenerRule: ruleArn('rule-1'), roleArn: infrastructureRole },
        },
      ],
    });
    expect(result.ecsDeployment).toBeUndefined();
    expect(result.rollingBecause).toMatch(/^ECS's documented switch from rolling to blue\/green starts with a rolling deployment that adds advancedConfiguration/);
  });

  it('refuses with ServiceDeploymentInProgressError, changing nothing, when the rule splits traffic between the two groups', async () => {
    // Prepare
    givenSwitchedService();
    givenPostsRule(forward([postsGroup, 90], [postsGreen, 10]));

    // Act
    const outcome = makeHandler(testDeps(config()))(updating);

    // Assess
    await expect(outcome).rejects.toThrow(expect.objectContaining({ name: 'ServiceDeploymentInProgressError', message: expect.stringContaining('(weights 90 / 10)') }));
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  it("retried after its UpdateService went through, finds ECS's deployment of the same revision under way and hands it to the gate, sending nothing", async () => {
    // Prepare: the service already on posts:8 with CANARY, ECS's deployment of it still at its start
    givenSwitchedService({ taskDefinition: newRevision, deploymentConfiguration: { strategy: 'CANARY' }, currentServiceDeployment: deploymentArn });
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn, status: 'IN_PROGRESS' }], failures: [] });
    givenPostsRule(forward([postsGroup, 1], [postsGreen, 0]));

    // Act
    const result = await makeHandler(testDeps(config()))(updating);

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(result.ecsDeployment).toEqual({ arn: deploymentArn, strategy: 'CANARY', greenTargetGroupArn: postsGreen, startedAt: new Date(NOW).toISOString(), percent: 0, checks: 0 });
    expect(result.changes).toEqual(["ECS's CANARY deployment of posts to posts:8 is already under way"]);
  });

  it("starts ECS's own CANARY deployment on the service's two groups and its production rule, and tracks the deployment ECS answered", async () => {
    // Prepare: the primary group serves, the alternate rides along at 0
    givenSwitchedService();
    givenPostsRule(forward([postsGroup, 1], [postsGreen, 0]));

    // Act
    const result = await makeHandler(testDeps(config()))(updating);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeRulesCommand, { ListenerArn: LISTENER_ARN });
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(sentUpdateService()).toEqual({
      cluster: CLUSTER,
      service: 'posts',
      taskDefinition: newRevision,
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 5,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
        alarms: { alarmNames: ['posts-5xx'], enable: true, rollback: true },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        minimumHealthyPercent: 100,
        maximumPercent: 200,
      },
      loadBalancers: [
        {
          targetGroupArn: postsGroup,
          containerName: 'posts',
          containerPort: 3000,
          advancedConfiguration: { alternateTargetGroupArn: postsGreen, productionListenerRule: ruleArn('rule-1'), roleArn: infrastructureRole },
        },
      ],
    });
    expect(result.ecsDeployment).toEqual({ arn: deploymentArn, strategy: 'CANARY', greenTargetGroupArn: postsGreen, startedAt: new Date(NOW).toISOString(), percent: 0, checks: 0 });
    expect(result.rollingBecause).toBeUndefined();
    expect(result.changes).toEqual(['updated service posts to posts:8 × 1 with ECS CANARY (10 %, bake 5 min, then 100 %; 5 min before the old revision stops; rolls back on posts-5xx)']);
  });

  it('rolls instead when the rule authenticates with authenticate-oidc before its forward, and says so', async () => {
    // Prepare
    givenPostsRule(behindOidc(forward([postsGroup, 1], [postsGreen, 0])));

    // Act
    const result = await makeHandler(testDeps(config()))(updating);

    // Assess: a plain update of a ROLLING service that already serves from its group
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(sentUpdateService()).toEqual({ cluster: CLUSTER, service: 'posts', taskDefinition: newRevision, desiredCount: 1, healthCheckGracePeriodSeconds: 60 });
    expect(sentUpdateService()).not.toHaveProperty('deploymentConfiguration');
    expect(sentUpdateService()).not.toHaveProperty('loadBalancers');
    expect(result.ecsDeployment).toBeUndefined();
    expect(result.rollingBecause).toContain('authenticate-oidc');
    expect(result.changes[0]).toMatch(/^updated service posts to posts:8 × 1 \(rolling update: .*authenticate-oidc/);
  });

  it('puts a service an earlier CANARY deployment left on the alternate group back to ROLLING on that serving group', async () => {
    // Prepare: the last ECS deployment ended on the alternate group; since then the rule gained an authenticate action
    givenServices({
      ...ecsService('posts', { taskDefinition: previousRevision }),
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 }, bakeTimeInMinutes: 5 },
      loadBalancers: [
        {
          targetGroupArn: postsGroup,
          containerName: 'posts',
          containerPort: 3000,
          advancedConfiguration: { alternateTargetGroupArn: postsGreen, productionListenerRule: ruleArn('rule-1'), roleArn: infrastructureRole },
        },
      ],
    });
    givenPostsRule(behindOidc(forward([postsGroup, 0], [postsGreen, 1])));

    // Act
    const result = await makeHandler(testDeps(config()))(updating);

    // Assess
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(sentUpdateService()).toEqual({
      cluster: CLUSTER,
      service: 'posts',
      taskDefinition: newRevision,
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 60,
      deploymentConfiguration: { strategy: 'ROLLING', deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      loadBalancers: [{ targetGroupArn: postsGreen, containerName: 'posts', containerPort: 3000 }],
    });
    expect(result.ecsDeployment).toBeUndefined();
    expect(result.rollingBecause).toContain('authenticate-oidc');
  });

  it('rolls when no ECS infrastructure role is configured, naming the deploy parameter ecsInfrastructureRoleArn', async () => {
    // Prepare: a rule ECS could drive
    givenPostsRule(forward([postsGroup, 1], [postsGreen, 0]));

    // Act
    const result = await makeHandler(testDeps(config(null)))(updating);

    // Assess
    expect(sentUpdateService()).toEqual({ cluster: CLUSTER, service: 'posts', taskDefinition: newRevision, desiredCount: 1, healthCheckGracePeriodSeconds: 60 });
    expect(result.ecsDeployment).toBeUndefined();
    expect(result.rollingBecause).toBe('no ECS infrastructure role is configured (deploy parameter ecsInfrastructureRoleArn)');
  });

  it('scales a service already on the revision with a plain UpdateService, reading no rules and starting no ECS deployment', async () => {
    // Prepare: the same revision, 2 tasks where the manifest asks for 1
    givenServices({ ...ecsService('posts', { taskDefinition: newRevision, desiredCount: 2 }), healthCheckGracePeriodSeconds: 60 });
    givenPostsRule(forward([postsGroup, 1], [postsGreen, 0]));

    // Act
    const result = await makeHandler(testDeps(config()))(updating);

    // Assess
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(sentUpdateService()).toEqual({ cluster: CLUSTER, service: 'posts', taskDefinition: newRevision, desiredCount: 1, healthCheckGracePeriodSeconds: 60 });
    expect(aws.elbv2).not.toHaveReceivedCommand(DescribeRulesCommand);
    expect(result.ecsDeployment).toBeUndefined();
    expect(result.rollingBecause).toBeUndefined();
    expect(result.changes).toEqual(['updated service posts to posts:8 × 1']);
  });
});
