import { CreateRuleCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/shift-traffic';
import { PriorityConflictError, TransientAwsError, ValidationError } from '../../../lib/errors';
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
const release = releaseFor('posts', { targetGroupArn: postsGroup, changes: ['created service posts with posts:8 × 1'] });
const allToPosts = [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: postsGroup, Weight: 1 }] } }];

describe('shift-traffic', () => {
  beforeEach(() => resetAws());

  it('sends all of the rule weight to the new group and marks the release live', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-1'), Actions: allToPosts });
    expect(aws.elbv2).not.toHaveReceivedCommand(CreateRuleCommand);
    expect(result.live).toBe(true);
    expect(result.changes).toEqual(['created service posts with posts:8 × 1', 'shifted /api/posts* to posts']);
  });

  it('creates the rule when it disappeared since it was ensured', async () => {
    // Prepare
    aws.elbv2.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: ruleArn('recreated') }] });

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(CreateRuleCommand, {
      ListenerArn: LISTENER_ARN,
      Priority: 1,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/posts*'] } }],
      Actions: allToPosts,
    });
    expect(result.changes).toContain('created rule /api/posts* → posts');
  });

  it('changes nothing when the rule already sends everything to the new group', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], [{ Type: 'forward', TargetGroupArn: postsGroup }]), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expectNoMutations();
    expect(result.live).toBe(true);
    expect(result.changes).toEqual(release.changes);
  });

  it('throws PriorityConflictError when another path holds the priority', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/comments*'], forward([targetGroupArn('comments'), 1])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(release));

    // Assess
    expect(error).toBeInstanceOf(PriorityConflictError);
    expect(error.message).toBe(`shift traffic for posts: priority 1 is taken by rule ${ruleArn('rule-1')} (paths /api/comments*)`);
    expectNoMutations();
  });

  it('throws ValidationError naming release.targetGroupArn when it is missing', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.targetGroupArn');
  });

  it('throws TransientAwsError when ModifyRule is throttled', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), defaultRule(forward([monolithGroup, 1])));
    aws.elbv2.on(ModifyRuleCommand).rejects(awsError('Throttling', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(release));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe(`modify rule ${ruleArn('rule-1')}: Throttling: Rate exceeded`);
  });
});
