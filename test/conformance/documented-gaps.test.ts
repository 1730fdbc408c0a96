/**
 * What moto does not simulate (aws-facts.md, "moto"), checked on the emulator alone against AWS's
 * documented behaviour. Each test names the gap; the comment above it cites the page.
 */
import { CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateRuleCommand, CreateTargetGroupCommand, DeleteRuleCommand, DescribeTargetHealthCommand, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEmulatorBackend, type EmulatorBackend } from './backends';
import { apiServiceInput, createTargetGroup, createTutorialAlb, registerTaskDefinition, required, targetGroupInput, type TutorialAlb } from './fixtures';
import { errorName } from './harness';

describe('where moto does not simulate AWS: checked against AWS documentation', () => {
  let backend: EmulatorBackend;
  beforeEach(() => {
    backend = createEmulatorBackend();
  });
  afterEach(() => backend.close());

  describe('ELBv2 validations moto skips', () => {
    // API_CreateTargetGroup.html: "This operation is idempotent ... If you attempt to create multiple target
    // groups with the same settings, each call succeeds." moto 5.2.5 raises DuplicateTargetGroupName instead.
    it('returns the existing target group for an identical CreateTargetGroup (moto: DuplicateTargetGroupName)', async () => {
      const vpcId = await backend.createVpc();
      const first = await createTargetGroup(backend, 'posts', vpcId);
      const again = await backend.clients.elbv2.send(new CreateTargetGroupCommand(targetGroupInput('posts', vpcId)));
      expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(first);
    });

    // application/target-group-health-checks.html: the timeout must be smaller than the interval;
    // API_ModifyTargetGroup.html: HealthyThresholdCount valid range 2-10. moto accepts both on ModifyTargetGroup.
    it('rejects ModifyTargetGroup with timeout >= interval or a healthy threshold of 1 (moto accepts both)', async () => {
      const targetGroupArn = await createTargetGroup(backend, 'posts', await backend.createVpc());
      const modify = (settings: object) => () => backend.clients.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: targetGroupArn, ...settings }));
      expect(await errorName(modify({ HealthCheckTimeoutSeconds: 6 }))).toBe('ValidationError');
      expect(await errorName(modify({ HealthCheckTimeoutSeconds: 10, HealthCheckIntervalSeconds: 8 }))).toBe('ValidationError');
      expect(await errorName(modify({ HealthyThresholdCount: 1 }))).toBe('ValidationError');
    });

    // API_TargetGroupTuple.html: Weight valid range 0-999. moto accepts 1000.
    it('rejects a forward weight of 1000 (moto accepts it)', async () => {
      const alb = await createTutorialAlb(backend);
      const postsArn = await createTargetGroup(backend, 'posts', alb.vpcId);
      const outcome = await errorName(() =>
        backend.clients.elbv2.send(
          new CreateRuleCommand({
            ListenerArn: alb.listenerArn,
            Priority: 1,
            Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }],
            Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1000 }, { TargetGroupArn: postsArn, Weight: 0 }] } }],
          }),
        ),
      );
      expect(outcome).toBe('ValidationError');
    });

    // API_DeleteRule.html, Errors: RuleNotFound "The specified rule does not exist." moto returns success.
    it('reports RuleNotFound when deleting a rule that does not exist (moto: no error)', async () => {
      const alb = await createTutorialAlb(backend);
      const created = await backend.clients.elbv2.send(
        new CreateRuleCommand({ ListenerArn: alb.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }], Actions: [{ Type: 'forward', TargetGroupArn: alb.monolithTargetGroupArn }] }),
      );
      const ruleArn = required(created.Rules?.[0]?.RuleArn, 'RuleArn');
      await backend.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
      expect(await errorName(() => backend.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn })))).toBe('RuleNotFoundException');
    });
  });

  describe('ECS service behaviour moto skips', () => {
    let alb: TutorialAlb;
    let firstRevision: string;
    let secondRevision: string;

    beforeEach(async () => {
      alb = await createTutorialAlb(backend);
      await backend.clients.ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
      firstRevision = await registerTaskDefinition(backend, 'api', 'repo/api:1');
      secondRevision = await registerTaskDefinition(backend, 'api', 'repo/api:2');
    });

    const describeApi = async () => required((await backend.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['api'] }))).services?.[0], 'service');
    const targetStates = async () =>
      ((await backend.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: alb.monolithTargetGroupArn }))).TargetHealthDescriptions ?? []).map((target) => target.TargetHealth?.State);

    // API_DeploymentCircuitBreaker.html; API_DeploymentConfiguration.html. moto drops deploymentConfiguration.
    it('returns the deployment circuit breaker it was created with (moto drops it)', async () => {
      const created = await backend.clients.ecs.send(new CreateServiceCommand(apiServiceInput(firstRevision, alb.monolithTargetGroupArn)));
      expect(created.service?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
      expect((await describeApi()).deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    });

    // API_CreateService.html (InvalidParameterException); a second CreateService with the same name and other
    // parameters fails with "Creation of service was not idempotent". moto silently replaces the service.
    it('rejects a second CreateService of an active service with other settings (moto replaces the service)', async () => {
      await backend.clients.ecs.send(new CreateServiceCommand(apiServiceInput(firstRevision, alb.monolithTargetGroupArn)));
      const duplicate = await errorName(() => backend.clients.ecs.send(new CreateServiceCommand({ ...apiServiceInput(secondRevision, alb.monolithTargetGroupArn), desiredCount: 5 })));
      expect(duplicate).toBe('InvalidParameterException');
      expect(await describeApi()).toMatchObject({ taskDefinition: firstRevision, desiredCount: 2 });
    });

    // service-load-balancing.html: ECS registers each task as a target; target-group-health-checks.html: "After
    // your target is registered, it must pass one health check to be considered healthy" (one 6 s interval, answered
    // within the 5 s timeout here). API_Deployment.html: rolloutState COMPLETED once the deployment reaches steady
    // state. moto never starts tasks, so targets stay [] and deployments stay IN_PROGRESS.
    it('starts tasks, registers them as targets that turn healthy after one passing check, and completes the rollout (moto never converges)', async () => {
      await backend.clients.ecs.send(new CreateServiceCommand(apiServiceInput(firstRevision, alb.monolithTargetGroupArn)));
      expect((await describeApi()).deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
      backend.emulator.advance(11_000);
      expect(await targetStates()).toEqual(['initial', 'initial']);
      backend.emulator.advance(5 * 60_000);
      expect(await targetStates()).toEqual(['healthy', 'healthy']);
      const service = await describeApi();
      expect(service).toMatchObject({ runningCount: 2, desiredCount: 2 });
      expect(service.deployments?.map(({ status, rolloutState, taskDefinition }) => ({ status, rolloutState, taskDefinition }))).toEqual([
        { status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: firstRevision },
      ]);
    });

    // deployment-type-ecs.html and API_Deployment.html: UpdateService with a new task definition starts a new
    // PRIMARY deployment; the old one stays ACTIVE until its tasks are replaced. moto creates no deployment.
    it('starts a new PRIMARY deployment on UpdateService(taskDefinition) and retires the old one (moto creates none)', async () => {
      await backend.clients.ecs.send(new CreateServiceCommand(apiServiceInput(firstRevision, alb.monolithTargetGroupArn)));
      backend.emulator.advance(5 * 60_000);
      await backend.clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'api', taskDefinition: secondRevision }));
      const during = await describeApi();
      expect(during.deployments?.map(({ status, taskDefinition }) => ({ status, taskDefinition }))).toEqual([
        { status: 'PRIMARY', taskDefinition: secondRevision },
        { status: 'ACTIVE', taskDefinition: firstRevision },
      ]);
      backend.emulator.advance(15 * 60_000);
      expect((await describeApi()).deployments?.map(({ status, rolloutState, taskDefinition }) => ({ status, rolloutState, taskDefinition }))).toEqual([
        { status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: secondRevision },
      ]);
    });

    // API_DeleteService.html: "the service status moves from ACTIVE to DRAINING, and the service is no longer
    // visible in the console or in ListServices". moto answers INACTIVE at once.
    it('answers DeleteService with status DRAINING (moto: INACTIVE)', async () => {
      await backend.clients.ecs.send(new CreateServiceCommand({ ...apiServiceInput(firstRevision, alb.monolithTargetGroupArn), desiredCount: 0 }));
      const deleted = await backend.clients.ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: 'api' }));
      expect(deleted.service?.status).toBe('DRAINING');
    });
  });
});
