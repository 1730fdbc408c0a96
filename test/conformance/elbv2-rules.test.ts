import {
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
