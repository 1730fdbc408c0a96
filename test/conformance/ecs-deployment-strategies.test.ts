/**
 * ECS's own deployment strategies (BLUE_GREEN, CANARY, LINEAR) and service deployments. moto 5.2.5 (and getmoto/moto
 * master, August 2026: IMPLEMENTATION_COVERAGE.md lists describe_service_deployments and list_service_deployments
 * unchecked) implements none of the behaviour: it keeps loadBalancers[] as given, so that part is compared on both
 * backends; it drops deploymentConfiguration and answers HTTP 500 to the service deployment operations, so the rest is
 * checked on the emulator alone against the AWS documentation cited (the full behaviour is in
 * test/unit/emulator/ecs-deployment-*.test.ts and ecs-service-deployments.test.ts).
 */
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListServiceDeploymentsCommand,
  type CreateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEmulatorBackend, type Backend, type EmulatorBackend } from './backends';
import { createTargetGroup, createTutorialAlb, registerTaskDefinition, required } from './fixtures';
import { expectConformance, useBackends } from './harness';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers';

/** The tutorial's ALB, an alternate group `api-green`, and a production rule forwarding to both (weights 1 / 0). */
async function blueGreenService(backend: Backend): Promise<{ input: CreateServiceCommandInput }> {
  const alb = await createTutorialAlb(backend);
  const greenArn = await createTargetGroup(backend, 'api-green', alb.vpcId);
  const { Rules } = await backend.clients.elbv2.send(new CreateRuleCommand({
    ListenerArn: alb.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api*'] }],
    Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1 }, { TargetGroupArn: greenArn, Weight: 0 }] } }],
  }));
  await backend.clients.ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
  const taskDefinition = await registerTaskDefinition(backend, 'api', 'repo/api:1');
  return {
    input: {
      cluster: 'demo', serviceName: 'api', taskDefinition, desiredCount: 1, launchType: 'EC2',
      loadBalancers: [{
        targetGroupArn: alb.monolithTargetGroupArn, containerName: 'api', containerPort: 3000,
        advancedConfiguration: { alternateTargetGroupArn: greenArn, productionListenerRule: required(Rules?.[0]?.RuleArn, 'RuleArn'), roleArn: ROLE_ARN },
      }],
      deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 },
    },
  };
}

describe('ECS blue/green service settings: emulator agrees with moto', () => {
  const backends = useBackends();

  // API_LoadBalancer.html, advancedConfiguration; API_AdvancedConfiguration.html.
  it('answers a load balancer with its advancedConfiguration as CreateService was given it', async () => {
    const outcomes = await backends.run(async (backend) => {
      const { input } = await blueGreenService(backend);
      const created = await backend.clients.ecs.send(new CreateServiceCommand(input));
      const described = await backend.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['api'] }));
      return { created: created.service?.loadBalancers, described: described.services?.[0]?.loadBalancers };
    });
    const loadBalancers = [{
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/api/<id>', containerName: 'api', containerPort: 3000,
      advancedConfiguration: {
        alternateTargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/api-green/<id>',
        productionListenerRule: 'arn:aws:elasticloadbalancing:us-east-1:<account>:listener-rule/app/demo-alb/<id>/<id>/<id>',
        roleArn: 'arn:aws:iam::<account>:role/ecsInfrastructureRoleForLoadBalancers',
      },
    }];
    expectConformance(outcomes, { created: loadBalancers, described: loadBalancers });
  });
});

describe('where moto does not simulate ECS deployment strategies: checked against AWS documentation', () => {
  let backend: EmulatorBackend;
  beforeEach(() => {
    backend = createEmulatorBackend();
  });
  afterEach(() => backend.close());

  // API_DeploymentConfiguration.html (strategy, bakeTimeInMinutes); API_Service.html (currentServiceDeployment);
  // API_DescribeServiceDeployments.html, API_ServiceDeployment.html; service-deployment.html ("Amazon ECS
  // automatically creates a new service deployment when ... A user creates a service"). moto drops the strategy and
  // does not implement the operations.
  it('answers the strategy back and records the creation as a service deployment (moto: neither)', async () => {
    const { input } = await blueGreenService(backend);
    const { service } = await backend.clients.ecs.send(new CreateServiceCommand(input));
    expect(service?.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 });
    const arn = required(service?.currentServiceDeployment, 'currentServiceDeployment');
    const described = (await backend.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }))).serviceDeployments?.[0];
    expect(described).toMatchObject({ serviceDeploymentArn: arn, status: 'IN_PROGRESS', lifecycleStage: 'SCALE_UP', deploymentConfiguration: { strategy: 'BLUE_GREEN' } });
    const listed = (await backend.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'api' }))).serviceDeployments;
    expect(listed?.map(({ serviceDeploymentArn, status }) => ({ serviceDeploymentArn, status }))).toEqual([{ serviceDeploymentArn: arn, status: 'IN_PROGRESS' }]);
  });
});
