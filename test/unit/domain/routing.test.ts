import { dropTrafficActions, planDropMonolithTraffic } from '../../../lib/domain/cutover-plan';
import type { RuleAction } from '../../../lib/domain/release';
import { actionsForPath, forwardTargets, forwardTo, pathPatternMatches, representativePath, sameActions, type ObservedRule } from '../../../lib/domain/routing';

const MONOLITH = 'tg/api';
const POSTS = 'tg/posts';
const toGroup = (arn: string): RuleAction[] => [{ Type: 'forward', TargetGroupArn: arn }];
const rule = (ruleArn: string, priority: number | 'default', paths: string[], actions: RuleAction[], otherConditions = false): ObservedRule => ({
  ruleArn,
  priority,
  paths,
  otherConditions,
  actions,
});

describe('pathPatternMatches', () => {
  it.each([
    ['/api*', '/api', true],
    ['/api*', '/api/posts/1', true],
    ['/api/posts*', '/api/posts', true],
    ['/api/posts*', '/api/users', false],
    ['/api/posts*', '/API/posts', false],
    ['/api/?', '/api/1', true],
    ['/api/?', '/api/12', false],
    ['/a.b', '/aXb', false],
    ['/a.b', '/a.b', true],
    ['/v1/*/items', '/v1/x/y/items', true],
    ['/api(1)', '/api(1)', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    // Act
    const matches = pathPatternMatches(pattern, path);

    // Assess
    expect(matches).toBe(expected);
  });
});

describe('representativePath', () => {
  it.each([
    ['/api/posts*', '/api/posts'],
    ['/api/?x', '/api/'],
    ['*', '/'],
    ['/exact', '/exact'],
  ])('stands %s for %s', (pattern, expected) => {
    // Assess
    expect(representativePath(pattern)).toBe(expected);
  });
});

describe('actionsForPath', () => {
  const rules = [
    rule('default', 'default', [], toGroup(MONOLITH)),
    rule('r99', 99, ['/api*'], toGroup('tg/api-rule')),
    rule('r1', 1, ['/api/posts*'], toGroup(POSTS)),
    rule('r0', 0.5, ['/api/posts/admin*'], toGroup('tg/admin'), true),
  ];

  it.each([
    ['the lowest-numbered matching rule wins', '/api/posts/1', 'tg/posts'],
    ['a broader rule catches the rest', '/api/users', 'tg/api-rule'],
    ['rules with other conditions (host, header) are not assumed to match', '/api/posts/admin', 'tg/posts'],
    ['the default catches what no rule matches', '/health', 'tg/api'],
  ])('%s', (_case, path, expected) => {
    // Act
    const actions = actionsForPath(rules, path);

    // Assess
    expect(forwardTargets(actions)).toEqual([{ targetGroupArn: expected, weight: 1 }]);
  });

  it('answers no action without a default rule', () => {
    // Assess
    expect(actionsForPath([rule('r1', 1, ['/a*'], toGroup(POSTS))], '/b')).toEqual([]);
  });
});

describe('forwardTargets and sameActions', () => {
  it.each<[string, RuleAction[], { targetGroupArn: string; weight: number }[]]>([
    ['a plain TargetGroupArn counts as weight 1', toGroup(POSTS), [{ targetGroupArn: POSTS, weight: 1 }]],
    ['a weighted group without Weight counts as 1', [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: POSTS }] } }], [{ targetGroupArn: POSTS, weight: 1 }]],
    ['weight 0 is kept', forwardTo([{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }]), [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }]],
    ['a fixed response forwards nowhere', dropTrafficActions('fixed-response'), []],
  ])('forwardTargets: %s', (_case, actions, expected) => {
    // Assess
    expect(forwardTargets(actions)).toEqual(expected);
  });

  it.each<[string, RuleAction[], RuleAction[], boolean]>([
    ['plain and weighted forms of one group', toGroup(POSTS), forwardTo([{ targetGroupArn: POSTS, weight: 1 }]), true],
    ['the same groups in another order', forwardTo([{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }]), forwardTo([{ targetGroupArn: POSTS, weight: 0 }, { targetGroupArn: MONOLITH, weight: 1 }]), true],
    ['other weights', forwardTo([{ targetGroupArn: POSTS, weight: 0 }]), forwardTo([{ targetGroupArn: POSTS, weight: 1 }]), false],
    ['a forward and a fixed response', toGroup(POSTS), dropTrafficActions('fixed-response'), false],
    ['two equal fixed responses', dropTrafficActions('fixed-response'), dropTrafficActions('fixed-response'), true],
  ])('sameActions: %s → %s', (_case, left, right, expected) => {
    // Assess
    expect(sameActions(left, right)).toBe(expected);
  });
});

