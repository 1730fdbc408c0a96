/**
 * What CreateService / UpdateService refuse of the deployment strategy fields (API reference, DeploymentConfiguration,
 * CanaryConfiguration, LinearConfiguration, AdvancedConfiguration), and the deployments ECS fails because the listener
 * rules cannot carry the traffic shift (developer guide: "Application Load Balancer resources for blue/green, linear,
 * and canary deployments", Limitations; "Migrating from a CodeDeploy blue/green to an Amazon ECS blue/green service
 * deployment").
 */
import { CreateServiceCommand, UpdateServiceCommand, type DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { CreateListenerCommand, CreateRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { blueGreenSetup, INVALID_NETWORKING, MINUTE, ROLE_ARN } from './blue-green-fixtures';
import { rejection } from './fixtures';

async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await rejection(promise);
  return { name: error.name, message: error.message };
}

describe('CreateService and UpdateService check the strategy fields', () => {
  it.each<[string, DeploymentConfiguration, RegExp]>([
    ['an unknown strategy', { strategy: 'RED_BLACK' as never }, /Invalid deployment strategy 'RED_BLACK'/],
    ['BLUE_GREEN without bakeTimeInMinutes', { strategy: 'BLUE_GREEN' }, /bakeTimeInMinutes must be provided/],
    ['a bake time over 1440 minutes', { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1441 }, /bakeTimeInMinutes must be an integer between 0 and 1440/],
    ['canaryConfiguration with LINEAR', { strategy: 'LINEAR', canaryConfiguration: { canaryPercent: 10 } }, /canaryConfiguration is only valid for the CANARY/],
    ['linearConfiguration with CANARY', { strategy: 'CANARY', linearConfiguration: { stepPercent: 10 } }, /linearConfiguration is only valid for the LINEAR/],
    ['canaryPercent 0.05', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 0.05 } }, /canaryPercent must be a multiple of 0.1 from 0.1 to 100.0/],
    ['canaryPercent 100.5', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 100.5 } }, /canaryPercent must be a multiple of 0.1/],
    ['canaryPercent 12.34', { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 12.34 } }, /canaryPercent must be a multiple of 0.1/],
    ['stepPercent 2.9', { strategy: 'LINEAR', linearConfiguration: { stepPercent: 2.9 } }, /stepPercent must be a multiple of 0.1 from 3.0 to 100.0/],
    ['a step bake time of -1', { strategy: 'LINEAR', linearConfiguration: { stepBakeTimeInMinutes: -1 } }, /stepBakeTimeInMinutes must be an integer between 0 and 1440/],
    ['a canary bake time of 1441', { strategy: 'CANARY', canaryConfiguration: { canaryBakeTimeInMinutes: 1441 } }, /canaryBakeTimeInMinutes must be an integer between 0 and 1440/],
  ])('refuses %s (InvalidParameterException)', async (_, deploymentConfiguration, message) => {
    const setup = await blueGreenSetup();
    const outcome = await refusal(setup.createService(deploymentConfiguration));
    expect(outcome).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(message) });
    expect(await setup.service()).toBeUndefined();
  });

  it('refuses an advancedConfiguration without a role, with the primary group as alternate, or naming what does not exist', async () => {
    const setup = await blueGreenSetup();
    const advanced = { alternateTargetGroupArn: setup.greenArn, productionListenerRule: setup.ruleArn, roleArn: ROLE_ARN };
    const withAdvanced = (change: Partial<typeof advanced>) => setup.createService({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 5 }, {
      loadBalancers: [{ targetGroupArn: setup.blueArn, containerName: 'posts', containerPort: 3000, advancedConfiguration: { ...advanced, ...change } }],
    });
    expect(await refusal(withAdvanced({ roleArn: undefined }))).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(/roleArn must be provided/) });
    expect(await refusal(withAdvanced({ roleArn: 'ecsInfrastructureRole' }))).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(/is not an IAM role ARN/) });
    expect(await refusal(withAdvanced({ alternateTargetGroupArn: setup.blueArn }))).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(/must be different from the targetGroupArn/) });
    expect(await refusal(withAdvanced({ alternateTargetGroupArn: setup.blueArn.replace('posts-blue', 'posts-gone') }))).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(/target group not found/) });
    expect(await refusal(withAdvanced({ productionListenerRule: `${setup.ruleArn.slice(0, -4)}ffff` }))).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(/Listener rule .* not found/) });
    expect(await refusal(setup.createService({ strategy: 'CANARY' }, { loadBalancers: [{ targetGroupArn: setup.blueArn, containerName: 'posts', containerPort: 3000 }] })))
      .toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(/advancedConfiguration is required on every load balancer/) });
    expect(await setup.service()).toBeUndefined();
  });

  it('refuses the same on UpdateService and leaves the service as it was', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    const update = (deploymentConfiguration: DeploymentConfiguration) => setup.clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: setup.v2, deploymentConfiguration }));
    expect((await refusal(update({ strategy: 'LINEAR' }))).message).toMatch(/advancedConfiguration is required/);
    expect((await refusal(setup.clients.ecs.send(new UpdateServiceCommand({
      cluster: 'demo', service: 'posts', taskDefinition: setup.v2,
      loadBalancers: [{ targetGroupArn: setup.blueArn, containerName: 'posts', containerPort: 3000, advancedConfiguration: { alternateTargetGroupArn: setup.greenArn, productionListenerRule: setup.ruleArn } }],
    })))).message).toMatch(/roleArn must be provided/);
    const service = await setup.service();
    expect(service).toMatchObject({ taskDefinition: setup.v1, loadBalancers: [{ targetGroupArn: setup.blueArn }] });
    expect(service?.deploymentConfiguration?.strategy).toBeUndefined();
    expect(service?.deployments).toHaveLength(1);
  });

  it('starts a deployment when UpdateService changes the load balancers (API reference, LoadBalancer), not when it repeats them', async () => {
    const setup = await blueGreenSetup();
    await setup.rollingServiceOnBlue();
    const first = (await setup.service())?.currentServiceDeployment;
    const update = (loadBalancers: NonNullable<Parameters<typeof setup.serviceInput>[1]>['loadBalancers']) =>
      setup.clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', desiredCount: 2, loadBalancers }));
    await update([{ containerPort: 3000, containerName: 'posts', targetGroupArn: setup.blueArn }]);
    expect((await setup.service())?.currentServiceDeployment).toBe(first);
    expect(await setup.list()).toHaveLength(1);
    await update(setup.serviceInput({}).loadBalancers);
    const service = await setup.service();
    expect(service?.currentServiceDeployment).not.toBe(first);
    expect(service?.loadBalancers?.[0]?.advancedConfiguration).toEqual({ alternateTargetGroupArn: setup.greenArn, productionListenerRule: setup.ruleArn, roleArn: ROLE_ARN });
    expect(await setup.list()).toHaveLength(2);
  });

  it('answers the strategy fields and the advanced configuration back in DescribeServices', async () => {
    const setup = await blueGreenSetup();
    const created = await setup.createService({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 7 }, bakeTimeInMinutes: 4, alarms: { alarmNames: ['a'], enable: false, rollback: true } });
    const expected = {
      deploymentConfiguration: {
        maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false },
        strategy: 'CANARY', canaryConfiguration: { canaryPercent: 12.5, canaryBakeTimeInMinutes: 7 }, bakeTimeInMinutes: 4, alarms: { alarmNames: ['a'], enable: false, rollback: true },
      },
      loadBalancers: [{
        targetGroupArn: setup.blueArn, containerName: 'posts', containerPort: 3000,
        advancedConfiguration: { alternateTargetGroupArn: setup.greenArn, productionListenerRule: setup.ruleArn, roleArn: ROLE_ARN },
      }],
      deploymentController: { type: 'ECS' },
    };
    expect(created).toMatchObject(expected);
    expect(await setup.service()).toMatchObject(expected);
    // A new strategy on UpdateService drops the old strategy's configuration.
    await setup.clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', deploymentConfiguration: { strategy: 'LINEAR' } }));
    const linear = (await setup.service())?.deploymentConfiguration;
    expect(linear).toMatchObject({ strategy: 'LINEAR', bakeTimeInMinutes: 4 });
    expect(linear?.canaryConfiguration).toBeUndefined();
  });
});

