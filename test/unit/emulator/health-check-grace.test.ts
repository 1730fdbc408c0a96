import { CreateServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { MANUAL_CLOCK_START } from '../../../local/emulator';
import { rejection } from './fixtures';
import { BAD, serviceInGroup } from './health-fixtures';

// ECS API reference, CreateService healthCheckGracePeriodSeconds: "the period of time, in seconds, that the Amazon ECS
// service scheduler ignores unhealthy Elastic Load Balancing ... health checks after a task has first started".
describe('ECS health check grace period on virtual time', () => {
  it('does not replace a task failing its health checks during the grace period; replaces it when the period ends', async () => {
    // Prepare: the task starts at 10 s and is unhealthy at 27 s (answers at 21 and 27 s); its grace runs to 70 s
    const { emulator, describe, states } = await serviceInGroup({ image: BAD, gracePeriodSeconds: 60 });

    // Act + Assess
    emulator.advance(69_999);
    expect(await states()).toEqual(['unhealthy (Target.ResponseCodeMismatch)']);
    expect(await describe()).toMatchObject({ runningCount: 1, deployments: [{ failedTasks: 0, rolloutState: 'IN_PROGRESS' }] });
    emulator.advance(1);
    expect((await describe())?.deployments?.[0]?.failedTasks).toBe(1);
    expect(await states()).toEqual(['draining (Target.DeregistrationInProgress)']);
  });

  it('replaces the task the moment its grace period ends, even when nothing calls ECS meanwhile', async () => {
    // Prepare
    const { emulator, describe } = await serviceInGroup({ image: BAD, gracePeriodSeconds: 60 });

    // Act: one long stretch of time, no call in between
    emulator.advance(10 * 60_000);

    // Assess: the first replacement happened at 70 s (task start 10 s + 60 s of grace); the third failed the deployment
    const events = (await describe())?.events ?? [];
    const firstFailure = events.filter((event) => event.message?.includes('failed ELB health checks')).at(-1);
    expect(firstFailure?.createdAt).toEqual(new Date(MANUAL_CLOCK_START + 70_000));
  });

  it.each<[string, number | undefined, object]>([
    ['with a 60 s grace period, waits for a task that answers after 40 s: COMPLETED, no failed task', 60, { rolloutState: 'COMPLETED', failedTasks: 0, runningCount: 1 }],
    ['without one, replaces it until the circuit breaker fails the deployment', undefined, { rolloutState: 'FAILED', failedTasks: 3 }],
  ])('%s', async (_case, gracePeriodSeconds, outcome) => {
    // Prepare
    const { emulator, describe } = await serviceInGroup({ slowStartSeconds: 40, gracePeriodSeconds, breaker: true });

    // Act
    emulator.advance(10 * 60_000);

    // Assess
    expect((await describe())?.deployments?.[0]).toMatchObject(outcome);
  });

  it('reports the grace period and changes it with UpdateService, which starts no deployment', async () => {
    // Prepare
    const { clients, describe } = await serviceInGroup({ gracePeriodSeconds: 60 });
    expect((await describe())?.healthCheckGracePeriodSeconds).toBe(60);

    // Act
    await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', healthCheckGracePeriodSeconds: 300 }));

    // Assess
    const service = await describe();
    expect(service?.healthCheckGracePeriodSeconds).toBe(300);
    expect(service?.deployments).toHaveLength(1);
  });

  it.each([-1, 2_147_483_648, 1.5])('rejects a grace period of %d with InvalidParameterException (0-2147483647)', async (seconds) => {
    // Prepare
    const { clients, good, targetGroupArn } = await serviceInGroup({});

    // Act
    const onUpdate = await rejection(clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', healthCheckGracePeriodSeconds: seconds })));
    const onCreate = await rejection(clients.ecs.send(new CreateServiceCommand({
      cluster: 'demo', serviceName: 'other', taskDefinition: good, desiredCount: 1, healthCheckGracePeriodSeconds: seconds,
      loadBalancers: [{ targetGroupArn, containerName: 'posts', containerPort: 3000 }],
    })));

    // Assess
    expect([onUpdate.name, onCreate.name]).toEqual(['InvalidParameterException', 'InvalidParameterException']);
  });
});
