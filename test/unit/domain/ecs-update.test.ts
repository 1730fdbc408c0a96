import * as v from 'valibot';
import { describeEcsDeployment, ecsDeploymentLimitSeconds, ecsDeploymentSettings, greenPercent, updatePath, type UpdatePathInput } from '../../../lib/domain/ecs-update';
import { parseManifest } from '../../../lib/domain/catalog';
import type { Manifest } from '../../../lib/domain/manifest';
import type { RuleAction } from '../../../lib/domain/release';
import type { ObservedRule } from '../../../lib/domain/routing';
import { TrafficSchema } from '../../../lib/domain/traffic';
import { SEED_OIDC } from '../../../local/runner/seed-tutorial';

const MONOLITH = 'tg/api';
const PRIMARY = 'tg/posts';
const ALTERNATE = 'tg/posts-g';
const ROLE = 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers';

/** posts as services/posts/service.yml has it (canary 10 %, 5 min bakes), its traffic block replaced by `traffic`. */
const postsWith = (traffic: Record<string, unknown> = { strategy: 'canary', canaryPercent: 10, bakeMinutes: 5 }): Manifest =>
  parseManifest({ file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1, traffic } });
const posts = postsWith();
const traffic = (input: Record<string, unknown>) => v.parse(TrafficSchema, input);

const forwardTo = (...targets: [arn: string, weight: number][]): RuleAction[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: targets.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];
const rule = (priority: number | 'default', paths: string[], actions: RuleAction[], ruleArn = `r${priority}`): ObservedRule => ({ ruleArn, priority, paths, otherConditions: false, actions });
/** The monolith's /api* rule and the default action: present on every listener, never the service's. */
const others = [rule(99, ['/api*'], forwardTo([MONOLITH, 1])), rule('default', [], forwardTo([MONOLITH, 1]))];
const postsRule = (actions: RuleAction[]) => rule(1, ['/api/posts*'], actions);

const OIDC: RuleAction = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: { ...SEED_OIDC },
};
const withOrder = (actions: RuleAction[], order: number): RuleAction[] => actions.map((action) => ({ ...action, Order: order }));

const input = (overrides: Partial<UpdatePathInput> = {}): UpdatePathInput => ({
  manifest: posts,
  rules: [postsRule(forwardTo([PRIMARY, 1], [ALTERNATE, 0])), ...others],
  targetGroupArn: PRIMARY,
  alternateTargetGroupArn: ALTERNATE,
  infrastructureRoleArn: ROLE,
  ...overrides,
});

