/**
 * Handlers over listeners whose actions authenticate or whose groups are sticky: every action is read, recorded,
 * written and restored whole, exactly as DescribeRules / DescribeListeners answered it.
 */
import { CreateRuleCommand, DescribeTargetGroupAttributesCommand, ModifyListenerCommand, ModifyRuleCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler as makeCompensate } from '../../../functions/compensate';
import { makeHandler as makeDropTraffic } from '../../../functions/drop-monolith-traffic';
import { makeHandler as makeEnsureRule } from '../../../functions/ensure-listener-rule';
import { makeHandler as makeRecordPriorState } from '../../../functions/record-prior-state';
import { makeHandler as makeResolve } from '../../../functions/resolve-release';
import type { RuleAction } from '../../../lib/domain/release';
import { ClientSecretUnavailableError } from '../../../lib/errors';
import { CUTOVER_EXECUTION, dueCutover, liveMicroserviceRules, monolithGroup } from './cutover.fixtures';
import {
  LEASE_UNTIL,
  LISTENER_ARN,
  aws,
  defaultRule,
  ecsService,
  expectNoMutations,
  givenRules,
  givenServices,
  givenTargetGroups,
  manifestNamed,
  observedTargetGroup,
  pathRule,
  pushEvent,
  rejectionOf,
  releaseFor,
  resetAws,
  ruleArn,
  targetGroupArn,
  taskDefinitionArn,
  testDeps,
} from './fixtures';

const postsGroup = targetGroupArn('posts');

/** authenticate-oidc as DescribeRules answers it: every default filled in, never the ClientSecret. */
const OIDC: Action = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
    TokenEndpoint: 'https://idp.example.com/oauth2/token',
    UserInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
    ClientId: 'rollout-tutorial',
    SessionCookieName: 'AWSELBAuthSessionCookie',
    Scope: 'openid',
    SessionTimeout: 604800,
    AuthenticationRequestExtraParams: { prompt: 'login' },
    OnUnauthenticatedRequest: 'authenticate',
  },
};
/** The same action as a write must send it back: AWS keeps the rule's own secret. */
const OIDC_WRITTEN = { ...OIDC, AuthenticateOidcConfig: { ...OIDC.AuthenticateOidcConfig, UseExistingClientSecret: true } } as Action;
const COGNITO: Action = {
  Type: 'authenticate-cognito',
  Order: 1,
  AuthenticateCognitoConfig: {
    UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc', UserPoolClientId: 'app', UserPoolDomain: 'login',
    SessionCookieName: 'AWSELBAuthSessionCookie', Scope: 'openid', SessionTimeout: 604800, OnUnauthenticatedRequest: 'authenticate',
  },
};
/** A forward as AWS answers it: TargetGroupArn for a single group, Order, ForwardConfig with group stickiness. */
const echoedForward = (order: number, groups: [string, number][], stickiness: object = { Enabled: false }): Action => ({
  Type: 'forward',
  ...(groups.length === 1 ? { TargetGroupArn: groups[0]?.[0] } : {}),
  Order: order,
  ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })), TargetGroupStickinessConfig: stickiness },
});
const FIXED_503_AT_2: Action = {
  Type: 'fixed-response',
  Order: 2,
  FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Service Unavailable: this path was served by the retired monolith' },
};

