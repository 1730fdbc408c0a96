/**
 * DescribeServiceDeployments and ListServiceDeployments (API reference) for every deployment ECS starts, rolling ones
 * included ("View service history using Amazon ECS service deployments": ECS creates a service deployment when a
 * service is created, updated with force new deployment, or updated in a property that requires a deployment).
 */
import { PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateServiceCommand, DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListServiceDeploymentsCommand, UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { albWithListener, clusterWithTaskDefinitions, createTargetGroup, forwardRule, rejection } from './fixtures';

const GOOD = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:aaaa';
const BAD = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:bbbb';
const START = Date.parse('2026-11-26T09:00:00Z');

async function rollingService() {
  const setup = await albWithListener();
  const targetGroupArn = await createTargetGroup(setup.emulator, setup.vpcId, 'posts');
  await forwardRule(setup.emulator, setup.listenerArn, 1, '/api/posts*', targetGroupArn);
  const [good = '', bad = ''] = await clusterWithTaskDefinitions(setup.emulator, [GOOD, BAD]);
  const { service } = await setup.clients.ecs.send(new CreateServiceCommand({
    cluster: 'demo', serviceName: 'posts', taskDefinition: good, desiredCount: 2,
    loadBalancers: [{ targetGroupArn, containerName: 'posts', containerPort: 3000 }],
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
  }));
  const describe = async (arns: string[]) => setup.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: arns }));
  const list = async (input: { status?: Array<'SUCCESSFUL' | 'ROLLBACK_SUCCESSFUL' | 'IN_PROGRESS'>; maxResults?: number; nextToken?: string } = {}) =>
    setup.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'posts', ...input }));
  return { ...setup, good, bad, created: service, describe, list };
}

