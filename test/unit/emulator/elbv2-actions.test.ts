/**
 * The emulator's ELBv2 Action rules, as the API reference's "Action" and the ALB user guide state them: Order, one
 * routing action last, authentication only on HTTPS and never answered with its secret, redirects answered with their
 * defaults, and group stickiness wherever a forward lists a sticky group among others.
 */
import {
  CreateListenerCommand, CreateRuleCommand, DescribeListenersCommand, DescribeRulesCommand, ModifyListenerCommand, ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand, type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { albWithListener, createTargetGroup, rejection } from './fixtures';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const OIDC = {
  Issuer: 'https://idp.example.com',
  AuthorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
  TokenEndpoint: 'https://idp.example.com/oauth2/token',
  UserInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
  ClientId: 'client-1',
};
const oidc = (config: object = { ClientSecret: 's3cret' }): Action => ({ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...OIDC, ...config } });
const forwardAt = (order: number, targetGroupArn: string): Action => ({ Type: 'forward', Order: order, TargetGroupArn: targetGroupArn });

/** The tutorial's ALB plus an HTTPS :443 listener whose default action forwards to the monolith's group. */
async function httpsListener() {
  const alb = await albWithListener();
  const { Listeners } = await alb.clients.elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: alb.loadBalancerArn, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: CERTIFICATE }],
    DefaultActions: [oidc(), forwardAt(2, alb.monolithTargetGroupArn)],
  }));
  return { ...alb, httpsListenerArn: Listeners?.[0]?.ListenerArn ?? '' };
}

const createRule = (alb: { clients: Awaited<ReturnType<typeof albWithListener>>['clients'] }, listenerArn: string, actions: Action[], priority = 1) =>
  alb.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }], Actions: actions }));

describe('ELBv2 actions: order and composition', () => {
  it.each<[string, (group: string) => Action[], string]>([
    ['two actions without Order', (group) => [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }, { Type: 'forward', TargetGroupArn: group }], 'ValidationError'],
    ['an Order of 0', (group) => [{ ...forwardAt(0, group) }], 'ValidationError'],
    ['an Order above 50000', (group) => [{ ...forwardAt(50001, group) }], 'ValidationError'],
    ['two actions with the same Order', (group) => [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '503' } }, forwardAt(1, group)], 'ValidationError'],
    ['two routing actions', (group) => [{ Type: 'fixed-response', Order: 1, FixedResponseConfig: { StatusCode: '503' } }, forwardAt(2, group)], 'InvalidLoadBalancerActionException'],
    ['a routing action before an authentication action', (group) => [forwardAt(1, group), { ...oidc(), Order: 2 }], 'InvalidLoadBalancerActionException'],
  ])('refuses %s', async (_case, actions, error) => {
    // Prepare
    const alb = await httpsListener();

    // Act
    const outcome = await rejection(createRule(alb, alb.httpsListenerArn, actions(alb.monolithTargetGroupArn)));

    // Assess
    expect(outcome.name).toBe(error);
  });

  it('refuses an authentication action on an HTTP listener (ALB authenticates only on HTTPS)', async () => {
    // Prepare
    const alb = await albWithListener();

    // Act
    const outcome = await rejection(createRule(alb, alb.listenerArn, [oidc(), forwardAt(2, alb.monolithTargetGroupArn)]));

    // Assess
    expect(outcome.name).toBe('InvalidLoadBalancerActionException');
  });

  it('refuses an HTTPS listener without exactly one certificate', async () => {
    // Prepare
    const alb = await albWithListener();

    // Act
    const outcome = await rejection(alb.clients.elbv2.send(new CreateListenerCommand({
      LoadBalancerArn: alb.loadBalancerArn, Protocol: 'HTTPS', Port: 443, DefaultActions: [{ Type: 'forward', TargetGroupArn: alb.monolithTargetGroupArn }],
    })));

    // Assess
    expect(outcome.name).toBe('ValidationError');
  });

  it('answers actions in Order, every Order set, with the documented defaults and the listener certificate', async () => {
    // Prepare
    const alb = await httpsListener();

    // Act
    const { Listeners } = await alb.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [alb.httpsListenerArn] }));

    // Assess
    expect(Listeners?.[0]).toMatchObject({ Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: CERTIFICATE }], SslPolicy: 'ELBSecurityPolicy-2016-08' });
    expect(Listeners?.[0]?.DefaultActions).toEqual([
      {
        Type: 'authenticate-oidc',
        Order: 1,
        AuthenticateOidcConfig: { ...OIDC, SessionCookieName: 'AWSELBAuthSessionCookie', Scope: 'openid', SessionTimeout: 604800, OnUnauthenticatedRequest: 'authenticate' },
      },
      {
        Type: 'forward',
        Order: 2,
        TargetGroupArn: alb.monolithTargetGroupArn,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
      },
    ]);
  });

  it('answers a redirect with the components it leaves alone as #{...} keywords, and refuses one that changes nothing', async () => {
    // Prepare
    const alb = await albWithListener();

    // Act
    const created = await createRule(alb, alb.listenerArn, [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }]);
    const loop = await rejection(createRule(alb, alb.listenerArn, [{ Type: 'redirect', RedirectConfig: { Query: 'a=1', StatusCode: 'HTTP_302' } }], 2));

    // Assess
    expect(created.Rules?.[0]?.Actions).toEqual([
      { Type: 'redirect', Order: 1, RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } },
    ]);
    expect(loop.name).toBe('InvalidLoadBalancerActionException');
  });
});

