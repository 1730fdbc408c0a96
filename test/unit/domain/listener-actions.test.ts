import {
  groupStickiness, inOrder, routingAction, sameActions, stickyGroupOf, withForwardTargets, withRoutingAction,
} from '../../../lib/domain/listener-actions';
import type { RuleAction } from '../../../lib/domain/release';

const MONOLITH = 'tg/api';
const POSTS = 'tg/posts';

/** An authenticate-oidc action exactly as DescribeRules answers it (no ClientSecret). */
const OIDC: RuleAction = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
    TokenEndpoint: 'https://idp.example.com/oauth2/token',
    UserInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
    ClientId: 'client-1',
    SessionCookieName: 'AWSELBAuthSessionCookie',
    Scope: 'openid',
    SessionTimeout: 604800,
    OnUnauthenticatedRequest: 'authenticate',
  },
};
/** A single-group forward exactly as AWS answers it. */
const echoedForward = (arn: string, order = 2, stickiness: object = { Enabled: false }): RuleAction => ({
  Type: 'forward',
  TargetGroupArn: arn,
  Order: order,
  ForwardConfig: { TargetGroups: [{ TargetGroupArn: arn, Weight: 1 }], TargetGroupStickinessConfig: stickiness },
});
const FIXED_503: RuleAction = { Type: 'fixed-response', Order: 2, FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'gone' } };

describe('inOrder and routingAction', () => {
  it('orders by Order whatever the listing order, and finds the routing action last', () => {
    // Prepare
    const listed = [echoedForward(MONOLITH), OIDC];

    // Assess
    expect(inOrder(listed)).toEqual([OIDC, echoedForward(MONOLITH)]);
    expect(routingAction(listed)).toBe(listed[0]);
  });
});

describe('withForwardTargets', () => {
  it('changes only the forward’s groups and weights: the authentication action, every Order and the stickiness stay', () => {
    // Prepare
    const before = [OIDC, echoedForward(MONOLITH, 2, { Enabled: true, DurationSeconds: 600 })];

    // Act
    const after = withForwardTargets(before, [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }]);

    // Assess
    expect(after).toEqual([
      OIDC,
      {
        Type: 'forward',
        Order: 2,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: MONOLITH, Weight: 1 }, { TargetGroupArn: POSTS, Weight: 0 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 600 } },
      },
    ]);
    expect(before[1]).toEqual(echoedForward(MONOLITH, 2, { Enabled: true, DurationSeconds: 600 }));
  });

  it('turns a fixed-response routing action into a forward at its Order, behind the same authentication', () => {
    // Act
    const after = withForwardTargets([OIDC, FIXED_503], [{ targetGroupArn: POSTS, weight: 0 }]);

    // Assess
    expect(after).toEqual([OIDC, { Type: 'forward', Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: POSTS, Weight: 0 }] } }]);
  });

  it('enables group stickiness when a forward to several groups lists a sticky one', () => {
    // Act
    const after = withForwardTargets([echoedForward(MONOLITH, 1)], [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }], [{ targetGroupArn: MONOLITH, durationSeconds: 86400 }]);

    // Assess
    expect(routingAction(after)?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 86400 });
  });
});

describe('groupStickiness', () => {
  const two = [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }];

  it.each<[string, Parameters<typeof groupStickiness>, unknown]>([
    ['keeps an enabled config as it is', [two, { Enabled: true, DurationSeconds: 60 }, [{ targetGroupArn: MONOLITH, durationSeconds: 86400 }]], { Enabled: true, DurationSeconds: 60 }],
    ['enables it for the longest sticky group, at most 7 days', [two, { Enabled: false }, [{ targetGroupArn: MONOLITH, durationSeconds: 900000 }]], { Enabled: true, DurationSeconds: 604800 }],
    ['leaves a single-group forward alone', [[{ targetGroupArn: MONOLITH, weight: 1 }], undefined, [{ targetGroupArn: MONOLITH, durationSeconds: 60 }]], undefined],
    ['ignores sticky groups the forward does not list', [two, { Enabled: false }, [{ targetGroupArn: 'tg/other', durationSeconds: 60 }]], { Enabled: false }],
  ])('%s', (_case, args, expected) => {
    // Assess
    expect(groupStickiness(...args)).toEqual(expected);
  });

  it.each<[string, Record<string, string>, unknown]>([
    ['off', { 'stickiness.enabled': 'false' }, undefined],
    ['an lb_cookie', { 'stickiness.enabled': 'true', 'stickiness.type': 'lb_cookie', 'stickiness.lb_cookie.duration_seconds': '3600' }, { targetGroupArn: POSTS, durationSeconds: 3600 }],
    ['an app_cookie', { 'stickiness.enabled': 'true', 'stickiness.type': 'app_cookie', 'stickiness.app_cookie.duration_seconds': '120' }, { targetGroupArn: POSTS, durationSeconds: 120 }],
  ])('stickyGroupOf reads target stickiness: %s', (_case, attributes, expected) => {
    // Assess
    expect(stickyGroupOf(POSTS, attributes)).toEqual(expected);
  });
});

describe('withRoutingAction', () => {
  it('replaces the routing action at its Order and keeps the authentication action', () => {
    // Act
    const after = withRoutingAction([OIDC, echoedForward(MONOLITH)], { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } });

    // Assess
    expect(after).toEqual([OIDC, { Type: 'fixed-response', Order: 2, FixedResponseConfig: { StatusCode: '503' } }]);
  });
});

describe('sameActions', () => {
  const withoutAuth = [echoedForward(MONOLITH, 1)];
  const otherClient: RuleAction = { ...OIDC, AuthenticateOidcConfig: { ...OIDC.AuthenticateOidcConfig, ClientId: 'client-2' } as RuleAction['AuthenticateOidcConfig'] };
  const written: RuleAction = { ...OIDC, AuthenticateOidcConfig: { ...OIDC.AuthenticateOidcConfig, UseExistingClientSecret: true } as RuleAction['AuthenticateOidcConfig'] };

  it.each<[string, RuleAction[], RuleAction[], boolean]>([
    ['AWS’s answer and the single-group form the pipeline writes', withoutAuth, [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: MONOLITH }] } }], true],
    ['a list with and without its authentication action', [OIDC, echoedForward(MONOLITH)], withoutAuth, false],
    ['two OIDC configs for other clients', [OIDC, echoedForward(MONOLITH)], [otherClient, echoedForward(MONOLITH)], false],
    ['an action as read and as written back (UseExistingClientSecret)', [OIDC, echoedForward(MONOLITH)], [written, echoedForward(MONOLITH)], true],
    ['group stickiness on and off', [echoedForward(MONOLITH, 1, { Enabled: true, DurationSeconds: 60 })], withoutAuth, false],
    ['the same actions listed in another order', [echoedForward(MONOLITH), OIDC], [OIDC, echoedForward(MONOLITH)], true],
    ['redirects to other hosts', [{ Type: 'redirect', RedirectConfig: { Host: 'a.example.com', StatusCode: 'HTTP_301' } }], [{ Type: 'redirect', RedirectConfig: { Host: 'b.example.com', StatusCode: 'HTTP_301' } }], false],
  ])('%s → %s', (_case, left, right, expected) => {
    // Assess
    expect(sameActions(left, right)).toBe(expected);
  });
});