describe('planDropMonolithTraffic', () => {
  const drop = dropTrafficActions('fixed-response');

  it('turns the default action and the /api* rule into 503s and leaves the microservice rules alone', () => {
    // Prepare
    const rules = [rule('r1', 1, ['/api/posts*'], toGroup(POSTS)), rule('r99', 99, ['/api*'], toGroup(MONOLITH)), rule('default', 'default', [], toGroup(MONOLITH))];

    // Act
    const plan = planDropMonolithTraffic(rules, MONOLITH, drop);

    // Assess
    expect(plan).toEqual([
      { ruleArn: 'r99', isDefault: false, priority: 99, before: toGroup(MONOLITH), after: drop },
      { ruleArn: 'default', isDefault: true, priority: 'default', before: toGroup(MONOLITH), after: drop },
    ]);
    expect(drop).toEqual([
      { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Service Unavailable: this path was served by the retired monolith' } },
    ]);
  });

  it.each<[string, { targetGroupArn: string; weight: number }[], RuleAction[]]>([
    ['keeps the other weighted targets', [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 2 }], forwardTo([{ targetGroupArn: POSTS, weight: 2 }])],
    ['drops when the others have weight 0', [{ targetGroupArn: MONOLITH, weight: 1 }, { targetGroupArn: POSTS, weight: 0 }], dropTrafficActions('fixed-response')],
  ])('for a weighted rule it %s', (_case, targets, after) => {
    // Act
    const plan = planDropMonolithTraffic([rule('r5', 5, ['/x*'], forwardTo(targets))], MONOLITH, drop);

    // Assess
    expect(plan.map((change) => change.after)).toEqual([after]);
  });

  it('plans nothing once nothing forwards to the monolith', () => {
    // Act
    const plan = planDropMonolithTraffic([rule('r99', 99, ['/api*'], drop), rule('default', 'default', [], drop)], MONOLITH, drop);

    // Assess
    expect(plan).toEqual([]);
  });

  it('forwards to the drop-traffic group in drop-target-group mode, and falls back to 503 without its ARN', () => {
    // Assess
    expect(dropTrafficActions('drop-target-group', 'tg/drop')).toEqual(forwardTo([{ targetGroupArn: 'tg/drop', weight: 1 }]));
    expect(dropTrafficActions('drop-target-group')).toEqual(dropTrafficActions('fixed-response'));
  });
});

describe('planDropMonolithTraffic behind authentication', () => {
  const drop = dropTrafficActions('fixed-response');
  const COGNITO: RuleAction = {
    Type: 'authenticate-cognito',
    Order: 1,
    AuthenticateCognitoConfig: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc', UserPoolClientId: 'app', UserPoolDomain: 'login' },
  };
  const forwardAt = (order: number, groups: { TargetGroupArn: string; Weight: number }[], stickiness: object = { Enabled: false }): RuleAction => ({
    Type: 'forward',
    Order: order,
    ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: stickiness },
  });

  it('keeps the authentication action and its Order, and answers 503 after it; records `before` exactly as read', () => {
    // Prepare
    const before = [COGNITO, forwardAt(2, [{ TargetGroupArn: MONOLITH, Weight: 1 }])];

    // Act
    const [change] = planDropMonolithTraffic([rule('default', 'default', [], before)], MONOLITH, drop);

    // Assess
    expect(change?.after).toEqual([COGNITO, { ...drop[0], Order: 2 }]);
    expect(change?.before).toEqual(before);
    expect(change?.before).not.toBe(before);
  });

  it('keeps the group stickiness of a forward that still has other groups', () => {
    // Prepare
    const sticky = { Enabled: true, DurationSeconds: 3600 };
    const before = [COGNITO, forwardAt(2, [{ TargetGroupArn: MONOLITH, Weight: 1 }, { TargetGroupArn: POSTS, Weight: 1 }], sticky)];

    // Act
    const [change] = planDropMonolithTraffic([rule('r5', 5, ['/x*'], before)], MONOLITH, drop);

    // Assess
    expect(change?.after).toEqual([COGNITO, forwardAt(2, [{ TargetGroupArn: POSTS, Weight: 1 }], sticky)]);
  });
});
