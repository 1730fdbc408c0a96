import {
  CreateRuleCommand, CreateTargetGroupCommand, DeleteRuleCommand, DeleteTargetGroupCommand, DescribeListenersCommand, DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2ServiceException, ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand, PriorityInUseException, SetRulePrioritiesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { albWithListener, createTargetGroup, forwardRule, rejection } from './fixtures';

describe('ELBv2 target groups', () => {
  it('returns the existing target group when created again with identical settings', async () => {
    const { emulator, vpcId } = await albWithListener();
    const first = await createTargetGroup(emulator, vpcId, 'posts');
    expect(await createTargetGroup(emulator, vpcId, 'posts')).toBe(first);
    expect(first).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/posts\/[0-9a-f]{16}$/);
  });

  it('throws DuplicateTargetGroupNameException when the name exists with different settings', async () => {
    const { emulator, clients, vpcId } = await albWithListener();
    await createTargetGroup(emulator, vpcId, 'posts');
    const error = await rejection(clients.elbv2.send(new CreateTargetGroupCommand({ Name: 'posts', Protocol: 'HTTP', Port: 8080, VpcId: vpcId })));
    expect(error.name).toBe('DuplicateTargetGroupNameException');
  });

  it.each([
    ['a name longer than 32 characters', { Name: 'x'.repeat(33) }],
    ['a name ending with a hyphen', { Name: 'posts-' }],
    ['an interval below 5', { HealthCheckIntervalSeconds: 4, HealthCheckTimeoutSeconds: 2 }],
    ['a timeout not smaller than the interval', { HealthCheckIntervalSeconds: 6, HealthCheckTimeoutSeconds: 6 }],
    ['a healthy threshold of 1', { HealthyThresholdCount: 1 }],
    ['an unhealthy threshold of 11', { UnhealthyThresholdCount: 11 }],
    ['a matcher outside 200-499', { Matcher: { HttpCode: '200-500' } }],
  ])('throws ValidationError for %s', async (_case, override) => {
    const { clients, vpcId } = await albWithListener();
    const error = await rejection(clients.elbv2.send(new CreateTargetGroupCommand({ Name: 'posts', Protocol: 'HTTP', Port: 80, VpcId: vpcId, ...override })));
    expect(error).toBeInstanceOf(ElasticLoadBalancingV2ServiceException);
    expect(error).toMatchObject({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  });

  it('rejects ModifyTargetGroup with a timeout equal to the interval, as AWS does (moto accepts it)', async () => {
    const { clients, monolithTargetGroupArn } = await albWithListener();
    const error = await rejection(clients.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: monolithTargetGroupArn, HealthCheckTimeoutSeconds: 6 })));
    expect(error.name).toBe('ValidationError');
  });

  it('throws TargetGroupNotFoundException when any requested name is missing', async () => {
    const { clients } = await albWithListener();
    const error = await rejection(clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: ['api', 'nope'] })));
    expect(error.name).toBe('TargetGroupNotFoundException');
  });

  it('lists the load balancers whose listener actions reference the group', async () => {
    const { clients, loadBalancerArn, monolithTargetGroupArn } = await albWithListener();
    const { TargetGroups } = await clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: loadBalancerArn }));
    expect(TargetGroups?.map((group) => [group.TargetGroupArn, group.LoadBalancerArns])).toEqual([[monolithTargetGroupArn, [loadBalancerArn]]]);
  });

  it('defaults the deregistration delay to 300 s and validates 0-3600', async () => {
    const { clients, monolithTargetGroupArn } = await albWithListener();
    const { Attributes } = await clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: monolithTargetGroupArn }));
    expect(Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '300' });
    const error = await rejection(clients.elbv2.send(new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: monolithTargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }],
    })));
    expect(error.name).toBe('ValidationError');
  });

  it('throws ResourceInUseException when deleting a group a listener action uses', async () => {
    const { clients, monolithTargetGroupArn } = await albWithListener();
    const error = await rejection(clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: monolithTargetGroupArn })));
    expect(error.name).toBe('ResourceInUseException');
  });
});