describe('ELBv2 actions: the OIDC client secret', () => {
  it('never answers the secret, and keeps it when a write says UseExistingClientSecret', async () => {
    // Prepare
    const alb = await httpsListener();
    const rule = await createRule(alb, alb.httpsListenerArn, [oidc(), forwardAt(2, alb.monolithTargetGroupArn)]);
    const ruleArn = rule.Rules?.[0]?.RuleArn ?? '';
    const described = (await alb.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }))).Rules?.[0]?.Actions ?? [];

    // Act: write back exactly what was read, as the pipeline's adapter does
    const rewritten = described.map((action) => (action.AuthenticateOidcConfig ? { ...action, AuthenticateOidcConfig: { ...action.AuthenticateOidcConfig, UseExistingClientSecret: true } } : action));
    const modified = await alb.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: rewritten }));

    // Assess
    expect(JSON.stringify(rule.Rules)).not.toContain('s3cret');
    expect(described[0]?.AuthenticateOidcConfig).not.toHaveProperty('ClientSecret');
    expect(modified.Rules?.[0]?.Actions).toEqual(described);
  });

  it.each<[string, object]>([
    ['neither a secret nor UseExistingClientSecret', {}],
    ['a secret and UseExistingClientSecret at once', { ClientSecret: 'x', UseExistingClientSecret: true }],
  ])('refuses a write with %s (InvalidLoadBalancerAction)', async (_case, config) => {
    // Prepare
    const alb = await httpsListener();

    // Act
    const outcome = await rejection(alb.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: alb.httpsListenerArn, DefaultActions: [oidc(config), forwardAt(2, alb.monolithTargetGroupArn)] })));

    // Assess
    expect(outcome.name).toBe('InvalidLoadBalancerActionException');
  });

  it('refuses UseExistingClientSecret on a new rule: there is no secret to keep', async () => {
    // Prepare
    const alb = await httpsListener();

    // Act
    const outcome = await rejection(createRule(alb, alb.httpsListenerArn, [oidc({ UseExistingClientSecret: true }), forwardAt(2, alb.monolithTargetGroupArn)]));

    // Assess
    expect(outcome.name).toBe('InvalidLoadBalancerActionException');
  });
});

describe('ELBv2 actions: group stickiness', () => {
  async function stickyMonolith() {
    const alb = await albWithListener();
    await alb.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: alb.monolithTargetGroupArn, Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] }));
    const postsArn = await createTargetGroup(alb.emulator, alb.vpcId, 'posts');
    const weighted = (stickiness?: object): Action[] => [{
      Type: 'forward',
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1 }, { TargetGroupArn: postsArn, Weight: 0 }], ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}) },
    }];
    return { ...alb, postsArn, weighted };
  }

  it('refuses a forward to several groups with a sticky one unless group stickiness is on (InvalidConfigurationRequest)', async () => {
    // Prepare
    const alb = await stickyMonolith();

    // Act
    const outcome = await rejection(createRule(alb, alb.listenerArn, alb.weighted()));
    const created = await createRule(alb, alb.listenerArn, alb.weighted({ Enabled: true, DurationSeconds: 3600 }));

    // Assess
    expect(outcome.name).toBe('InvalidConfigurationRequestException');
    expect(created.Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 3600 });
  });

  it('requires a duration of 1-604800 s when group stickiness is on', async () => {
    // Prepare
    const alb = await stickyMonolith();

    // Act
    const outcome = await rejection(createRule(alb, alb.listenerArn, alb.weighted({ Enabled: true })));

    // Assess
    expect(outcome.name).toBe('ValidationError');
    expect(outcome.message).toBe('Target group stickiness duration must be between 1 and 604800 seconds');
  });

  it('refuses target stickiness on a group behind a multi-group forward without group stickiness', async () => {
    // Prepare
    const alb = await albWithListener();
    const postsArn = await createTargetGroup(alb.emulator, alb.vpcId, 'posts');
    await createRule(alb, alb.listenerArn, [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1 }, { TargetGroupArn: postsArn, Weight: 0 }] } }]);

    // Act
    const outcome = await rejection(alb.clients.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: postsArn, Attributes: [{ Key: 'stickiness.enabled', Value: 'true' }] })));

    // Assess
    expect(outcome.name).toBe('InvalidConfigurationRequestException');
  });
});
