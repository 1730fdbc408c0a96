/**
 * Updates of a live service through ECS's own deployments (lib/domain/ecs-update.ts, functions/deploy-service.ts):
 * UpdateService with strategy CANARY / LINEAR / BLUE_GREEN and the service's two groups and production rule in
 * advancedConfiguration; ECS (the emulator) moves the rule's weights, "Check service health" watches it
 * (lib/runtime/ecs-deployment-watch.ts). The first update of a service still on ECS's rolling deployments is AWS's
 * documented first step of the switch (a rolling update that adds advancedConfiguration, judged by a bake at 100 %);
 * the updates after it are ECS's own. Where ECS cannot serve, a rolling update and one bake at 100 %; a service from
 * before there was an alternate group is upgraded by its next push.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import {
  CreateRuleCommand, DeleteTargetGroupCommand, DescribeRulesCommand, DescribeTargetGroupsCommand, ModifyRuleCommand, type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { parse, stringify } from 'yaml';
import { MIN_DEPLOYMENT_BAKE_MINUTES } from '../../lib/domain/ecs-update';
import type { Release } from '../../lib/domain/release';
import type { ExecutionRecord } from '../../local/runner/local-step-functions';
import { PROJECT_ROOT, type LocalPipeline } from '../../local/runner/pipeline';
import { executionReport, stateReport, type ExecutionReport } from '../../local/runner/report';
import { FORCED_ALARM_METRIC, pushEvent } from '../../local/runner/scenario';
import { SEED_OIDC } from '../../local/runner/seed-tutorial';
import { callsSinceStart, routing, weightShares, withPipeline } from './helpers';

const V1 = '2026-11-26T09:05:00Z';
const V2 = '2026-11-26T10:05:00Z';
const V3 = '2026-11-26T11:05:00Z';
const V4 = '2026-11-26T12:05:00Z';
/** The posts rule's key in routing(): its priority and path. */
const POSTS_RULE = '1 /api/posts*';
/** Small bakes keep each test's virtual time modest: a 10 % canary baked 2 minutes. */
const SHORT_CANARY = { strategy: 'canary', canaryPercent: 10, bakeMinutes: 2 };
/** ECS's deployment bake for a manifest's bakeMinutes (lib/domain/ecs-update.ts, ecsDeploymentSettings). */
const deploymentBake = (bakeMinutes: number) => Math.max(MIN_DEPLOYMENT_BAKE_MINUTES, bakeMinutes);
/** Why the first update of a service still on rolling deployments is a rolling one (functions/deploy-service.ts). */
const SWITCH_STEP =
  "ECS's documented switch from rolling to blue/green starts with a rolling deployment that adds advancedConfiguration " +
  '(ECS developer guide, "Update the deployment strategy from rolling update to Amazon ECS blue/green"); the next update is ECS\'s own';

/** The tutorial's services, with posts' traffic block replaced by `traffic`. */
function servicesWith(traffic: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-ecs-updates-'));
  cpSync(join(PROJECT_ROOT, 'services'), dir, { recursive: true });
  const file = join(dir, 'posts', 'service.yml');
  const manifest = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  manifest.traffic = traffic;
  writeFileSync(file, stringify(manifest));
  return dir;
}

/** posts' image pushed to its repository (the tutorial's: posts). */
const postsPush = (tag: string, time: string) => pushEvent('posts', tag, time);

/** Delivers a push of posts and runs it to its end. */
async function push(pipeline: LocalPipeline, tag: string, time: string): Promise<ExecutionReport> {
  const delivery = await pipeline.deliver(`push-posts-${tag}`, postsPush(tag, time));
  await pipeline.settle();
  return executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart);
}

const recordOf = (pipeline: LocalPipeline, report: ExecutionReport): ExecutionRecord | undefined => pipeline.sfn.executions.get(report.name ?? '');

/** The release the execution ended with (a failed one: what its last state handed on). */
function releaseOf(pipeline: LocalPipeline, report: ExecutionReport): Partial<Release> {
  const record = recordOf(pipeline, report);
  const of = (value: unknown) => (value as { release?: Partial<Release> } | undefined)?.release;
  return of(record?.output) ?? of(record?.lastOutput) ?? {};
}

