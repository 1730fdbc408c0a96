import { DescribeServicesCommand, ECSServiceException } from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand, DescribeRulesCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2ServiceException, ModifyListenerCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { pathPatternMatches } from '../../../local/emulator/route';
import { albWithListener, createTargetGroup, forwardRule, rejection } from './fixtures';

describe('route()', () => {
  it.each([
    ['/api/posts*', '/api/posts/1', true],
    ['/api/posts*', '/API/posts', false],
    ['/api/?osts', '/api/posts', true],
    ['/api/?osts', '/api/osts', false],
    ['/api', '/api/posts', false],
  ])('path pattern %s matching %s is %s', (pattern, path, expected) => {
    expect(pathPatternMatches(pattern, path)).toBe(expected);
  });

  it('takes the matching rule with the lowest priority number, then falls back to the default action', async () => {
    const { emulator, vpcId, listenerArn, monolithTargetGroupArn } = await albWithListener();
    const posts = await createTargetGroup(emulator, vpcId, 'posts');
    await forwardRule(emulator, listenerArn, 99, '/api*', monolithTargetGroupArn);
    await forwardRule(emulator, listenerArn, 1, '/api/posts*', posts);
    expect(emulator.route(listenerArn, '/api/posts/7')).toEqual({ kind: 'forward', targetGroups: [{ arn: posts, name: 'posts', weight: 1, healthyTargets: 0 }] });
    expect(emulator.route(listenerArn, '/api/users')).toMatchObject({ kind: 'forward', targetGroups: [{ name: 'api' }] });
    expect(emulator.route(listenerArn, '/')).toMatchObject({ kind: 'forward', targetGroups: [{ arn: monolithTargetGroupArn }] });
  });

  it('reports weighted forwards and a fixed-response default action', async () => {
    const { emulator, clients, vpcId, listenerArn, monolithTargetGroupArn } = await albWithListener();
    const posts = await createTargetGroup(emulator, vpcId, 'posts');
    await clients.elbv2.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithTargetGroupArn, Weight: 100 }, { TargetGroupArn: posts, Weight: 0 }] } }],
    }));
    await clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }] }));
    expect(emulator.route(listenerArn, '/api/posts').kind).toBe('forward');
    expect(emulator.route(listenerArn, '/api/posts')).toMatchObject({ targetGroups: [{ weight: 100 }, { weight: 0 }] });
    expect(emulator.route(listenerArn, '/other')).toEqual({ kind: 'fixed-response', statusCode: 503 });
    const { Rules = [] } = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(Rules[0]?.Actions?.[0]?.TargetGroupArn).toBeUndefined();
  });
});

describe('fault injection', () => {
  it('throttles N times with the service throttling error, then succeeds, recording every call', async () => {
    const { emulator, clients } = await albWithListener();
    emulator.faults.add({ operation: 'DescribeTargetGroups', kind: 'throttle', times: 2 });
    const first = await rejection(clients.elbv2.send(new DescribeTargetGroupsCommand({})));
    expect(first).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
    expect(first).toMatchObject({ name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
    await rejection(clients.elbv2.send(new DescribeTargetGroupsCommand({})));
    await expect(clients.elbv2.send(new DescribeTargetGroupsCommand({}))).resolves.toMatchObject({ TargetGroups: [{ TargetGroupName: 'api' }] });
    expect(emulator.calls.filter((call) => call.operation === 'DescribeTargetGroups').map((call) => call.error)).toEqual(['Throttling', 'Throttling', undefined]);
  });

  it('fails permanently with AccessDeniedException on ECS until cleared', async () => {
    const { emulator, clients } = await albWithListener();
    emulator.faults.add({ operation: 'ecs:DescribeServices', kind: 'permanent' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await rejection(clients.ecs.send(new DescribeServicesCommand({ services: ['x'] })));
      expect(error).toBeInstanceOf(ECSServiceException);
      expect(error.name).toBe('AccessDeniedException');
    }
    emulator.faults.clear();
    expect((await rejection(clients.ecs.send(new DescribeServicesCommand({ services: ['x'] })))).name).toBe('ClusterNotFoundException');
  });

  it('never resolves a hanging call, and with applyFirst the mutation still happens', async () => {
    const { emulator, clients, listenerArn, monolithTargetGroupArn } = await albWithListener();
    emulator.faults.add({ operation: 'CreateRule', kind: 'hang', applyFirst: true, times: 1 });
    const call = clients.elbv2.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 3, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'forward', TargetGroupArn: monolithTargetGroupArn }],
    }));
    const marker = Symbol('still pending');
    const winner = await Promise.race([call, new Promise((resolve) => setImmediate(() => resolve(marker)))]);
    expect(winner).toBe(marker);
    expect(emulator.snapshot().rules.map((rule) => rule.priority)).toEqual([3]);
    expect((await rejection(forwardRule(emulator, listenerArn, 3, '/y', monolithTargetGroupArn))).name).toBe('PriorityInUseException');
  });

  it('fails loudly on an operation the emulator does not implement', async () => {
    const { emulator, clients } = await albWithListener();
    const { ListAttributesCommand } = await import('@aws-sdk/client-ecs');
    const error = await rejection(clients.ecs.send(new ListAttributesCommand({ targetType: 'container-instance' })));
    expect(error.message).toBe('emulator does not implement ecs:ListAttributes');
    expect(emulator.calls.at(-1)).toMatchObject({ service: 'ecs', operation: 'ListAttributes', mutating: false, error: 'Error' });
  });
});

describe('throttling buckets', () => {
  it('throttles ELBv2 Describe calls beyond the burst and refills on virtual time', async () => {
    const { emulator, clients } = await albWithListener({ throttling: { buckets: { 'elbv2:read': { burst: 3, refillPerSecond: 1 } } } });
    for (let call = 0; call < 3; call += 1) await clients.elbv2.send(new DescribeTargetGroupsCommand({}));
    expect((await rejection(clients.elbv2.send(new DescribeTargetGroupsCommand({})))).name).toBe('Throttling');
    emulator.advance(1_000);
    await expect(clients.elbv2.send(new DescribeTargetGroupsCommand({}))).resolves.toBeDefined();
    expect((await rejection(clients.elbv2.send(new DescribeTargetGroupsCommand({})))).name).toBe('Throttling');
    expect(emulator.calls.filter((call) => call.error === 'Throttling')).toHaveLength(2);
  });

  it('uses the ECS ThrottlingException code and leaves other families untouched', async () => {
    const { emulator, clients } = await albWithListener({ throttling: { buckets: { 'ecs:read': { burst: 1, refillPerSecond: 1 } } } });
    expect(emulator.calls.every((call) => call.error === undefined)).toBe(true);
    await rejection(clients.ecs.send(new DescribeServicesCommand({ services: ['x'] })));
    expect((await rejection(clients.ecs.send(new DescribeServicesCommand({ services: ['x'] })))).name).toBe('ThrottlingException');
  });
});