describe('deployments ECS fails because of the listener rules (developer guide)', () => {
  it('rolls back when the production rule does not forward to the alternate group, with the documented reason', async () => {
    const setup = await blueGreenSetup({ productionActions: (blue) => [{ Type: 'forward', TargetGroupArn: blue }] });
    await setup.rollingServiceOnBlue();
    const arn = await setup.deployV2({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
    const deployment = await setup.deployment(arn);
    expect(deployment).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', statusReason: INVALID_NETWORKING, rollback: { reason: INVALID_NETWORKING } });
    expect(await setup.weights()).toEqual({ blue: 1 });
    const service = await setup.service();
    expect(service?.taskDefinition).toBe(setup.v1);
    setup.emulator.advance(MINUTE);
    expect(await setup.targetStates(setup.greenArn)).toEqual([]);
    expect(await setup.targetStates(setup.blueArn)).toEqual(['healthy', 'healthy']);
  });

  it('accepts the alternate group on the test listener rule instead, and routes test traffic to it before production', async () => {
    const setup = await blueGreenSetup({ productionActions: (blue) => [{ Type: 'forward', TargetGroupArn: blue }] });
    const { Rules } = await setup.clients.elbv2.send(new CreateRuleCommand({
      ListenerArn: setup.listenerArn, Priority: 2, Conditions: [{ Field: 'path-pattern', Values: ['/test/api/posts*'] }], Actions: [{ Type: 'forward', TargetGroupArn: setup.greenArn }],
    }));
    const testRuleArn = Rules?.[0]?.RuleArn ?? '';
    await setup.rollingServiceOnBlue();
    const { service } = await setup.clients.ecs.send(new UpdateServiceCommand({
      cluster: 'demo', service: 'posts', taskDefinition: setup.v2, deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: 1 }, bakeTimeInMinutes: 0 },
      loadBalancers: [{ targetGroupArn: setup.blueArn, containerName: 'posts', containerPort: 3000, advancedConfiguration: { alternateTargetGroupArn: setup.greenArn, productionListenerRule: setup.ruleArn, testListenerRule: testRuleArn, roleArn: ROLE_ARN } }],
    }));
    const arn = service?.currentServiceDeployment ?? '';
    setup.emulator.advance(21_000);
    expect(await setup.weights(testRuleArn)).toEqual({ green: 100, blue: 0 });
    expect(await setup.weights()).toEqual({ blue: 80, green: 20 });
    expect(await setup.deployment(arn)).toMatchObject({ targetServiceRevision: { requestedTestTrafficWeight: 100, requestedProductionTrafficWeight: 20 } });
    setup.emulator.advance(MINUTE + 300_000);
    expect((await setup.deployment(arn))?.status).toBe('SUCCESSFUL');
  });

  it('stops (nothing to roll back to) a first deployment whose rule mixes an authenticate action with the forward', async () => {
    const setup = await blueGreenSetup();
    const { Listeners } = await setup.clients.elbv2.send(new CreateListenerCommand({
      LoadBalancerArn: setup.loadBalancerArn, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/demo' }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: setup.monolithTargetGroupArn }],
    }));
    const { Rules } = await setup.clients.elbv2.send(new CreateRuleCommand({
      ListenerArn: Listeners?.[0]?.ListenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }],
      Actions: [
        { Type: 'authenticate-cognito', Order: 1, AuthenticateCognitoConfig: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_demo', UserPoolClientId: 'client', UserPoolDomain: 'demo' } },
        { Type: 'forward', Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: setup.blueArn, Weight: 1 }, { TargetGroupArn: setup.greenArn, Weight: 0 }] } },
      ],
    }));
    const created = await setup.clients.ecs.send(new CreateServiceCommand({
      ...setup.serviceInput({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 }),
      loadBalancers: [{ targetGroupArn: setup.blueArn, containerName: 'posts', containerPort: 3000, advancedConfiguration: { alternateTargetGroupArn: setup.greenArn, productionListenerRule: Rules?.[0]?.RuleArn, roleArn: ROLE_ARN } }],
    }));
    const deployment = await setup.deployment(created.service?.currentServiceDeployment);
    expect(deployment).toMatchObject({ status: 'STOPPED', statusReason: expect.stringMatching(/^Service deployment stopped because of invalid networking configuration\. .*mix forward and non-forward actions/) });
    expect(deployment?.stoppedAt).toEqual(deployment?.finishedAt);
    setup.emulator.advance(MINUTE);
    expect((await setup.service())?.runningCount).toBe(0);
  });
});
