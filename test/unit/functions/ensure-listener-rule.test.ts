import { CreateRuleCommand, DescribeRulesCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/ensure-listener-rule';
import { EnvironmentNotFoundError, PriorityConflictError, TransientAwsError, ValidationError } from '../../../lib/errors';
import {
  LISTENER_ARN,
  aws,
  awsError,
  defaultRule,
  expectNoMutations,
  forward,
  givenRules,
  pathRule,
  rejectionOf,
  releaseFor,
  resetAws,
  ruleArn,
  targetGroupArn,
  testDeps,
} from './fixtures';

const monolithGroup = targetGroupArn('api');
const postsGroup = targetGroupArn('posts');
const release = releaseFor('posts', { targetGroupArn: postsGroup });

describe('ensure-listener-rule', () => {
  beforeEach(() => {
    resetAws();
    givenRules(pathRule(99, ['/api*'], forward([monolithGroup, 1])), defaultRule(forward([monolithGroup, 1])));
  });

  it('creates the rule at the manifest priority with the monolith at weight 1 and the new group at weight 0', async () => {
    // Prepare
    aws.elbv2.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: ruleArn('new-posts') }] });

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(CreateRuleCommand, {
      ListenerArn: LISTENER_ARN,
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/posts*'] } }],
      Actions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 1 }, { TargetGroupArn: postsGroup, Weight: 0 }] },
        },
      ],
    });
    expect(result.ruleArn).toBe(ruleArn('new-posts'));
    expect(result.changes).toEqual(['created rule /api/posts* at priority 1 (posts at weight 0)']);
  });

  it('leaves a rule that already carries the new group alone (never downgrades a live rule)', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([postsGroup, 1])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expectNoMutations();
    expect(result.ruleArn).toBe(ruleArn('rule-1'));
    expect(result.changes).toEqual([]);
  });

  it('points an existing rule for the same paths at the new group with weight 0', async () => {
    // Prepare
    const oldGroup = targetGroupArn('posts-old');
    givenRules(pathRule(1, ['/api/posts*'], forward([oldGroup, 1])), pathRule(99, ['/api*'], forward([monolithGroup, 1])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).not.toHaveReceivedCommand(CreateRuleCommand);
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, {
      RuleArn: ruleArn('rule-1'),
      Actions: [
        {
          Type: 'forward',
          ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 1 }, { TargetGroupArn: postsGroup, Weight: 0 }] },
        },
      ],
    });
    expect(result.ruleArn).toBe(ruleArn('rule-1'));
  });

  it('throws PriorityConflictError when the priority is taken by another path, and changes nothing', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/comments*'], forward([targetGroupArn('comments'), 1])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(release));

    // Assess
    expect(error).toBeInstanceOf(PriorityConflictError);
    expect(error.message).toBe(`ensure rule /api/posts* for posts: priority 1 is taken by rule ${ruleArn('rule-1')} (paths /api/comments*)`);
    expectNoMutations();
  });

  it('throws ValidationError naming release.targetGroupArn when an earlier step did not set it', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.targetGroupArn');
  });

  it('throws EnvironmentNotFoundError when the listener does not exist', async () => {
    // Prepare
    aws.elbv2.on(DescribeRulesCommand).rejects(awsError('ListenerNotFoundException', 'listener not found'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(release));

    // Assess
    expect(error).toBeInstanceOf(EnvironmentNotFoundError);
    expect(error.message).toBe(`describe rules: listener ${LISTENER_ARN} does not exist`);
  });

  it('throws TransientAwsError when CreateRule is throttled', async () => {
    // Prepare
    aws.elbv2.on(CreateRuleCommand).rejects(awsError('Throttling', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(release));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
  });
});
