import { CreateRuleCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/shift-traffic';
import { PriorityConflictError, TransientAwsError, ValidationError } from '../../../lib/errors';
import { ALL_AT_ONCE } from '../../../lib/domain/traffic';
import type { Release } from '../../../lib/domain/release';
import {
  LISTENER_ARN,
  NOW,
  catalog,
  testConfig,
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
const gate = { startedAt: '2026-11-26T09:00:00.000Z', waitedSeconds: 30, nextWaitSeconds: 0, healthy: true, polls: 3 };
const release = releaseFor('posts', { targetGroupArn: postsGroup, gate, changes: ['created service posts with posts:8 × 1'] });
const allToPosts = [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: postsGroup, Weight: 1 }] } }];
/** The tutorial's catalog with posts all at once (the tutorial ships it as a 10 % canary with a 5-minute bake). */
const allAtOnce = () => testDeps(testConfig({ catalog: { ...catalog, services: catalog.services.map((m) => (m.name === 'posts' ? { ...m, traffic: ALL_AT_ONCE } : m)) } }));
const at = new Date(NOW).toISOString();

describe('shift-traffic', () => {
  beforeEach(() => resetAws());

  it('sends all of the rule weight to the new group and marks the release live', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(allAtOnce())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-1'), Actions: allToPosts });
    expect(aws.elbv2).not.toHaveReceivedCommand(CreateRuleCommand);
    expect(result.live).toBe(true);
    expect(result.changes).toEqual(['created service posts with posts:8 × 1', 'shifted /api/posts* to posts']);
    expect(result.trafficSteps).toEqual([{ at, percent: 100 }]);
  });

  it('canary (the tutorial manifest): 10 % first (weights 900 and 100), then a 5-minute bake, not live yet', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, {
      RuleArn: ruleArn('rule-1'),
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 900 }, { TargetGroupArn: postsGroup, Weight: 100 }] } }],
    });
    expect(aws.elbv2).toHaveReceivedCommandTimes(ModifyRuleCommand, 1);
    expect(result.live).toBeUndefined();
    expect(result.shift).toEqual({ steps: [{ percent: 10, bake: true }, { percent: 100, bake: false }], done: 1, percent: 10, bake: { startedAt: at, seconds: 300, checks: 0, targetGroupArn: postsGroup } });
    expect(result.gate).toMatchObject({ healthy: false, nextWaitSeconds: 60 });
    expect(result.trafficSteps).toEqual([{ at, percent: 10 }]);
    expect(result.changes.at(-1)).toBe('shifted 10 % of /api/posts* to posts');
  });

  it('canary after its bake passed: the rest (100 %), live', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 900], [postsGroup, 100])), defaultRule(forward([monolithGroup, 1])));
    const baked: Release = { ...release, shift: { steps: [{ percent: 10, bake: true }, { percent: 100, bake: false }], done: 1, percent: 10 }, trafficSteps: [{ at: '2026-11-26T09:00:00.000Z', percent: 10 }] };

    // Act
    const result = await makeHandler(testDeps())(baked);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-1'), Actions: allToPosts });
    expect(result.live).toBe(true);
    expect(result.gate?.healthy).toBe(true);
    expect(result.trafficSteps).toEqual([{ at: '2026-11-26T09:00:00.000Z', percent: 10 }, { at, percent: 100 }]);
  });

  it('a retried canary step whose ModifyRule already landed records the step once, and moves nothing', async () => {
    // Prepare: the first attempt set 900/100, then its answer was lost; the retry gets the same input
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 900], [postsGroup, 100])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expectNoMutations();
    expect(result.trafficSteps).toEqual([{ at, percent: 10 }]);
    expect(result.shift).toMatchObject({ done: 1, percent: 10, bake: { seconds: 300 } });
  });

  it('a canary whose rule disappeared creates it whole: 100 %, recorded as such, live', async () => {
    // Prepare
    aws.elbv2.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: ruleArn('recreated') }] });

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(CreateRuleCommand, { Priority: 1, Actions: allToPosts });
    expect(result.trafficSteps).toEqual([{ at, percent: 100 }]);
    expect(result.live).toBe(true);
  });

  it('an update of a live service (its rule already sends everything to it): no weight change, a bake at 100 %', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([postsGroup, 1])), defaultRule(forward([monolithGroup, 1])));

    // Act
    const result = await makeHandler(testDeps())(release);

    // Assess
    expectNoMutations();
    expect(result.shift).toMatchObject({ steps: [{ percent: 100, bake: true }], done: 1, percent: 100, bake: { seconds: 300 } });
    expect(result.trafficSteps).toEqual([]);
    expect(result.live).toBeUndefined();
  });

  it('splits the rest between several groups the rule forwards to today, in their proportions', async () => {
    // Prepare
    const blue = targetGroupArn('blue');
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 3], [blue, 1], [postsGroup, 0])), defaultRule(forward([monolithGroup, 1])));

    // Act
    await makeHandler(testDeps())(release);

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, {
      RuleArn: ruleArn('rule-1'),
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 675 }, { TargetGroupArn: blue, Weight: 225 }, { TargetGroupArn: postsGroup, Weight: 100 }] } }],
    });
  });

  it('creates the rule when it disappeared since it was ensured', async () => {
    // Prepare
    aws.elbv2.on(CreateRuleCommand).resolves({ Rules: [{ RuleArn: ruleArn('recreated') }] });

    // Act
    const result = await makeHandler(allAtOnce())(release);

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
    const result = await makeHandler(allAtOnce())(release);

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
