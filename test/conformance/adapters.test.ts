import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { createEcsAdapter } from '../../lib/aws/ecs';
import { createElbAdapter } from '../../lib/aws/elbv2';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { findByName } from '../../lib/domain/catalog';
import { forwardTargets } from '../../lib/domain/listener-actions';
import { planServiceRule, planShiftTraffic } from '../../lib/domain/listener-rule-plan';
import { targetGroupSpec } from '../../lib/domain/target-group';
import { taskDefinitionSpec } from '../../lib/domain/task-definition';
import { PROJECT_ROOT } from '../../local/runner/pipeline';
import { join } from 'node:path';
import { createTutorialAlb } from './fixtures';
import { expectConformance, useBackends } from './harness';

// The pipeline's ELBv2 and ECS adapters, fed by the domain's real plans for the posts manifest, run
// unchanged against moto and the emulator: moto accepting every request is the independent check that
// what the pipeline sends is valid AWS input; the emulator must read back the same.
const backends = useBackends();
const catalog = loadCatalogFromDirectory(join(PROJECT_ROOT, 'services'));
const posts = findByName(catalog, 'posts');
if (!posts) throw new Error('services/posts/service.yml is missing');

const name = (arn: string | undefined) => arn?.split('/')[1] ?? null;

describe("the pipeline's AWS adapters on moto and on the emulator", () => {
  it('ELBv2: target group from the manifest, weight-0 rule, traffic shift, drop at cut-over, delete', async () => {
    const outcomes = await backends.run(async (backend) => {
      const elb = createElbAdapter(backend.clients.elbv2);
      const alb = await createTutorialAlb(backend);
      const spec = targetGroupSpec(posts, alb.vpcId);
      const targetGroupArn = await elb.createTargetGroup(spec);
      const found = await elb.findTargetGroup(spec.Name);
      await elb.setDeregistrationDelay(targetGroupArn, 30);
      const delay = await elb.deregistrationDelay(targetGroupArn);

      const create = planServiceRule(posts, await elb.listenerRules(alb.listenerArn), targetGroupArn);
      if (create.kind !== 'create') throw new Error(`expected a create plan, got ${create.kind}`);
      const ruleArn = await elb.createPathRule(alb.listenerArn, posts.priority, posts.paths, create.actions);
      const afterCreate = await elb.listenerRules(alb.listenerArn);
      const again = planServiceRule(posts, afterCreate, targetGroupArn).kind;

      const shift = planShiftTraffic(posts, afterCreate, targetGroupArn);
      if (shift.kind !== 'modify') throw new Error(`expected a modify plan, got ${shift.kind}`);
      await elb.setRuleActions(shift.ruleArn, shift.actions);
      await elb.setDefaultActions(alb.listenerArn, [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'retired' } }]);
      const afterShift = await elb.listenerRules(alb.listenerArn);

      await elb.deleteRule(ruleArn);
      await elb.deleteTargetGroup(targetGroupArn);
      const view = (rules: typeof afterShift) =>
        rules.map((rule) => ({
          priority: rule.priority,
          paths: rule.paths,
          // Actions come back whole, as each backend answers them (moto sends a single group as TargetGroupArn only,
          // AWS and the emulator both forms): read them the way the pipeline does.
          actions: rule.actions.map((action) => {
            const groups = forwardTargets([action]).map((target) => [name(target.targetGroupArn), target.weight]);
            return { type: action.Type, groups: groups.length > 0 ? groups : null, status: action.FixedResponseConfig?.StatusCode ?? null };
          }),
        }));
      return {
        found: { name: name(found?.TargetGroupArn), interval: found?.HealthCheckIntervalSeconds, timeout: found?.HealthCheckTimeoutSeconds, healthy: found?.HealthyThresholdCount, unhealthy: found?.UnhealthyThresholdCount },
        delay,
        afterCreate: view(afterCreate),
        planAgain: again,
        afterShift: view(afterShift),
        goneAfterDelete: (await elb.findTargetGroup(spec.Name)) === undefined,
      };
    });
    expectConformance(outcomes, {
      found: { name: 'posts', interval: 6, timeout: 5, healthy: 2, unhealthy: 2 },
      delay: 30,
      afterCreate: [
        { priority: 1, paths: ['/api/posts*'], actions: [{ type: 'forward', groups: [['api', 1], ['posts', 0]], status: null }] },
        { priority: 'default', paths: [], actions: [{ type: 'forward', groups: [['api', 1]], status: null }] },
      ],
      planAgain: 'none',
      afterShift: [
        { priority: 1, paths: ['/api/posts*'], actions: [{ type: 'forward', groups: [['posts', 1]], status: null }] },
        { priority: 'default', paths: [], actions: [{ type: 'fixed-response', groups: null, status: '503' }] },
      ],
      goneAfterDelete: true,
    });
  });

  it('ECS: task definition from the manifest, create, describe, update, delete a service', async () => {
    const outcomes = await backends.run(async (backend) => {
      await backend.clients.ecs.send(new CreateClusterCommand({ clusterName: 'tutorial' }));
      const ecs = createEcsAdapter(backend.clients.ecs, 'tutorial');
      const elb = createElbAdapter(backend.clients.elbv2);
      const alb = await createTutorialAlb(backend);
      const targetGroupArn = await elb.createTargetGroup(targetGroupSpec(posts, alb.vpcId));
      await elb.createPathRule(alb.listenerArn, posts.priority, posts.paths, [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] } }]);
      const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:${'1'.repeat(64)}`;
      const roles = { executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole' };
      const first = await ecs.registerTaskDefinition(taskDefinitionSpec(posts, image, roles));
      const latest = await ecs.latestTaskDefinition(posts.family);
      const missingBefore = await ecs.describeService('posts');
      await ecs.createService({ serviceName: 'posts', taskDefinitionArn: first, desiredCount: 1, launchType: 'EC2', targetGroupArn, containerName: 'posts', containerPort: 3000, clientToken: 'a'.repeat(36) });
      const created = await ecs.describeService('posts');
      const second = await ecs.registerTaskDefinition(taskDefinitionSpec(posts, image.replace(/1+$/, '2'.repeat(64)), roles));
      await ecs.updateService('posts', { taskDefinitionArn: second, desiredCount: 2 });
      const updated = await ecs.describeService('posts');
      await ecs.deleteService('posts');
      return {
        revisions: [first, second].map((arn) => arn.split('/').pop()),
        latest: { image: latest?.containers[0]?.image, hostPort: latest?.containers[0]?.hostPort, memory: latest?.containers[0]?.memory, networkMode: latest?.networkMode },
        missingBefore: missingBefore ?? null,
        created: { status: created?.status, desired: created?.desiredCount, taskDefinition: created?.taskDefinition.split('/').pop(), targetGroups: created?.targetGroupArns.map(name) },
        updated: { desired: updated?.desiredCount, taskDefinition: updated?.taskDefinition.split('/').pop() },
      };
    });
    expectConformance(outcomes, {
      revisions: ['posts:1', 'posts:2'],
      latest: { image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:${'1'.repeat(64)}`, hostPort: 0, memory: 256, networkMode: 'bridge' },
      missingBefore: null,
      created: { status: 'ACTIVE', desired: 1, taskDefinition: 'posts:1', targetGroups: ['posts'] },
      updated: { desired: 2, taskDefinition: 'posts:2' },
    });
  });
});
