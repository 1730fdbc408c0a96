import { assertServiceRuleCreatable, planServiceRule, planShiftTraffic, ruleIsLive } from '../../../lib/domain/listener-rule-plan';
import { parseManifest } from '../../../lib/domain/catalog';
import type { RuleAction } from '../../../lib/domain/release';
import { forwardTo, type ObservedRule } from '../../../lib/domain/routing';
import { ClientSecretUnavailableError, PriorityConflictError } from '../../../lib/errors';

const MONOLITH = 'tg/api';
const POSTS = 'tg/posts';
const posts = parseManifest({ file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 } });
const toGroup = (arn: string): RuleAction[] => [{ Type: 'forward', TargetGroupArn: arn }];
const rule = (ruleArn: string, priority: number | 'default', paths: string[], actions: RuleAction[], otherConditions = false): ObservedRule => ({
  ruleArn,
  priority,
  paths,
  otherConditions,
  actions,
});
const monolithRules = [rule('r99', 99, ['/api*'], toGroup(MONOLITH)), rule('default', 'default', [], toGroup(MONOLITH))];
const rolling = forwardTo([{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }]);
const live = forwardTo([{ targetGroupArn: POSTS, weight: 1 }]);

describe('planServiceRule', () => {
  it.each<[string, ObservedRule[], unknown]>([
    ['creates the rule with today’s target at weight 1 and the new group at weight 0', monolithRules, { kind: 'create', actions: rolling }],
    ['falls back to the default action when no broader rule matches', [rule('default', 'default', [], toGroup('tg/default'))], {
      kind: 'create',
      actions: forwardTo([{ targetGroupArn: 'tg/default', weight: 1 }, { targetGroupArn: POSTS, weight: 0 }]),
    }],
    ['creates a rule with only the new group when nothing answers today', [rule('default', 'default', [], [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }])], {
      kind: 'create',
      actions: forwardTo([{ targetGroupArn: POSTS, weight: 0 }]),
    }],
    ['changes nothing when the rule is already live on the group', [rule('r1', 1, ['/api/posts*'], live), ...monolithRules], { kind: 'none', ruleArn: 'r1' }],
    ['changes nothing when the rule already carries the group at weight 0', [rule('r1', 1, ['/api/posts*'], rolling), ...monolithRules], { kind: 'none', ruleArn: 'r1' }],
    ['modifies a rule for the same paths that points at another group', [rule('r1', 1, ['/api/posts*'], toGroup('tg/posts-old')), ...monolithRules], {
      kind: 'modify',
      ruleArn: 'r1',
      actions: rolling,
    }],
  ])('%s', (_case, rules, expected) => {
    // Act
    const plan = planServiceRule(posts, rules, POSTS);

    // Assess
    expect(plan).toEqual(expected);
  });

  it.each([
    ['another path', rule('r1', 1, ['/api/comments*'], toGroup('tg/comments'))],
    ['the same path plus a host condition', rule('r1', 1, ['/api/posts*'], toGroup(POSTS), true)],
    ['an extra path', rule('r1', 1, ['/api/posts*', '/api/extra*'], toGroup(POSTS))],
  ])('throws PriorityConflictError when the priority is held by a rule with %s', (_case, taken) => {
    // Act
    const plan = () => planServiceRule(posts, [taken, ...monolithRules], POSTS);

    // Assess
    expect(plan).toThrow(PriorityConflictError);
    expect(plan).toThrow(/^ensure rule \/api\/posts\* for posts: priority 1 is taken by rule r1/);
  });
});

describe('planShiftTraffic', () => {
  it.each<[string, ObservedRule[], unknown]>([
    ['modifies the rolling rule to send everything to the group', [rule('r1', 1, ['/api/posts*'], rolling), ...monolithRules], { kind: 'modify', ruleArn: 'r1', actions: live }],
    ['creates the rule when it is missing', monolithRules, { kind: 'create', actions: live }],
    ['changes nothing when the rule is already live', [rule('r1', 1, ['/api/posts*'], toGroup(POSTS)), ...monolithRules], { kind: 'none', ruleArn: 'r1' }],
  ])('%s', (_case, rules, expected) => {
    // Act
    const plan = planShiftTraffic(posts, rules, POSTS);

    // Assess
    expect(plan).toEqual(expected);
  });

  it('throws PriorityConflictError when another path holds the priority', () => {
    // Assess
    expect(() => planShiftTraffic(posts, [rule('r1', 1, ['/other*'], toGroup('tg/other'))], POSTS)).toThrow(PriorityConflictError);
  });
});

describe('ruleIsLive', () => {
  it.each<[string, ObservedRule[], boolean]>([
    ['all weight on the group', [rule('r1', 1, ['/api/posts*'], live)], true],
    ['the group plus a weight-0 leftover', [rule('r1', 1, ['/api/posts*'], forwardTo([{ targetGroupArn: POSTS, weight: 1 }, { targetGroupArn: MONOLITH, weight: 0 }]))], true],
    ['still rolling (group at weight 0)', [rule('r1', 1, ['/api/posts*'], rolling)], false],
    ['shared with the monolith', [rule('r1', 1, ['/api/posts*'], forwardTo([{ targetGroupArn: POSTS, weight: 1 }, { targetGroupArn: MONOLITH, weight: 1 }]))], false],
    ['no rule at the priority', monolithRules, false],
    ['a rule for other paths at the priority', [rule('r1', 1, ['/other*'], live)], false],
    ['a rule that answers 503', [rule('r1', 1, ['/api/posts*'], [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }])], false],
  ])('%s → %s', (_case, rules, expected) => {
    // Assess
    expect(ruleIsLive(posts, rules, POSTS)).toBe(expected);
  });
});