describe('service deployments of rolling deployments', () => {
  it('records the creation as a deployment: IN_PROGRESS, then SUCCESSFUL at steady state, with the documented shape', async () => {
    const { emulator, created, describe } = await rollingService();
    const arn = created?.currentServiceDeployment ?? '';
    expect(arn).toMatch(/^arn:aws:ecs:us-east-1:123456789012:service-deployment\/demo\/posts\/[0-9a-z]{22}$/);
    const { serviceDeployments = [], failures } = await describe([arn]);
    expect(failures).toEqual([]);
    expect(serviceDeployments[0]).toEqual({
      serviceDeploymentArn: arn, serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/posts', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo',
      createdAt: new Date(START), startedAt: new Date(START), updatedAt: new Date(START), status: 'IN_PROGRESS',
      sourceServiceRevisions: [],
      targetServiceRevision: { arn: expect.stringMatching(/^arn:aws:ecs:us-east-1:123456789012:service-revision\/demo\/posts\/\d{19}$/), requestedTaskCount: 2, runningTaskCount: 0, pendingTaskCount: 2 },
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } },
      deploymentCircuitBreaker: { status: 'MONITORING', failureCount: 0, threshold: 3 },
      alarms: { status: 'DISABLED', alarmNames: [], triggeredAlarmNames: [] },
    });
    expect(serviceDeployments[0]?.lifecycleStage).toBeUndefined();

    // tasks start 10 s after the call and pass their first check 11 s later (ecs-rollout.test.ts)
    emulator.advance(20_999);
    expect((await describe([arn])).serviceDeployments?.[0]?.status).toBe('IN_PROGRESS');
    emulator.advance(1);
    expect((await describe([arn])).serviceDeployments?.[0]).toMatchObject({
      status: 'SUCCESSFUL', finishedAt: new Date(START + 21_000), targetServiceRevision: { runningTaskCount: 2, pendingTaskCount: 0 },
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE' }, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true } },
    });
  });

  it('follows a circuit-breaker rollback to ROLLBACK_SUCCESSFUL, back on the revision of the last completed deployment', async () => {
    const { emulator, clients, created, describe, list, bad } = await rollingService();
    emulator.advance(60_000);
    emulator.markImageUnhealthy('sha256:bbbb');
    const { service } = await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: bad }));
    const arn = service?.currentServiceDeployment ?? '';
    const first = (await describe([created?.currentServiceDeployment ?? ''])).serviceDeployments?.[0];
    expect((await describe([arn])).serviceDeployments?.[0]).toMatchObject({
      status: 'IN_PROGRESS', sourceServiceRevisions: [{ arn: first?.targetServiceRevision?.arn, requestedTaskCount: 2, runningTaskCount: 2 }],
    });

    emulator.advance(120_000);
    const rolledBack = (await describe([arn])).serviceDeployments?.[0];
    expect(rolledBack).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS', statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
      rollback: { reason: 'ECS deployment circuit breaker: tasks failed to start.', serviceRevisionArn: first?.targetServiceRevision?.arn },
      deploymentCircuitBreaker: { status: 'TRIGGERED', threshold: 3 },
    });
    expect(rolledBack?.deploymentCircuitBreaker?.failureCount).toBeGreaterThanOrEqual(3);
    emulator.advance(10 * 60_000);
    expect((await describe([arn])).serviceDeployments?.[0]?.status).toBe('ROLLBACK_SUCCESSFUL');

    const { serviceDeployments = [] } = await list();
    expect(serviceDeployments.map(({ serviceDeploymentArn, status }) => ({ serviceDeploymentArn, status }))).toEqual([
      { serviceDeploymentArn: arn, status: 'ROLLBACK_SUCCESSFUL' }, { serviceDeploymentArn: created?.currentServiceDeployment, status: 'SUCCESSFUL' },
    ]);
    expect(serviceDeployments[0]).toEqual({
      serviceDeploymentArn: arn, serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/posts', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/demo',
      createdAt: new Date(START + 60_000), startedAt: new Date(START + 60_000), finishedAt: expect.any(Date),
      targetServiceRevisionArn: rolledBack?.targetServiceRevision?.arn, status: 'ROLLBACK_SUCCESSFUL', statusReason: 'ECS deployment circuit breaker: tasks failed to start.',
    });
    expect((await list({ status: ['SUCCESSFUL'] })).serviceDeployments?.map(({ status }) => status)).toEqual(['SUCCESSFUL']);
  });

  it('pages ListServiceDeployments, reports unknown ARNs as MISSING and refuses bad requests', async () => {
    const { emulator, clients, describe, list, good } = await rollingService();
    for (let index = 0; index < 2; index += 1) {
      emulator.advance(60_000);
      await clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', taskDefinition: good, forceNewDeployment: true }));
    }
    const firstPage = await list({ maxResults: 2 });
    expect(firstPage.serviceDeployments).toHaveLength(2);
    const secondPage = await list({ maxResults: 2, nextToken: firstPage.nextToken });
    expect(secondPage.serviceDeployments).toHaveLength(1);
    expect(secondPage.nextToken).toBeUndefined();
    // The second update came while the first one's old tasks were still draining: it replaced it, which is STOPPED.
    const all = [...(firstPage.serviceDeployments ?? []), ...(secondPage.serviceDeployments ?? [])];
    expect(all.map(({ status, statusReason }) => ({ status, statusReason }))).toEqual([
      { status: 'IN_PROGRESS', statusReason: undefined },
      { status: 'STOPPED', statusReason: 'Service deployment stopped: a newer service deployment replaced it.' },
      { status: 'SUCCESSFUL', statusReason: 'Service deployment completed successfully.' },
    ]);

    const missing = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/posts/0000000000000000000000';
    expect(await describe([missing])).toMatchObject({ serviceDeployments: [], failures: [{ arn: missing, reason: 'MISSING' }] });
    expect((await rejection(describe([]))).name).toBe('InvalidParameterException');
    expect((await rejection(describe(Array.from({ length: 21 }, () => missing)))).name).toBe('InvalidParameterException');
    expect((await rejection(list({ maxResults: 101 }))).name).toBe('InvalidParameterException');
    expect((await rejection(clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'nope' })))).name).toBe('ServiceNotFoundException');
    expect((await rejection(clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: 'nope', service: 'posts' })))).name).toBe('ClusterNotFoundException');
  });

  // "How CloudWatch alarms detect Amazon ECS deployment failures": an alarm of the deployment in ALARM fails it; with
  // rollback, ECS rolls back to the last completed deployment. (The bake time ECS adds after a rolling deployment
  // with alarms is not modelled.)
  it('fails a rolling deployment whose alarm goes into ALARM and rolls it back', async () => {
    const { emulator, clients, listenerArn, loadBalancerArn, describe, bad, good } = await rollingService();
    emulator.advance(60_000);
    emulator.traffic.start({ streams: [{ listenerArn, path: '/api/posts', requestsPerSecond: 50 }] });
    emulator.traffic.markImageFaulty('sha256:bbbb', 1);
    await clients.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'posts-5xx', Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'LoadBalancer', Value: loadBalancerArn.split(':loadbalancer/')[1] }],
      Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
    }));
    const { service } = await clients.ecs.send(new UpdateServiceCommand({
      cluster: 'demo', service: 'posts', taskDefinition: bad, deploymentConfiguration: { alarms: { alarmNames: ['posts-5xx'], enable: true, rollback: true } },
    }));
    const arn = service?.currentServiceDeployment ?? '';
    expect((await describe([arn])).serviceDeployments?.[0]?.alarms).toEqual({ status: 'MONITORING', alarmNames: ['posts-5xx'], triggeredAlarmNames: [] });
    // the new tasks serve from 09:01:21 (the old ones drain): 39 s of 5xx in the 09:01 minute, evaluated at 09:02
    emulator.advance(60_000);
    expect((await describe([arn])).serviceDeployments?.[0]).toMatchObject({
      status: 'ROLLBACK_IN_PROGRESS', statusReason: 'ECS deployment alarms: posts-5xx in ALARM state.',
      alarms: { status: 'TRIGGERED', triggeredAlarmNames: ['posts-5xx'] }, rollback: { startedAt: new Date(START + 120_000) },
    });
    const described = (await clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['posts'] }))).services?.[0];
    expect(described?.deployments?.map(({ status, taskDefinition, rolloutState }) => ({ status, taskDefinition, rolloutState }))).toEqual([
      { status: 'PRIMARY', taskDefinition: good, rolloutState: 'IN_PROGRESS' }, { status: 'ACTIVE', taskDefinition: bad, rolloutState: 'FAILED' },
      { status: 'ACTIVE', taskDefinition: good, rolloutState: 'COMPLETED' },
    ]);
    emulator.advance(10 * 60_000);
    expect((await describe([arn])).serviceDeployments?.[0]?.status).toBe('ROLLBACK_SUCCESSFUL');
  });
});
