import { CreateServiceCommand, UpdateServiceCommand, type CreateServiceCommandInput } from '@aws-sdk/client-ecs';
import { makeHandler } from '../../../functions/deploy-service';
import { buildCatalog } from '../../../lib/domain/catalog';
import { AwsRequestError, ValidationError } from '../../../lib/errors';
import {
  CLUSTER,
  NOW,
  aws,
  awsError,
  ecsService,
  expectNoMutations,
  givenServices,
  rejectionOf,
  releaseFor,
  resetAws,
  targetGroupArn,
  taskDefinitionArn,
  testConfig,
  testDeps,
} from './fixtures';

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
    expect(result.changes).toEqual(['updated service posts to posts:8 × 1']);
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
