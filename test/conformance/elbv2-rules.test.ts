import {
  CreateListenerCommand,
  CreateRuleCommand,
  DeleteRuleCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Backend } from './backends';
import { actionFields, createTargetGroup, createTutorialAlb, required, type TutorialAlb } from './fixtures';
import { errorName, expectConformance, useBackends } from './harness';

const backends = useBackends();

const RULE_ARN = 'arn:aws:elasticloadbalancing:us-east-1:<account>:listener-rule/app/demo-alb/<id>/<id>/<id>';
const API_ARN = 'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/api/<id>';
const POSTS_ARN = 'arn:aws:elasticloadbalancing:us-east-1:<account>:targetgroup/posts/<id>';

/** The pipeline's first step for a new service: its path goes to the monolith (weight 1) and the new group (weight 0). */
function weightedForward(monolithArn: string, serviceArn: string): Action[] {
  return [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithArn, Weight: 1 }, { TargetGroupArn: serviceArn, Weight: 0 }] } }];
}

const FIXED_503: Action = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'service unavailable' } };

async function createPostsRule(backend: Backend, alb: TutorialAlb, postsArn: string): Promise<string> {
  const created = await backend.clients.elbv2.send(
    new CreateRuleCommand({ ListenerArn: alb.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }], Actions: weightedForward(alb.monolithTargetGroupArn, postsArn) }),
  );
  return required(created.Rules?.[0]?.RuleArn, 'RuleArn');
}

/** What the pipeline reads back from DescribeRules: the routing table, in priority order. */
async function routingTable(backend: Backend, listenerArn: string) {
  const described = await backend.clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
  return (described.Rules ?? []).map((rule) => ({
    RuleArn: rule.RuleArn,
    Priority: rule.Priority,
    IsDefault: rule.IsDefault,
    paths: rule.Conditions?.flatMap((condition) => (condition.Field === 'path-pattern' ? (condition.PathPatternConfig?.Values ?? condition.Values ?? []) : [])),
    Actions: rule.Actions?.map(actionFields),
  }));
}

