import {
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Backend } from './backends';
import { actionFields, createTargetGroup, createTutorialAlb, required, targetGroupInput } from './fixtures';
import { errorName, expectConformance, useBackends } from './harness';

const backends = useBackends();

/** The target group fields the pipeline writes and later compares against the manifest. */
function pipelineFields(group: TargetGroup | undefined) {
  const { TargetGroupName, TargetGroupArn, Protocol, Port, VpcId, TargetType, HealthCheckPath, HealthyThresholdCount, UnhealthyThresholdCount, HealthCheckTimeoutSeconds, HealthCheckIntervalSeconds, Matcher, LoadBalancerArns } =
    required(group, 'TargetGroup');
  // AWS sends an empty <LoadBalancerArns/> for a group no listener uses and moto omits it: both mean "none".
  return { TargetGroupName, TargetGroupArn, Protocol, Port, VpcId, TargetType, HealthCheckPath, HealthyThresholdCount, UnhealthyThresholdCount, HealthCheckTimeoutSeconds, HealthCheckIntervalSeconds, Matcher, LoadBalancerArns: LoadBalancerArns ?? [] };
}

async function describeByName(backend: Backend, name: string) {
  const described = await backend.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  return pipelineFields(described.TargetGroups?.[0]);
}

const POSTS_ARN = 'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/posts/<id>';
const API_ARN = 'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/api/<id>';
const ALB_ARN = 'arn:aws:elasticloadbalancing:us-east-1:<account>:loadbalancer/app/demo-alb/<id>';