const stateOf = (pipeline: LocalPipeline) => stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);
const postsRoute = (pipeline: LocalPipeline) => routing(stateOf(pipeline))[POSTS_RULE];
const postsTaskDefinition = (pipeline: LocalPipeline) => stateOf(pipeline).services.find((service) => service.name === 'posts')?.taskDefinition;
const percents = (report: ExecutionReport) => report.trafficSteps.map((step) => step.percent);
const groupNames = (pipeline: LocalPipeline) => stateOf(pipeline).targetGroups.map((group) => group.name);

async function postsService(pipeline: LocalPipeline): Promise<Service | undefined> {
  const { services } = await pipeline.emulator.clients().ecs.send(new DescribeServicesCommand({ cluster: pipeline.config.clusterName, services: ['posts'] }));
  return services?.[0];
}

async function postsRule(pipeline: LocalPipeline): Promise<Rule | undefined> {
  const { Rules } = await pipeline.emulator.clients().elbv2.send(new DescribeRulesCommand({ ListenerArn: pipeline.config.listenerArn }));
  return Rules?.find((rule) => rule.Priority === '1');
}

async function groupArn(pipeline: LocalPipeline, name: string): Promise<string | undefined> {
  const { TargetGroups } = await pipeline.emulator.clients().elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  return TargetGroups?.[0]?.TargetGroupArn;
}

/** The emulator's calls made during `body` (e.g. one push), by operation. */
async function callsDuring(pipeline: LocalPipeline, body: () => Promise<void>): Promise<string[]> {
  const from = pipeline.emulator.calls.length;
  await body();
  return pipeline.emulator.calls.slice(from).map((call) => call.operation);
}

/** A `Shift traffic` exit's words (local/runner/traffic-progress.ts), in order. */
const shiftDetails = (record: ExecutionRecord | undefined) =>
  (record?.history ?? []).filter((event) => event.type === 'StateExited' && event.state === 'Shift traffic').map((event) => event.detail);

/**
 * posts migrated (v1, the pipeline's own shift) and updated once (v2: AWS's first step of the switch to ECS's own
 * deployments, a rolling update): from here on its updates are ECS's own. posts:2 serves from posts.
 */
async function liveAndSwitched(pipeline: LocalPipeline): Promise<void> {
  expect((await push(pipeline, 'v1', V1)).status).toBe('SUCCEEDED');
  const v2 = await push(pipeline, 'v2', V2);
  expect(v2.status).toBe('SUCCEEDED');
  expect(releaseOf(pipeline, v2).rollingBecause).toBe(SWITCH_STEP);
  expect(postsRoute(pipeline)).toBe('posts=1,posts-g=0');
}

