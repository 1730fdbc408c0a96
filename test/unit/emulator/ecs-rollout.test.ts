import { CreateServiceCommand, DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { albWithListener, clusterWithTaskDefinitions, createTargetGroup, forwardRule } from './fixtures';

const GOOD = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:aaaa';
const BAD = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:bbbb';

async function postsService(options: { desiredCount: number; breaker?: boolean }) {
  const setup = await albWithListener();
  const targetGroupArn = await createTargetGroup(setup.emulator, setup.vpcId, 'posts');
  await forwardRule(setup.emulator, setup.listenerArn, 1, '/api/posts*', targetGroupArn);
  const [good = '', bad = ''] = await clusterWithTaskDefinitions(setup.emulator, [GOOD, BAD]);
  await setup.clients.ecs.send(new CreateServiceCommand({
    cluster: 'demo', serviceName: 'posts', taskDefinition: good, desiredCount: options.desiredCount,
    loadBalancers: [{ targetGroupArn, containerName: 'posts', containerPort: 3000 }],
    deploymentConfiguration: options.breaker === true ? { deploymentCircuitBreaker: { enable: true, rollback: true } } : undefined,
  }));
  const describe = async () => (await setup.clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['posts'] }))).services?.[0];
  const health = async () => (await setup.clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? [];
  return { ...setup, targetGroupArn, good, bad, describe, health };
}

describe('ECS service rollout on virtual time', () => {
  it('converges to COMPLETED with healthy targets once tasks start and pass one health check (6 s interval + 5 s timeout)', async () => {
    const { emulator, describe, health } = await postsService({ desiredCount: 2 });
    expect((await describe())?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', pendingCount: 2, runningCount: 0 });

    emulator.advance(10_000);
    expect((await health()).map((entry) => entry.TargetHealth?.State)).toEqual(['initial', 'initial']);
    expect((await health())[0]?.Target?.Id).toMatch(/^i-0[0-9a-f]{16}$/);
    expect((await health())[0]?.Target?.Port).toBeGreaterThanOrEqual(32768);

    emulator.advance(10_999);
    expect((await describe())?.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
    emulator.advance(1);
    const service = await describe();
    expect(service).toMatchObject({ runningCount: 2, desiredCount: 2, pendingCount: 0 });
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', runningCount: 2, failedTasks: 0 });
    expect(service?.deployments?.[0]?.createdAt).toBeInstanceOf(Date);
    expect((await health()).map((entry) => entry.TargetHealth?.State)).toEqual(['healthy', 'healthy']);
  });

  it('replaces the old deployment only after the new tasks are healthy, then drains the old targets for the deregistration delay', async () => {
    const { emulator, clients, describe, health, good } = await postsService({ desiredCount: 1 });
    emulator.advance(22_000);
    const second = (await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: 'posts:1', forceNewDeployment: true }))).service;
    expect(second?.deployments?.map((deployment) => deployment.status)).toEqual(['PRIMARY', 'ACTIVE']);
    emulator.advance(22_000);
    expect((await health()).map((entry) => entry.TargetHealth?.State).sort()).toEqual(['draining', 'healthy']);
    // The old task is DEACTIVATING while its target drains: ECS no longer counts it as running.
    expect((await describe())?.runningCount).toBe(1);
    expect((await describe())?.deployments?.map((deployment) => deployment.status)).toEqual(['PRIMARY', 'ACTIVE']);
    emulator.advance(300_000);
    const service = await describe();
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ taskDefinition: good, rolloutState: 'COMPLETED', runningCount: 1 });
    expect(await health()).toHaveLength(1);
  });

  it('trips the circuit breaker on an unhealthy image and rolls back to the last completed task definition', async () => {
    const { emulator, clients, describe, health, good, bad } = await postsService({ desiredCount: 2, breaker: true });
    emulator.advance(30_000);
    emulator.markImageUnhealthy('sha256:bbbb');
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: bad }));

    // Tasks start after 10 s; their checks are answered 11 s and 17 s later: two failures make them unhealthy.
    emulator.advance(10_000 + 16_999);
    expect((await describe())?.deployments?.[0]).toMatchObject({ taskDefinition: bad, failedTasks: 0, rolloutState: 'IN_PROGRESS' });
    emulator.advance(1);
    expect((await describe())?.deployments?.[0]).toMatchObject({ taskDefinition: bad, failedTasks: 2, rolloutState: 'IN_PROGRESS' });
    emulator.advance(27_000);
    const failed = await describe();
    const byTaskDefinition = new Map(failed?.deployments?.map((deployment) => [deployment.taskDefinition, deployment]));
    expect(byTaskDefinition.get(bad)).toMatchObject({ status: 'ACTIVE', rolloutState: 'FAILED', failedTasks: 4 });
    expect(byTaskDefinition.get(bad)?.rolloutStateReason).toContain('circuit breaker');
    expect(failed?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', taskDefinition: good, rolloutState: 'IN_PROGRESS' });

    emulator.advance(600_000);
    const recovered = await describe();
    expect(recovered?.deployments).toHaveLength(1);
    expect(recovered?.deployments?.[0]).toMatchObject({ taskDefinition: good, rolloutState: 'COMPLETED', runningCount: 2 });
    expect((await health()).every((entry) => entry.TargetHealth?.State === 'healthy')).toBe(true);
  });

  it('drains the targets for the deregistration delay when scaled to 0; the tasks stop counting as running at once', async () => {
    const { emulator, clients, describe, health } = await postsService({ desiredCount: 2 });
    emulator.advance(22_000);
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', desiredCount: 0 }));
    expect((await health()).map((entry) => entry.TargetHealth?.State)).toEqual(['draining', 'draining']);
    expect((await describe())?.runningCount).toBe(0);
    emulator.advance(299_999);
    expect((await health()).map((entry) => entry.TargetHealth?.State)).toEqual(['draining', 'draining']);
    emulator.advance(1);
    expect((await describe())?.runningCount).toBe(0);
    expect(await health()).toEqual([]);
  });
});