describe('ELBv2 load balancer, listener and target groups: emulator agrees with moto', () => {
  it('creates a load balancer and a listener whose default action forwards to the monolith', async () => {
    const outcomes = await backends.run(async (backend) => {
      const alb = await createTutorialAlb(backend);
      const balancers = await backend.clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['demo-alb'] }));
      const listeners = await backend.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: alb.loadBalancerArn }));
      const balancer = required(balancers.LoadBalancers?.[0], 'LoadBalancer');
      const listener = required(listeners.Listeners?.[0], 'Listener');
      return {
        loadBalancer: { arn: balancer.LoadBalancerArn, name: balancer.LoadBalancerName, type: balancer.Type, scheme: balancer.Scheme, vpcId: balancer.VpcId },
        listener: { loadBalancerArn: listener.LoadBalancerArn, port: listener.Port, protocol: listener.Protocol, defaultActions: listener.DefaultActions?.map(actionFields) },
        listenerCount: listeners.Listeners?.length,
      };
    });
    expectConformance(outcomes, {
      loadBalancer: { arn: ALB_ARN, name: 'demo-alb', type: 'application', scheme: 'internet-facing', vpcId: '<vpc>' },
      listener: { loadBalancerArn: ALB_ARN, port: 80, protocol: 'HTTP', defaultActions: [{ Type: 'forward', forwardTo: [{ TargetGroupArn: API_ARN, Weight: 1 }] }] },
      listenerCount: 1,
    });
  });

  it('round-trips the tutorial health check settings through DescribeTargetGroups', async () => {
    const outcomes = await backends.run(async (backend) => {
      const vpcId = await backend.createVpc();
      const created = await backend.clients.elbv2.send(new CreateTargetGroupCommand(targetGroupInput('posts', vpcId)));
      return { created: pipelineFields(created.TargetGroups?.[0]), described: await describeByName(backend, 'posts') };
    });
    const posts = {
      TargetGroupName: 'posts',
      TargetGroupArn: POSTS_ARN,
      Protocol: 'HTTP',
      Port: 80,
      VpcId: '<vpc>',
      TargetType: 'instance',
      HealthCheckPath: '/',
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      HealthCheckTimeoutSeconds: 5,
      HealthCheckIntervalSeconds: 6,
      Matcher: { HttpCode: '200' },
      LoadBalancerArns: [],
    };
    expectConformance(outcomes, { created: posts, described: posts });
  });

  it('rejects invalid or conflicting target groups with the AWS error codes', async () => {
    const outcomes = await backends.run(async (backend) => {
      const vpcId = await backend.createVpc();
      await createTargetGroup(backend, 'posts', vpcId);
      const create = (name: string, overrides = {}) => () => backend.clients.elbv2.send(new CreateTargetGroupCommand(targetGroupInput(name, vpcId, overrides)));
      return {
        sameNameOtherSettings: await errorName(create('posts', { HealthCheckIntervalSeconds: 30 })),
        nameOf33Chars: await errorName(create('a'.repeat(33))),
        nameOf32Chars: await errorName(create('a'.repeat(32))),
        timeoutEqualsInterval: await errorName(create('users', { HealthCheckTimeoutSeconds: 6, HealthCheckIntervalSeconds: 6 })),
        timeoutAboveInterval: await errorName(create('threads', { HealthCheckTimeoutSeconds: 10, HealthCheckIntervalSeconds: 6 })),
        describeUnknownName: await errorName(() => backend.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: ['nope'] }))),
      };
    });
    expectConformance(outcomes, {
      sameNameOtherSettings: 'DuplicateTargetGroupNameException',
      nameOf33Chars: 'ValidationError',
      nameOf32Chars: 'no error',
      timeoutEqualsInterval: 'ValidationError',
      timeoutAboveInterval: 'ValidationError',
      describeUnknownName: 'TargetGroupNotFoundException',
    });
  });

  it('round-trips ModifyTargetGroup health check settings and the deregistration delay attribute', async () => {
    const outcomes = await backends.run(async (backend) => {
      const vpcId = await backend.createVpc();
      const targetGroupArn = await createTargetGroup(backend, 'posts', vpcId);
      const defaultDelay = await readAttribute(backend, targetGroupArn, 'deregistration_delay.timeout_seconds');
      await backend.clients.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: targetGroupArn, HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 4, HealthyThresholdCount: 3 }));
      const modified = await backend.clients.elbv2.send(
        new ModifyTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }),
      );
      const { HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount } = await describeByName(backend, 'posts');
      return {
        defaultDelay,
        returnedDelay: modified.Attributes?.find((attribute) => attribute.Key === 'deregistration_delay.timeout_seconds')?.Value,
        describedDelay: await readAttribute(backend, targetGroupArn, 'deregistration_delay.timeout_seconds'),
        healthCheck: { HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds, HealthyThresholdCount, UnhealthyThresholdCount },
      };
    });
    expectConformance(outcomes, {
      defaultDelay: '300',
      returnedDelay: '30',
      describedDelay: '30',
      healthCheck: { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 4, HealthyThresholdCount: 3, UnhealthyThresholdCount: 2 },
    });
  });

  it('reports no targets for a new group and refuses to delete a group a listener forwards to', async () => {
    const outcomes = await backends.run(async (backend) => {
      const alb = await createTutorialAlb(backend);
      const postsArn = await createTargetGroup(backend, 'posts', alb.vpcId);
      const health = await backend.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: postsArn }));
      const deleteInUse = await errorName(() => backend.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: alb.monolithTargetGroupArn })));
      const monolith = await describeByName(backend, 'api');
      await backend.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: postsArn }));
      const describeDeleted = await errorName(() => backend.clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: ['posts'] })));
      return { targetHealth: health.TargetHealthDescriptions, deleteInUse, monolithLoadBalancers: monolith.LoadBalancerArns, describeDeleted };
    });
    expectConformance(outcomes, { targetHealth: [], deleteInUse: 'ResourceInUseException', monolithLoadBalancers: [ALB_ARN], describeDeleted: 'TargetGroupNotFoundException' });
  });
});

async function readAttribute(backend: Backend, targetGroupArn: string, key: string): Promise<string | undefined> {
  const described = await backend.clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn }));
  return described.Attributes?.find((attribute) => attribute.Key === key)?.Value;
}