describe('ELBv2 listener rules: emulator agrees with moto', () => {
  it('creates a path rule with a weighted forward and lists it before the default rule', async () => {
    const outcomes = await backends.run(async (backend) => {
      const alb = await createTutorialAlb(backend);
      const postsArn = await createTargetGroup(backend, 'posts', alb.vpcId);
      const ruleArn = await createPostsRule(backend, alb, postsArn);
      return { ruleArn, rules: await routingTable(backend, alb.listenerArn) };
    });
    expectConformance(outcomes, {
      ruleArn: RULE_ARN,
      rules: [
        {
          RuleArn: RULE_ARN,
          Priority: '1',
          IsDefault: false,
          paths: ['/api/posts*'],
          Actions: [{ Type: 'forward', forwardTo: [{ TargetGroupArn: API_ARN, Weight: 1 }, { TargetGroupArn: POSTS_ARN, Weight: 0 }] }],
        },
        { RuleArn: RULE_ARN, Priority: 'default', IsDefault: true, paths: [], Actions: [{ Type: 'forward', forwardTo: [{ TargetGroupArn: API_ARN, Weight: 1 }] }] },
      ],
    });
  });

  it('rejects a taken priority, an unknown listener and an unknown target group with the AWS error codes', async () => {
    const outcomes = await backends.run(async (backend) => {
      const alb = await createTutorialAlb(backend);
      const postsArn = await createTargetGroup(backend, 'posts', alb.vpcId);
      await createPostsRule(backend, alb, postsArn);
      const createRule = (listenerArn: string, priority: number, actions: Action[]) => () =>
        backend.clients.elbv2.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: [{ Field: 'path-pattern', Values: ['/api/users*'] }], Actions: actions }));
      const unknownListenerArn = alb.listenerArn.replace(/\/[0-9a-f]{16}$/, '/0123456789abcdef');
      const unknownTargetGroupArn = postsArn.replace(/targetgroup\/posts\/[0-9a-f]{16}$/, 'targetgroup/users/0123456789abcdef');
      return {
        priorityTaken: await errorName(createRule(alb.listenerArn, 1, [{ Type: 'forward', TargetGroupArn: postsArn }])),
        unknownListener: await errorName(createRule(unknownListenerArn, 2, [{ Type: 'forward', TargetGroupArn: postsArn }])),
        unknownTargetGroup: await errorName(createRule(alb.listenerArn, 2, [{ Type: 'forward', TargetGroupArn: unknownTargetGroupArn }])),
        rulesAfter: (await routingTable(backend, alb.listenerArn)).map((rule) => rule.Priority),
      };
    });
    expectConformance(outcomes, {
      priorityTaken: 'PriorityInUseException',
      unknownListener: 'ListenerNotFoundException',
      unknownTargetGroup: 'TargetGroupNotFoundException',
      rulesAfter: ['1', 'default'],
    });
  });

  it('cuts a path over to its service, then drops monolith traffic with fixed 503 responses', async () => {
    const outcomes = await backends.run(async (backend) => {
      const alb = await createTutorialAlb(backend);
      const postsArn = await createTargetGroup(backend, 'posts', alb.vpcId);
      const postsRuleArn = await createPostsRule(backend, alb, postsArn);
      const monolithRule = await backend.clients.elbv2.send(
        new CreateRuleCommand({ ListenerArn: alb.listenerArn, Priority: 99, Conditions: [{ Field: 'path-pattern', Values: ['/api*'] }], Actions: [{ Type: 'forward', TargetGroupArn: alb.monolithTargetGroupArn }] }),
      );
      const monolithRuleArn = required(monolithRule.Rules?.[0]?.RuleArn, 'RuleArn');

      const modifiedRule = await backend.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: postsRuleArn, Actions: [{ Type: 'forward', TargetGroupArn: postsArn }] }));
      const modifiedListener = await backend.clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: alb.listenerArn, DefaultActions: [FIXED_503] }));
      await backend.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: monolithRuleArn, Actions: [FIXED_503] }));
      const afterCutOver = await routingTable(backend, alb.listenerArn);
      const listeners = await backend.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [alb.listenerArn] }));

      await backend.clients.elbv2.send(new DeleteRuleCommand({ RuleArn: monolithRuleArn }));
      const modifyDeleted = await errorName(() => backend.clients.elbv2.send(new ModifyRuleCommand({ RuleArn: monolithRuleArn, Actions: [FIXED_503] })));
      return {
        modifyRuleReturns: modifiedRule.Rules?.[0]?.Actions?.map(actionFields),
        modifyListenerReturns: modifiedListener.Listeners?.[0]?.DefaultActions?.map(actionFields),
        afterCutOver,
        listenerDefaultActions: listeners.Listeners?.[0]?.DefaultActions?.map(actionFields),
        afterDelete: (await routingTable(backend, alb.listenerArn)).map((rule) => rule.Priority),
        modifyDeleted,
      };
    });
    const forwardToPosts = { Type: 'forward', forwardTo: [{ TargetGroupArn: POSTS_ARN, Weight: 1 }] };
    const fixed503 = { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'service unavailable' } };
    expectConformance(outcomes, {
      modifyRuleReturns: [forwardToPosts],
      modifyListenerReturns: [fixed503],
      afterCutOver: [
        { RuleArn: RULE_ARN, Priority: '1', IsDefault: false, paths: ['/api/posts*'], Actions: [forwardToPosts] },
        { RuleArn: RULE_ARN, Priority: '99', IsDefault: false, paths: ['/api*'], Actions: [fixed503] },
        { RuleArn: RULE_ARN, Priority: 'default', IsDefault: true, paths: [], Actions: [fixed503] },
      ],
      listenerDefaultActions: [fixed503],
      afterDelete: ['1', 'default'],
      modifyDeleted: 'RuleNotFoundException',
    });
  });
});