describe("scenario: updates of a live service through ECS's own deployments", () => {
  it("the first update is AWS's first step of the switch (a rolling update adding advancedConfiguration, a bake at 100 %), the next a healthy LINEAR one: 25, 50, 75, 100 % onto posts-g, a minute apart", async () => {
    await withPipeline({ servicesDir: servicesWith({ strategy: 'linear', stepPercent: 25, bakeMinutes: 1 }) }, async (pipeline) => {
      expect((await push(pipeline, 'v1', V1)).status).toBe('SUCCEEDED');
      expect(postsRoute(pipeline)).toBe('posts=1,posts-g=0');
      const rule = (await postsRule(pipeline))?.RuleArn;
      const [posts, postsG] = [await groupArn(pipeline, 'posts'), await groupArn(pipeline, 'posts-g')];
      const advanced = { productionListenerRule: rule, roleArn: pipeline.config.ecsInfrastructureRoleArn };

      const v2 = await push(pipeline, 'v2', V2);

      // v2: still ROLLING, now with advancedConfiguration; its tasks replaced in the group that serves, then baked there
      expect(v2).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(releaseOf(pipeline, v2)).toMatchObject({ rollingBecause: SWITCH_STEP, changes: expect.arrayContaining([`updated service posts to posts:2 × 1 (rolling update: ${SWITCH_STEP})`]) });
      expect(shiftDetails(recordOf(pipeline, v2))).toEqual(['100 % of its traffic on the new revision; baking 1 min', '100 % of its traffic on the new revision: live']);
      expect(percents(v2)).toEqual([]);
      expect(postsRoute(pipeline)).toBe('posts=1,posts-g=0');
      expect(postsTaskDefinition(pipeline)).toBe('posts:2');
      const switched = await postsService(pipeline);
      expect(switched?.deploymentConfiguration?.strategy).toBe('ROLLING');
      expect(switched?.loadBalancers).toEqual([{ targetGroupArn: posts, containerName: 'posts', containerPort: 3000, advancedConfiguration: { alternateTargetGroupArn: postsG, ...advanced } }]);

      let v3: ExecutionReport | undefined;
      const calls = await callsDuring(pipeline, async () => {
        v3 = await push(pipeline, 'v3', V3);
      });

      expect(v3).toMatchObject({ status: 'SUCCEEDED', error: null, cause: null });
      // Every step is seen: ECS's step bake (1 min) equals the watch's period (one look per CloudWatch period, 60 s, for
      // a deployment this short), so each look finds the next step. A step bake shorter than the watch's period could
      // be skipped between two looks.
      expect(percents(v3!)).toEqual([25, 50, 75, 100]);
      const times = v3!.trafficSteps.map((step) => step.virtualSeconds);
      expect(times.slice(1).map((time, index) => time - (times[index] ?? 0))).toEqual([60, 60, 60]);
      // ECS moved the weights: the pipeline took no traffic step of its own, wrote no rule, asked for no rollback
      expect(v3!.states).not.toContain('Shift traffic');
      expect(calls.filter((operation) => ['ModifyRule', 'StopServiceDeployment'].includes(operation))).toEqual([]);
      expect(calls.filter((operation) => operation === 'UpdateService')).toHaveLength(1);
      expect(postsRoute(pipeline)).toBe('posts=0,posts-g=100');
      expect(postsTaskDefinition(pipeline)).toBe('posts:3');
      const bake = deploymentBake(1);
      expect(releaseOf(pipeline, v3!).changes).toContain(`updated service posts to posts:3 × 1 with ECS LINEAR (25 % steps, bake 1 min each; ${bake} min before the old revision stops)`);
      // what UpdateService asked for, as DescribeServices answers it
      const service = await postsService(pipeline);
      expect(service?.deploymentConfiguration).toMatchObject({
        strategy: 'LINEAR', bakeTimeInMinutes: bake, linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 1 }, alarms: { alarmNames: [], enable: false, rollback: false },
      });
      expect(service?.loadBalancers).toEqual([{ targetGroupArn: posts, containerName: 'posts', containerPort: 3000, advancedConfiguration: { alternateTargetGroupArn: postsG, ...advanced } }]);
    });
  });

  it('an all-at-once manifest is a BLUE_GREEN deployment: one shift to 100 % on posts-g', async () => {
    await withPipeline({ servicesDir: servicesWith({ strategy: 'all-at-once', bakeMinutes: 2 }) }, async (pipeline) => {
      await liveAndSwitched(pipeline);

      const v3 = await push(pipeline, 'v3', V3);

      expect(v3).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(percents(v3)).toEqual([100]);
      expect(v3.states).not.toContain('Shift traffic');
      expect(postsRoute(pipeline)).toBe('posts=0,posts-g=100');
      expect(postsTaskDefinition(pipeline)).toBe('posts:3');
      const bake = deploymentBake(2);
      expect(releaseOf(pipeline, v3).changes).toContain(`updated service posts to posts:3 × 1 with ECS BLUE_GREEN (all at once; ${bake} min before the old revision stops)`);
      expect((await postsService(pipeline))?.deploymentConfiguration).toMatchObject({ strategy: 'BLUE_GREEN', bakeTimeInMinutes: bake });
    });
  });

  it("two of ECS's updates in a row: the groups swap roles each time, the second ends back on posts", async () => {
    await withPipeline({ servicesDir: servicesWith(SHORT_CANARY) }, async (pipeline) => {
      await liveAndSwitched(pipeline);

      const v3 = await push(pipeline, 'v3', V3);
      const afterV3 = { route: postsRoute(pipeline), taskDefinition: postsTaskDefinition(pipeline), green: releaseOf(pipeline, v3).ecsDeployment?.greenTargetGroupArn };
      const v4 = await push(pipeline, 'v4', V4);

      expect([v3.status, v4.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect([percents(v3), percents(v4)]).toEqual([[10, 100], [10, 100]]);
      expect(afterV3).toEqual({ route: 'posts=0,posts-g=100', taskDefinition: 'posts:3', green: await groupArn(pipeline, 'posts-g') });
      expect(postsRoute(pipeline)).toBe('posts=100,posts-g=0');
      expect(postsTaskDefinition(pipeline)).toBe('posts:4');
      expect(releaseOf(pipeline, v4).ecsDeployment).toMatchObject({ strategy: 'CANARY', greenTargetGroupArn: await groupArn(pipeline, 'posts') });
    });
  });

  it('an alarm the manifest names going into ALARM at 10 %: ECS rolls back, TrafficGateError names the alarm, posts:2 keeps all of its traffic', async () => {
    await withPipeline({ servicesDir: servicesWith({ ...SHORT_CANARY, alarms: ['posts-5xx'] }) }, async (pipeline) => {
      // The alarm exists (Resolve release refuses an unknown one), on a metric nobody publishes: its state stays as set.
      const cloudwatch = pipeline.emulator.clients().cloudwatch;
      await cloudwatch.send(new PutMetricAlarmCommand({
        AlarmName: 'posts-5xx', ...FORCED_ALARM_METRIC, Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
      }));
      await liveAndSwitched(pipeline);
      const before = stateOf(pipeline).listener;

      const delivery = await pipeline.deliver('push-posts-v3', postsPush('v3', V3));
      // Until ECS has shifted its canary (10 % on posts-g) ...
      for (let look = 0; look < 40 && postsRoute(pipeline) !== 'posts=90,posts-g=10'; look += 1) await pipeline.time.advance(15_000);
      expect(postsRoute(pipeline)).toBe('posts=90,posts-g=10');
      // ... and the pipeline's watch has looked at it (once a minute; the canary bakes 2 minutes), then the alarm.
      await pipeline.time.advance(61_000);
      expect(postsRoute(pipeline)).toBe('posts=90,posts-g=10');
      await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'posts-5xx', StateValue: 'ALARM', StateReason: 'test' }));
      await pipeline.settle();
      const v3 = executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart);

      expect(v3).toMatchObject({ status: 'FAILED', error: 'TrafficGateError' });
      // ECS noticed the alarm itself and rolled back; the pipeline asked for nothing and had nothing to restore
      expect(v3.cause).toBe(
        'TrafficGateError: traffic gate for posts: ECS ended the service deployment ROLLBACK_SUCCESSFUL: ECS deployment alarms: posts-5xx in ALARM state (alarms in ALARM: posts-5xx). Restored: nothing needed restoring.',
      );
      expect(callsSinceStart(pipeline, 'StopServiceDeployment')).toEqual([]);
      expect(percents(v3)).toEqual([10, 0]);
      expect(postsRoute(pipeline)).toBe('posts=100,posts-g=0');
      // ECS wrote the weights back as percentages (100 / 0): the same routing as before, all of it on posts:2's group
      expect(weightShares(stateOf(pipeline).listener)).toEqual(weightShares(before));
      expect(postsTaskDefinition(pipeline)).toBe('posts:2');
    });
  });

  it('a rule with an authenticate-oidc login beside its forward: a rolling update and one bake at 100 %, the rule untouched', async () => {
    // authenticate actions need an HTTPS listener: the tutorial's `authenticate` starting point. There the pipeline
    // cannot create the posts rule itself (ClientSecretUnavailableError), so it is made by hand first, forwarding to
    // the monolith, as listener-actions.test.ts does; the login goes on it once v1 is live.
    await withPipeline({ authenticate: true, servicesDir: servicesWith(SHORT_CANARY) }, async (pipeline) => {
      const { elbv2 } = pipeline.emulator.clients();
      await elbv2.send(new CreateRuleCommand({
        ListenerArn: pipeline.config.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/posts*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: await groupArn(pipeline, 'api') }],
      }));
      expect((await push(pipeline, 'v1', V1)).status).toBe('SUCCEEDED');
      const rule = await postsRule(pipeline);
      const forward = rule?.Actions?.find((action) => action.Type === 'forward');
      await elbv2.send(new ModifyRuleCommand({ RuleArn: rule?.RuleArn, Actions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...SEED_OIDC } }, { ...forward, Type: 'forward', Order: 2 }] }));
      const before = await postsRule(pipeline);
      expect(before?.Actions?.map((action) => action.Type)).toEqual(['authenticate-oidc', 'forward']);
      const updateService = jest.spyOn(pipeline.deps.ecs, 'updateService');

      const v2 = await push(pipeline, 'v2', V2);

      expect(v2).toMatchObject({ status: 'SUCCEEDED', error: null });
      const reason = "its rule at priority 1 has authenticate-oidc beside its forward, which ECS's blue/green, canary and linear deployments do not support";
      expect(releaseOf(pipeline, v2)).toMatchObject({ rollingBecause: reason, changes: expect.arrayContaining([`updated service posts to posts:2 × 1 (rolling update: ${reason})`]) });
      expect(releaseOf(pipeline, v2).ecsDeployment).toBeUndefined();
      // UpdateService carried no deployment strategy (ROLLING, as the service was created) and no advanced settings
      expect(updateService.mock.calls).toEqual([['posts', { taskDefinitionArn: expect.stringMatching(/:task-definition\/posts:2$/), desiredCount: 1, healthCheckGracePeriodSeconds: 60 }]]);
      const service = await postsService(pipeline);
      expect(service?.deploymentConfiguration?.strategy ?? 'ROLLING').toBe('ROLLING');
      expect(service?.loadBalancers?.map((loadBalancer) => loadBalancer.advancedConfiguration)).toEqual([undefined]);
      // the pipeline's own "Shift traffic": already at 100 % (no weight to move, so no traffic step), baked there
      expect(shiftDetails(recordOf(pipeline, v2))).toEqual(['100 % of its traffic on the new revision; baking 2 min', '100 % of its traffic on the new revision: live']);
      expect(percents(v2)).toEqual([]);
      expect(await postsRule(pipeline)).toEqual(before);
      expect(postsRoute(pipeline)).toBe('+posts=1,posts-g=0');
      expect(postsTaskDefinition(pipeline)).toBe('posts:2');
    });
  });

  it('without an ECS infrastructure role: a rolling update and one bake at 100 %', async () => {
    await withPipeline({ ecsInfrastructureRole: false, servicesDir: servicesWith(SHORT_CANARY) }, async (pipeline) => {
      expect((await push(pipeline, 'v1', V1)).status).toBe('SUCCEEDED');
      const updateService = jest.spyOn(pipeline.deps.ecs, 'updateService');

      const v2 = await push(pipeline, 'v2', V2);

      expect(v2).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(releaseOf(pipeline, v2).rollingBecause).toBe('no ECS infrastructure role is configured (deploy parameter ecsInfrastructureRoleArn)');
      expect(updateService.mock.calls.map(([, change]) => [change.deployment, change.loadBalancer])).toEqual([[undefined, undefined]]);
      expect(shiftDetails(recordOf(pipeline, v2))).toEqual(['100 % of its traffic on the new revision; baking 2 min', '100 % of its traffic on the new revision: live']);
      expect(percents(v2)).toEqual([]);
      expect(postsRoute(pipeline)).toBe('posts=1,posts-g=0');
      expect(postsTaskDefinition(pipeline)).toBe('posts:2');
    });
  });

  it('without an ECS infrastructure role, --faulty posts on the update: the bake at 100 % trips, posts back on posts:1', async () => {
    await withPipeline({ ecsInfrastructureRole: false, servicesDir: servicesWith(SHORT_CANARY) }, async (pipeline) => {
      expect((await push(pipeline, 'v1', V1)).status).toBe('SUCCEEDED');
      pipeline.behaviours.markServiceFaulty('posts');

      const v2 = await push(pipeline, 'v2', V2);

      expect(v2).toMatchObject({ status: 'FAILED', error: 'TrafficGateError' });
      expect(v2.cause).toMatch(
        /^TrafficGateError: traffic gate for posts: HTTPCode_Target_5XX_Count \/ RequestCount was 5\d\.\d\d % \(\d+ of \d+\), threshold 1 %, at 100 %, \d+ s into a 120 s bake\. Restored: service posts back to posts:1 × 1\.$/,
      );
      expect(v2.states).toEqual(expect.arrayContaining(['Shift traffic', 'Compensate', 'Rollout failed']));
      expect(callsSinceStart(pipeline, 'StopServiceDeployment')).toEqual([]);
      expect(percents(v2)).toEqual([]);
      expect(postsRoute(pipeline)).toBe('posts=1,posts-g=0');
      expect(postsTaskDefinition(pipeline)).toBe('posts:1');
    });
  });

  it('a service from before the alternate group (its rule forwards to posts alone, no posts-g): its next push creates posts-g and adds it at weight 0, the push after it is ECS\'s own onto posts-g', async () => {
    await withPipeline({ servicesDir: servicesWith(SHORT_CANARY) }, async (pipeline) => {
      expect((await push(pipeline, 'v1', V1)).status).toBe('SUCCEEDED');
      // the world as it was before this change
      const { elbv2 } = pipeline.emulator.clients();
      const posts = await groupArn(pipeline, 'posts');
      await elbv2.send(new ModifyRuleCommand({ RuleArn: (await postsRule(pipeline))?.RuleArn, Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: posts, Weight: 1 }] } }] }));
      await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: await groupArn(pipeline, 'posts-g') }));
      expect(postsRoute(pipeline)).toBe('posts');
      expect(groupNames(pipeline)).not.toContain('posts-g');

      const v2 = await push(pipeline, 'v2', V2);

      expect(v2).toMatchObject({ status: 'SUCCEEDED', error: null });
      // "Ensure target group" and "Ensure listener rule" ready the service for ECS; the service itself takes AWS's first
      // step of the switch (a rolling update adding advancedConfiguration), judged by a bake at 100 %
      expect(releaseOf(pipeline, v2).changes).toEqual([
        'registered posts:2',
        'created target group posts-g',
        'rule /api/posts* now carries posts-g at weight 0',
        `updated service posts to posts:2 × 1 (rolling update: ${SWITCH_STEP})`,
      ]);
      expect(percents(v2)).toEqual([]);
      expect(groupNames(pipeline)).toContain('posts-g');
      const alternate = await groupArn(pipeline, 'posts-g');
      expect(releaseOf(pipeline, v2).alternateTargetGroupArn).toBe(alternate);
      expect(postsRoute(pipeline)).toBe('posts=1,posts-g=0');
      expect(postsTaskDefinition(pipeline)).toBe('posts:2');

      const v3 = await push(pipeline, 'v3', V3);

      expect(v3).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(v3.states).not.toContain('Shift traffic');
      expect(releaseOf(pipeline, v3).changes).toEqual([
        'registered posts:3',
        `updated service posts to posts:3 × 1 with ECS CANARY (10 %, bake 2 min, then 100 %; ${deploymentBake(2)} min before the old revision stops)`,
      ]);
      expect(releaseOf(pipeline, v3).ecsDeployment).toMatchObject({ strategy: 'CANARY', greenTargetGroupArn: alternate });
      expect(percents(v3)).toEqual([10, 100]);
      expect(postsRoute(pipeline)).toBe('posts=0,posts-g=100');
      expect(postsTaskDefinition(pipeline)).toBe('posts:3');
    });
  });

  it('a rolling update after ECS left posts-g serving (its rule then given a login) is baked on posts-g, the group that serves, and succeeds', async () => {
    await withPipeline({ authenticate: true, servicesDir: servicesWith(SHORT_CANARY) }, async (pipeline) => {
      const { elbv2 } = pipeline.emulator.clients();
      await elbv2.send(new CreateRuleCommand({
        ListenerArn: pipeline.config.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/posts*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: await groupArn(pipeline, 'api') }],
      }));
      await liveAndSwitched(pipeline);
      expect((await push(pipeline, 'v3', V3)).status).toBe('SUCCEEDED');
      expect(postsRoute(pipeline)).toBe('posts=0,posts-g=100');
      const rule = await postsRule(pipeline);
      const forward = rule?.Actions?.find((action) => action.Type === 'forward');
      await elbv2.send(new ModifyRuleCommand({ RuleArn: rule?.RuleArn, Actions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...SEED_OIDC } }, { ...forward, Type: 'forward', Order: 2 }] }));

      const v4 = await push(pipeline, 'v4', V4);

      expect(v4).toMatchObject({ status: 'SUCCEEDED', error: null, cause: null });
      expect(postsRoute(pipeline)).toBe('+posts=0,posts-g=100');
      expect(postsTaskDefinition(pipeline)).toBe('posts:4');
    });
  });
});
