import { RegisterTargetsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { BAD, GOOD, groupInUse, serviceInGroup } from './health-fixtures';

// ELB user guide, "Health checks for Application Load Balancer target groups": "After your target is registered, it
// must pass one health check to be considered healthy"; HealthyThresholdCount consecutive successes put an unhealthy
// target back, UnhealthyThresholdCount consecutive failures take a target out. Checks go out every interval; the
// emulator sends the first one interval after registration and counts each answer at the check's timeout.
describe('ALB target health timing on virtual time', () => {
  it('makes a new target healthy after ONE passing check: interval + timeout after registration, whatever the healthy threshold', async () => {
    // Prepare: healthy threshold 5 x 10 s would be 50 s under a threshold rule
    const { emulator, clients, targetGroupArn, states } = await groupInUse({ intervalSeconds: 10, timeoutSeconds: 5, healthyThreshold: 5 });

    // Act
    await clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: [{ Id: 'i-0123456789abcdef0', Port: 80 }] }));

    // Assess
    expect(await states()).toEqual(['initial (Elb.RegistrationInProgress)']);
    emulator.advance(9_999);
    expect(await states()).toEqual(['initial (Elb.RegistrationInProgress)']);
    emulator.advance(1);
    expect(await states()).toEqual(['initial (Elb.InitialHealthChecking)']);
    emulator.advance(4_999);
    expect(await states()).toEqual(['initial (Elb.InitialHealthChecking)']);
    emulator.advance(1);
    expect(await states()).toEqual(['healthy']);
  });

  it('keeps a new target that fails its checks initial until unhealthyThreshold checks have failed in a row', async () => {
    // Prepare: a bad image; the grace period keeps ECS from replacing the task meanwhile
    const { emulator, states } = await serviceInGroup({ image: BAD, gracePeriodSeconds: 3600, unhealthyThreshold: 3 });

    // Act + Assess: the task starts at 10 s; checks are answered at 21, 27 and 33 s
    emulator.advance(20_999);
    expect(await states()).toEqual(['initial (Elb.InitialHealthChecking)']);
    emulator.advance(1 + 11_999);
    expect(await states()).toEqual(['initial (Elb.InitialHealthChecking)']);
    emulator.advance(1);
    expect(await states()).toEqual(['unhealthy (Target.ResponseCodeMismatch)']);
  });

  it('brings an unhealthy target back only after healthyThreshold passing checks in a row', async () => {
    // Prepare: the application answers 40 s after its task starts (at 50 s); healthy threshold 3
    const { emulator, states, describe } = await serviceInGroup({ slowStartSeconds: 40, gracePeriodSeconds: 120, healthyThreshold: 3 });

    // Act + Assess: answers at 21 and 27 s fail (unhealthy), 33-45 s fail, 51, 57 and 63 s pass
    emulator.advance(27_000);
    expect(await states()).toEqual(['unhealthy (Target.FailedHealthChecks)']);
    emulator.advance(35_999);
    expect(await states()).toEqual(['unhealthy (Target.FailedHealthChecks)']);
    emulator.advance(1);
    expect(await states()).toEqual(['healthy']);
    expect((await describe())?.deployments?.[0]).toMatchObject({ rolloutState: 'COMPLETED', failedTasks: 0 });
  });

  it('takes a healthy target out after unhealthyThreshold failed checks in a row', async () => {
    // Prepare: healthy at 21 s (task start 10 s + 6 s + 5 s)
    const { emulator, states } = await serviceInGroup({ image: GOOD, gracePeriodSeconds: 3600 });
    emulator.advance(30_000);
    expect(await states()).toEqual(['healthy']);

    // Act: from now on the image fails its checks (answered at 33 and 39 s)
    emulator.markImageUnhealthy('sha256:aaaa');

    // Assess
    emulator.advance(8_999);
    expect(await states()).toEqual(['healthy']);
    emulator.advance(1);
    expect(await states()).toEqual(['unhealthy (Target.ResponseCodeMismatch)']);
  });
});