describe('rules behind authentication, and group stickiness', () => {
  const OIDC: RuleAction = {
    Type: 'authenticate-oidc',
    Order: 1,
    AuthenticateOidcConfig: {
      Issuer: 'https://idp.example.com',
      AuthorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
      TokenEndpoint: 'https://idp.example.com/oauth2/token',
      UserInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
      ClientId: 'client-1',
      OnUnauthenticatedRequest: 'authenticate',
    },
  };
  const COGNITO: RuleAction = {
    Type: 'authenticate-cognito',
    Order: 1,
    AuthenticateCognitoConfig: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc', UserPoolClientId: 'app', UserPoolDomain: 'login' },
  };
  const forwardAt = (order: number, targets: { targetGroupArn: string; weight: number }[], stickiness?: object): RuleAction => ({
    Type: 'forward',
    Order: order,
    ForwardConfig: { TargetGroups: targets.map((t) => ({ TargetGroupArn: t.targetGroupArn, Weight: t.weight })), ...(stickiness ? { TargetGroupStickinessConfig: stickiness } : {}) },
  });
  const behind = (auth: RuleAction) => [
    rule('r99', 99, ['/api*'], [auth, forwardAt(2, [{ targetGroupArn: MONOLITH, weight: 1 }])]),
    rule('default', 'default', [], [auth, forwardAt(2, [{ targetGroupArn: MONOLITH, weight: 1 }])]),
  ];
  const rollingTargets = [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }];

  it('creates the rule with the authentication of the rule it takes over from, in place, then the forward', () => {
    // Act
    const plan = planServiceRule(posts, behind(COGNITO), POSTS);

    // Assess
    expect(plan).toEqual({ kind: 'create', actions: [COGNITO, forwardAt(2, rollingTargets)] });
  });

  it('throws ClientSecretUnavailableError instead of creating a rule that needs an OIDC client secret', () => {
    // Act
    const plan = () => planServiceRule(posts, behind(OIDC), POSTS);

    // Assess
    expect(plan).toThrow(ClientSecretUnavailableError);
    expect(plan).toThrow(/^ensure rule \/api\/posts\* for posts: \/api\/posts\* are served by rule r99 at priority 99, which authenticates with authenticate-oidc \(issuer https:\/\/idp\.example\.com, client client-1\)/);
    expect(() => assertServiceRuleCreatable(posts, behind(OIDC))).toThrow(/nothing was changed$/);
  });

  it('modifies a rule made by hand behind OIDC: only its forward changes (no secret needed)', () => {
    // Prepare
    const byHand = rule('r1', 1, ['/api/posts*'], [OIDC, forwardAt(2, [{ targetGroupArn: MONOLITH, weight: 1 }])]);

    // Act
    const rolling = planServiceRule(posts, [byHand, ...behind(OIDC)], POSTS);
    const shifted = planShiftTraffic(posts, [{ ...byHand, actions: [OIDC, forwardAt(2, rollingTargets)] }, ...behind(OIDC)], POSTS);

    // Assess
    expect(() => assertServiceRuleCreatable(posts, [byHand, ...behind(OIDC)])).not.toThrow();
    expect(rolling).toEqual({ kind: 'modify', ruleArn: 'r1', actions: [OIDC, forwardAt(2, rollingTargets)] });
    expect(shifted).toEqual({ kind: 'modify', ruleArn: 'r1', actions: [OIDC, forwardAt(2, [{ targetGroupArn: POSTS, weight: 1 }])] });
  });

  it('forwards to the new group alone, behind the same authentication, where a fixed response answers today', () => {
    // Prepare
    const dropped = [rule('default', 'default', [], [COGNITO, { Type: 'fixed-response', Order: 2, FixedResponseConfig: { StatusCode: '503' } }])];

    // Act
    const plan = planServiceRule(posts, dropped, POSTS);

    // Assess
    expect(plan).toEqual({ kind: 'create', actions: [COGNITO, forwardAt(2, [{ targetGroupArn: POSTS, weight: 0 }])] });
  });

  it('enables group stickiness when the monolith’s group is sticky, and keeps it at the shift', () => {
    // Prepare
    const sticky = [{ targetGroupArn: MONOLITH, durationSeconds: 86400 }];

    // Act
    const plan = planServiceRule(posts, monolithRules, POSTS, sticky);
    const created = plan.kind === 'create' ? plan.actions : [];
    const shift = planShiftTraffic(posts, [rule('r1', 1, ['/api/posts*'], created), ...monolithRules], POSTS, sticky);

    // Assess
    expect(created).toEqual([{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: MONOLITH, Weight: 1 }, { TargetGroupArn: POSTS, Weight: 0 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 86400 } } }]);
    expect(shift).toEqual({
      kind: 'modify',
      ruleArn: 'r1',
      actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: POSTS, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 86400 } } }],
    });
  });
});