describe('handlers over authenticated listeners and sticky groups', () => {
  beforeEach(() => resetAws());

  it('resolve-release refuses a first rollout whose rule would need an OIDC client secret, changing nothing', async () => {
    // Prepare
    givenRules(pathRule(99, ['/api*'], [OIDC, echoedForward(2, [[monolithGroup, 1]])]), defaultRule([OIDC, echoedForward(2, [[monolithGroup, 1]])]));

    // Act
    const error = await rejectionOf(makeResolve(testDeps())({ event: pushEvent(), executionName: 'posts-98cf390a9790526325315c828548fb07' }));

    // Assess
    expect(error).toBeInstanceOf(ClientSecretUnavailableError);
    expect(error.message).toMatch(/create the rule at priority 1 for \/api\/posts\* with the same actions by hand, then push again; nothing was changed$/);
    expectNoMutations();
  });

  it('record-prior-state records the rule’s actions whole and which groups of the coming forward are sticky', async () => {
    // Prepare
    const actions = [OIDC, echoedForward(2, [[monolithGroup, 1]], { Enabled: true, DurationSeconds: 3600 })];
    givenRules(pathRule(1, ['/api/posts*'], actions), pathRule(99, ['/api*'], actions), defaultRule(actions));
    aws.elbv2.on(DescribeTargetGroupAttributesCommand).callsFake(async (input: { TargetGroupArn?: string }) => ({
      Attributes: input.TargetGroupArn === monolithGroup
        ? [{ Key: 'stickiness.enabled', Value: 'true' }, { Key: 'stickiness.type', Value: 'lb_cookie' }, { Key: 'stickiness.lb_cookie.duration_seconds', Value: '7200' }]
        : [{ Key: 'stickiness.enabled', Value: 'false' }],
    }));

    // Act
    const release = await makeRecordPriorState(testDeps())({ release: releaseFor('posts'), lock: {} });

    // Assess
    expect(release.before?.rule).toEqual({ ruleArn: ruleArn('rule-1'), actions });
    expect(release.stickyTargetGroups).toEqual([{ targetGroupArn: monolithGroup, durationSeconds: 7200 }]);
    expectNoMutations();
  });

  it('ensure-listener-rule creates the rule behind the same Cognito login, with group stickiness for the sticky monolith', async () => {
    // Prepare
    givenRules(pathRule(99, ['/api*'], [COGNITO, echoedForward(2, [[monolithGroup, 1]])]), defaultRule([COGNITO, echoedForward(2, [[monolithGroup, 1]])]));
    aws.elbv2.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: ruleArn('new-posts') }] });
    const release = releaseFor('posts', { targetGroupArn: postsGroup, stickyTargetGroups: [{ targetGroupArn: monolithGroup, durationSeconds: 86400 }] });

    // Act
    await makeEnsureRule(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(CreateRuleCommand, {
      ListenerArn: LISTENER_ARN,
      Priority: 1,
      Actions: [
        COGNITO,
        {
          Type: 'forward',
          Order: 2,
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 1 }, { TargetGroupArn: postsGroup, Weight: 0 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 86400 } },
        },
      ],
    });
  });

  it('compensate writes the recorded rule actions back exactly, telling AWS to keep the OIDC secret', async () => {
    // Prepare
    const before = [OIDC, echoedForward(2, [[monolithGroup, 1]])] as RuleAction[];
    givenRules(pathRule(1, ['/api/posts*'], [OIDC, echoedForward(2, [[monolithGroup, 1], [postsGroup, 0]])]), pathRule(99, ['/api*'], before as Action[]), defaultRule(before as Action[]));
    givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 2) }));
    givenTargetGroups(observedTargetGroup(manifestNamed('posts')));
    const release = releaseFor('posts', {
      before: { service: { exists: true, taskDefinitionArn: taskDefinitionArn('posts', 2), desiredCount: 1 }, targetGroupExisted: true, rule: { ruleArn: ruleArn('rule-1'), actions: before } },
      targetGroupArn: postsGroup,
    });

    // Act
    const outcome = await makeCompensate(testDeps())({ executionName: release.executionName, state: { release, error: { Error: 'ServiceUnhealthyError', Cause: 'unhealthy' } } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-1'), Actions: [OIDC_WRITTEN, echoedForward(2, [[monolithGroup, 1]])] });
    expect(outcome.restored).toEqual(['rule /api/posts* restored to its previous actions']);
  });

  it('drop-monolith-traffic keeps the login in front of the 503, and a failed cut-over’s compensation puts back the actions as read', async () => {
    // Prepare
    const before = [OIDC, echoedForward(2, [[monolithGroup, 1]])];
    givenRules(...liveMicroserviceRules(), defaultRule(before));
    const plan = [{ ruleArn: ruleArn('default'), isDefault: true, priority: 'default' as const, before: before as RuleAction[], after: [OIDC, FIXED_503_AT_2] as RuleAction[] }];

    // Act
    await makeDropTraffic(testDeps())(dueCutover({ plan }));
    givenRules(...liveMicroserviceRules(), defaultRule([OIDC, FIXED_503_AT_2]));
    givenServices(ecsService('api', { desiredCount: 1 }));
    await makeCompensate(testDeps())({
      executionName: CUTOVER_EXECUTION,
      state: { lockKey: 'lock#api', leaseUntil: LEASE_UNTIL, startedBy: 'x', services: [], cutover: dueCutover({ plan }), error: { Error: 'AwsRequestError', Cause: 'refused' } },
    });

    // Assess
    expect(aws.elbv2).toHaveReceivedNthSpecificCommandWith(1, ModifyListenerCommand, { ListenerArn: LISTENER_ARN, DefaultActions: [OIDC_WRITTEN, FIXED_503_AT_2] });
    expect(aws.elbv2).toHaveReceivedNthSpecificCommandWith(2, ModifyListenerCommand, { ListenerArn: LISTENER_ARN, DefaultActions: [OIDC_WRITTEN, echoedForward(2, [[monolithGroup, 1]])] });
  });
});