describe('updatePath', () => {
  it('takes ECS\'s own deployment for a lone forward to the two groups, the primary serving: green is the alternate', () => {
    // Act
    const path = updatePath(input());

    // Assess
    expect(path).toEqual({ kind: 'ecs', strategy: 'CANARY', ruleArn: 'r1', servingTargetGroupArn: PRIMARY, greenTargetGroupArn: ALTERNATE });
  });

  it('takes ECS\'s own deployment when an earlier one left the alternate serving: green is the primary', () => {
    // Prepare
    const rules = [postsRule(forwardTo([PRIMARY, 0], [ALTERNATE, 100])), ...others];

    // Act
    const path = updatePath(input({ rules }));

    // Assess
    expect(path).toEqual({ kind: 'ecs', strategy: 'CANARY', ruleArn: 'r1', servingTargetGroupArn: ALTERNATE, greenTargetGroupArn: PRIMARY });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ strategy: 'linear', stepPercent: 25 }, 'LINEAR'],
    [{ strategy: 'all-at-once' }, 'BLUE_GREEN'],
  ])('maps the manifest\'s %j to ECS strategy %s', (trafficBlock, strategy) => {
    // Act
    const path = updatePath(input({ manifest: postsWith(trafficBlock) }));

    // Assess
    expect(path).toMatchObject({ kind: 'ecs', strategy });
  });

  it('falls back to a rolling update when no ECS infrastructure role is configured, naming the deploy parameter', () => {
    // Act
    const path = updatePath(input({ infrastructureRoleArn: undefined }));

    // Assess
    expect(path).toEqual({ kind: 'rolling', reason: 'no ECS infrastructure role is configured (deploy parameter ecsInfrastructureRoleArn)' });
  });

  it('falls back to a rolling update when the service has no alternate target group', () => {
    // Act
    const path = updatePath(input({ alternateTargetGroupArn: undefined }));

    // Assess
    expect(path).toEqual({ kind: 'rolling', reason: 'the service has no alternate target group' });
  });

  it('falls back to a rolling update when no rule is at the manifest\'s priority', () => {
    // Act
    const path = updatePath(input({ rules: others }));

    // Assess
    expect(path).toEqual({ kind: 'rolling', reason: 'no listener rule at priority 1' });
  });

  it.each<[string, RuleAction[]]>([
    ['authenticate-oidc', [OIDC, ...withOrder(forwardTo([PRIMARY, 1], [ALTERNATE, 0]), 2)]],
    ['fixed-response', [...withOrder(forwardTo([PRIMARY, 1], [ALTERNATE, 0]), 1), { Type: 'fixed-response', Order: 2, FixedResponseConfig: { StatusCode: '503' } }]],
  ])('falls back to a rolling update when the rule has %s beside its forward, naming that action', (type, actions) => {
    // Act
    const path = updatePath(input({ rules: [postsRule(actions), ...others] }));

    // Assess
    expect(path).toEqual({
      kind: 'rolling',
      reason: `its rule at priority 1 has ${type} beside its forward, which ECS's blue/green, canary and linear deployments do not support`,
    });
  });

  it.each<[string, RuleAction[]]>([
    ['only the primary group (a rule from before the alternate existed)', forwardTo([PRIMARY, 1])],
    ["the monolith's group and the primary (the migration not finished)", forwardTo([MONOLITH, 1], [PRIMARY, 0])],
    ["the monolith's group beside both of its groups", forwardTo([MONOLITH, 1], [PRIMARY, 0], [ALTERNATE, 0])],
  ])('falls back to a rolling update when the rule forwards to %s', (_case, actions) => {
    // Act
    const path = updatePath(input({ rules: [postsRule(actions), ...others] }));

    // Assess
    expect(path).toEqual({
      kind: 'rolling',
      reason: 'its rule at priority 1 does not forward to exactly its two target groups (the paths are not fully its own yet)',
    });
  });

  it('refuses (busy) when the rule splits the weight across both groups (50/50): a deployment has not finished', () => {
    // Act
    const path = updatePath(input({ rules: [postsRule(forwardTo([PRIMARY, 500], [ALTERNATE, 500])), ...others] }));

    // Assess
    expect(path).toEqual({
      kind: 'busy',
      reason: 'its rule at priority 1 splits /api/posts* between its two target groups (weights 500 / 500): an ECS deployment of posts has not finished, or the rule was changed by hand',
    });
  });
});

describe('ecsDeploymentSettings', () => {
  it('makes a canary CANARY with the canary percent and the manifest\'s bake as the canary bake', () => {
    // Act
    const settings = ecsDeploymentSettings(traffic({ strategy: 'canary', canaryPercent: 10, bakeMinutes: 5 }));

    // Assess
    expect(settings).toStrictEqual({
      strategy: 'CANARY',
      bakeTimeInMinutes: 5,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
      alarms: { alarmNames: [], enable: false, rollback: false },
    });
  });

  it('makes a linear rollout LINEAR with the step percent and the manifest\'s bake as each step\'s bake', () => {
    // Act
    const settings = ecsDeploymentSettings(traffic({ strategy: 'linear', stepPercent: 25, bakeMinutes: 3 }));

    // Assess
    expect(settings).toStrictEqual({
      strategy: 'LINEAR',
      bakeTimeInMinutes: 3,
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 3 },
      alarms: { alarmNames: [], enable: false, rollback: false },
    });
  });

  it('makes all-at-once BLUE_GREEN without a canary or linear configuration', () => {
    // Act
    const settings = ecsDeploymentSettings(traffic({ strategy: 'all-at-once', bakeMinutes: 4 }));

    // Assess
    expect(settings).toStrictEqual({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: 4, alarms: { alarmNames: [], enable: false, rollback: false } });
  });

  it.each<[number, number]>([
    [0, 3],
    [2, 3],
    [3, 3],
    [7, 7],
  ])('bakes the deployment max(3, bakeMinutes): %i min -> %i min, the canary bake staying the manifest\'s', (bakeMinutes, expected) => {
    // Act
    const settings = ecsDeploymentSettings(traffic({ strategy: 'canary', bakeMinutes }));

    // Assess
    expect(settings.bakeTimeInMinutes).toBe(expected);
    expect(settings.canaryConfiguration?.canaryBakeTimeInMinutes).toBe(bakeMinutes);
  });

  it('turns the manifest\'s alarms on for detection and rollback', () => {
    // Act
    const settings = ecsDeploymentSettings(traffic({ strategy: 'canary', alarms: ['posts-5xx', 'posts-p99'] }));

    // Assess
    expect(settings.alarms).toEqual({ alarmNames: ['posts-5xx', 'posts-p99'], enable: true, rollback: true });
  });
});