describe('ELBv2 actions carried whole: emulator agrees with moto', () => {
  // An IAM server certificate: moto looks an ACM ARN up in its ACM; neither backend checks an IAM one.
  const CERTIFICATE = 'arn:aws:iam::123456789012:server-certificate/tutorial';
  const OIDC_FIELDS = {
    Issuer: 'https://idp.example.com',
    AuthorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
    TokenEndpoint: 'https://idp.example.com/oauth2/token',
    UserInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
    ClientId: 'rollout-tutorial',
  };

  /** The fields both answer alike (moto also echoes ClientSecret, which AWS and the emulator never answer). */
  const view = (actions: Action[] | undefined) =>
    actions?.map((action) => ({
      Type: action.Type,
      Order: action.Order,
      oidc: action.AuthenticateOidcConfig ? Object.fromEntries(Object.keys(OIDC_FIELDS).map((key) => [key, action.AuthenticateOidcConfig?.[key as keyof typeof OIDC_FIELDS]])) : null,
      groups: action.ForwardConfig?.TargetGroups?.map(({ TargetGroupArn, Weight }) => ({ TargetGroupArn, Weight })) ?? null,
      groupStickiness: action.ForwardConfig?.TargetGroupStickinessConfig ?? null,
    }));

  it('keeps an authenticate-oidc action, its Order and group stickiness through CreateRule and ModifyRule on an HTTPS listener', async () => {
    const outcomes = await backends.run(async (backend) => {
      const alb = await createTutorialAlb(backend);
      const postsArn = await createTargetGroup(backend, 'posts', alb.vpcId);
      const https = await backend.clients.elbv2.send(new CreateListenerCommand({
        LoadBalancerArn: alb.loadBalancerArn, Protocol: 'HTTPS', Port: 443, Certificates: [{ CertificateArn: CERTIFICATE }],
        DefaultActions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...OIDC_FIELDS, ClientSecret: 'secret' } }, { Type: 'forward', Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1 }] } }],
      }));
      const listenerArn = required(https.Listeners?.[0]?.ListenerArn, 'ListenerArn');
      const weighted = (stickiness: { Enabled: boolean; DurationSeconds?: number }): Action => ({
        Type: 'forward', Order: 2,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: alb.monolithTargetGroupArn, Weight: 1 }, { TargetGroupArn: postsArn, Weight: 0 }], TargetGroupStickinessConfig: stickiness },
      });
      const created = await backend.clients.elbv2.send(new CreateRuleCommand({
        ListenerArn: listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }],
        Actions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...OIDC_FIELDS, ClientSecret: 'secret' } }, weighted({ Enabled: true, DurationSeconds: 86400 })],
      }));
      const ruleArn = required(created.Rules?.[0]?.RuleArn, 'RuleArn');
      await backend.clients.elbv2.send(new ModifyRuleCommand({
        RuleArn: ruleArn,
        Actions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...OIDC_FIELDS, UseExistingClientSecret: true } }, weighted({ Enabled: true, DurationSeconds: 3600 })],
      }));
      const described = await backend.clients.elbv2.send(new DescribeRulesCommand({ RuleArns: [ruleArn] }));
      const listeners = await backend.clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }));
      return { rule: view(described.Rules?.[0]?.Actions), defaultActions: view(listeners.Listeners?.[0]?.DefaultActions), protocol: listeners.Listeners?.[0]?.Protocol };
    });
    const login = { Type: 'authenticate-oidc', Order: 1, oidc: OIDC_FIELDS, groups: null, groupStickiness: null };
    expectConformance(outcomes, {
      rule: [login, { Type: 'forward', Order: 2, oidc: null, groups: [{ TargetGroupArn: API_ARN, Weight: 1 }, { TargetGroupArn: POSTS_ARN, Weight: 0 }], groupStickiness: { Enabled: true, DurationSeconds: 3600 } }],
      defaultActions: [login, { Type: 'forward', Order: 2, oidc: null, groups: [{ TargetGroupArn: API_ARN, Weight: 1 }], groupStickiness: { Enabled: false } }],
      protocol: 'HTTPS',
    });
  });
});