describe('ELBv2 rules', () => {
  it('throws PriorityInUseException (the SDK class) when the priority is taken on the listener', async () => {
    const { emulator, listenerArn, monolithTargetGroupArn } = await albWithListener();
    await forwardRule(emulator, listenerArn, 1, '/api/posts*', monolithTargetGroupArn);
    const error = await rejection(forwardRule(emulator, listenerArn, 1, '/api/users*', monolithTargetGroupArn));
    expect(error).toBeInstanceOf(PriorityInUseException);
    expect(error.name).toBe('PriorityInUseException');
  });

  it.each([
    ['a priority of 0', { Priority: 0 }],
    ['a priority above 50000', { Priority: 50001 }],
    ['six condition values', { Conditions: [{ Field: 'path-pattern', Values: ['/a', '/b', '/c', '/d', '/e', '/f'] }] }],
    ['a weight of 1000', { Actions: [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'TG', Weight: 1000 }] } }] }],
    ['a fixed response status of 302', { Actions: [{ Type: 'fixed-response' as const, FixedResponseConfig: { StatusCode: '302' } }] }],
  ])('throws ValidationError for %s', async (_case, override) => {
    const { clients, listenerArn, monolithTargetGroupArn } = await albWithListener();
    const input = {
      ListenerArn: listenerArn, Priority: 5, Conditions: [{ Field: 'path-pattern', Values: ['/x*'] }],
      Actions: [{ Type: 'forward' as const, TargetGroupArn: monolithTargetGroupArn }], ...override,
    };
    const actions = input.Actions.map((action) => JSON.parse(JSON.stringify(action).replace('"TG"', JSON.stringify(monolithTargetGroupArn))) as typeof action);
    const error = await rejection(clients.elbv2.send(new CreateRuleCommand({ ...input, Actions: actions })));
    expect(error.name).toBe('ValidationError');
  });

  it('throws ValidationError for more than 5 target groups in one forward action', async () => {
    const { emulator, clients, vpcId, listenerArn } = await albWithListener();
    const groups = [];
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) groups.push({ TargetGroupArn: await createTargetGroup(emulator, vpcId, name), Weight: 1 });
    const error = await rejection(clients.elbv2.send(new CreateRuleCommand({
      ListenerArn: listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/x'] }], Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: groups } }],
    })));
    expect(error.name).toBe('ValidationError');
  });

  it('throws TargetGroupNotFoundException and ListenerNotFoundException for unknown references', async () => {
    const { emulator, listenerArn, monolithTargetGroupArn } = await albWithListener();
    expect((await rejection(forwardRule(emulator, listenerArn, 2, '/x', `${monolithTargetGroupArn}0`))).name).toBe('TargetGroupNotFoundException');
    expect((await rejection(forwardRule(emulator, `${listenerArn}0`, 2, '/x', monolithTargetGroupArn))).name).toBe('ListenerNotFoundException');
  });

  it('throws TooManyRulesException for the 101st rule on a load balancer', async () => {
    const { emulator, listenerArn, monolithTargetGroupArn } = await albWithListener();
    for (let priority = 1; priority <= 100; priority += 1) await forwardRule(emulator, listenerArn, priority, `/p${priority}`, monolithTargetGroupArn);
    expect((await rejection(forwardRule(emulator, listenerArn, 101, '/p101', monolithTargetGroupArn))).name).toBe('TooManyRulesException');
  });

  it('describes rules in priority order followed by the default rule, echoing TargetGroupArn, Order and ForwardConfig', async () => {
    const { emulator, clients, listenerArn, monolithTargetGroupArn } = await albWithListener();
    await forwardRule(emulator, listenerArn, 99, '/api*', monolithTargetGroupArn);
    await forwardRule(emulator, listenerArn, 1, '/api/posts*', monolithTargetGroupArn);
    const { Rules = [] } = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect(Rules.map((rule) => [rule.Priority, rule.IsDefault])).toEqual([['1', false], ['99', false], ['default', true]]);
    expect(Rules[2]?.Actions?.[0]).toEqual({
      Type: 'forward', TargetGroupArn: monolithTargetGroupArn, Order: 1,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithTargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
    });
    expect(Rules[0]?.Conditions).toEqual([{ Field: 'path-pattern', Values: ['/api/posts*'], PathPatternConfig: { Values: ['/api/posts*'] } }]);
  });

  it('refuses to delete the default rule and reports unknown rule ARNs', async () => {
    const { clients, listenerArn } = await albWithListener();
    const { Rules = [] } = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    expect((await rejection(clients.elbv2.send(new DeleteRuleCommand({ RuleArn: Rules[0]?.RuleArn })))).name).toBe('OperationNotPermittedException');
    expect((await rejection(clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [`${listenerArn}/nope`] })))).name).toBe('RuleNotFoundException');
    expect((await rejection(clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [`${listenerArn}0`] })))).name).toBe('ListenerNotFoundException');
  });

  it('swaps rule priorities atomically with SetRulePriorities', async () => {
    const { emulator, clients, listenerArn, monolithTargetGroupArn } = await albWithListener();
    const first = await forwardRule(emulator, listenerArn, 1, '/a', monolithTargetGroupArn);
    const second = await forwardRule(emulator, listenerArn, 2, '/b', monolithTargetGroupArn);
    await clients.elbv2.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: first, Priority: 2 }, { RuleArn: second, Priority: 1 }] }));
    expect(emulator.snapshot().rules.map((rule) => [rule.arn, rule.priority])).toEqual([[second, 1], [first, 2]]);
  });
});