describe('greenPercent', () => {
  it.each<[string, number, ObservedRule[]]>([
    ['900/100, green at 100', 10, [postsRule(forwardTo([PRIMARY, 900], [ALTERNATE, 100])), ...others]],
    ['0/100, green at 100', 100, [postsRule(forwardTo([PRIMARY, 0], [ALTERNATE, 100])), ...others]],
    ['1/0, green at 0', 0, [postsRule(forwardTo([PRIMARY, 1], [ALTERNATE, 0])), ...others]],
    ['999/1, green at 1', 0.1, [postsRule(forwardTo([PRIMARY, 999], [ALTERNATE, 1])), ...others]],
    ['no rule at the priority', 0, others],
  ])('%s -> %s %%', (_case, expected, rules) => {
    // Act
    const percent = greenPercent(posts, rules, ALTERNATE);

    // Assess
    expect(percent).toBe(expected);
  });
});

describe('ecsDeploymentLimitSeconds', () => {
  it('bounds the deployment by the health gate, every bake, the deployment bake, the drain and 5 minutes', () => {
    // Act: posts: 600 s health gate, 300 s deregistration delay; a canary bakes once (5 min), then the 5 min deployment bake
    const limit = ecsDeploymentLimitSeconds(posts);

    // Assess
    expect(limit).toBe(600 + (5 + 5) * 60 + 300 + 300);
  });

  it.each<[Record<string, unknown>, number]>([
    [{ strategy: 'all-at-once', bakeMinutes: 5 }, 600 + 5 * 60 + 300 + 300],
    [{ strategy: 'linear', stepPercent: 50, bakeMinutes: 5 }, 600 + (1 * 5 + 5) * 60 + 300 + 300],
    [{ strategy: 'linear', stepPercent: 25, bakeMinutes: 5 }, 600 + (3 * 5 + 5) * 60 + 300 + 300],
    [{ strategy: 'linear', stepPercent: 10, bakeMinutes: 5 }, 600 + (9 * 5 + 5) * 60 + 300 + 300],
  ])('%j -> %i s', (trafficBlock, expected) => {
    // Act
    const limit = ecsDeploymentLimitSeconds(postsWith(trafficBlock));

    // Assess
    expect(limit).toBe(expected);
  });

  it('grows with the number of linear steps', () => {
    // Act
    const limits = [50, 25, 10, 3].map((stepPercent) => ecsDeploymentLimitSeconds(postsWith({ strategy: 'linear', stepPercent, bakeMinutes: 5 })));

    // Assess
    expect([...limits].sort((a, b) => a - b)).toEqual(limits);
    expect(new Set(limits).size).toBe(limits.length);
  });
});

describe('describeEcsDeployment', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ strategy: 'canary', canaryPercent: 10, bakeMinutes: 5, alarms: ['posts-5xx'] }, 'ECS CANARY (10 %, bake 5 min, then 100 %; 5 min before the old revision stops; rolls back on posts-5xx)'],
    [{ strategy: 'linear', stepPercent: 25, bakeMinutes: 1 }, 'ECS LINEAR (25 % steps, bake 1 min each; 3 min before the old revision stops)'],
    [{ strategy: 'all-at-once' }, 'ECS BLUE_GREEN (all at once; 5 min before the old revision stops)'],
  ])('%j -> %s', (trafficBlock, expected) => {
    // Act
    const line = describeEcsDeployment(traffic(trafficBlock));

    // Assess
    expect(line).toBe(expected);
  });
});
