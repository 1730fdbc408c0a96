/**
 * Issue 9: the migration shift moves a service's traffic in steps (canary, linear), each bake judged from what
 * requests see (the emulator's request stream and CloudWatch metrics); a tripped bake rolls back.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { parse, stringify } from 'yaml';
import { findByName } from '../../lib/domain/catalog';
import { PROJECT_ROOT, type LocalPipeline } from '../../local/runner/pipeline';
import { executionReport, stateReport, type ExecutionReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';
import { weightShares, withPipeline } from './helpers';

/** The tutorial's services, with posts' traffic block replaced by `traffic` (undefined: removed). */
function servicesWith(traffic: Record<string, unknown> | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-traffic-'));
  cpSync(join(PROJECT_ROOT, 'services'), dir, { recursive: true });
  const file = join(dir, 'posts', 'service.yml');
  const manifest = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (traffic === undefined) delete manifest.traffic;
  else manifest.traffic = traffic;
  writeFileSync(file, stringify(manifest));
  return dir;
}

async function push(pipeline: LocalPipeline, service: string, tag: string, time: string): Promise<ExecutionReport> {
  const repository = findByName(pipeline.catalog, service)?.repository ?? service;
  const delivery = await pipeline.deliver(`push-${service}-${tag}`, pushEvent(repository, tag, time));
  await pipeline.settle();
  return executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart);
}

const routingOf = (pipeline: LocalPipeline) => stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn).listener;
const percents = (report: ExecutionReport) => report.trafficSteps.map((step) => step.percent);
describe('scenario: progressive traffic on the migration shift', () => {
  it('a healthy canary (the tutorial manifests): 10 %, a bake of at least 5 minutes judged by requests, then 100 %', async () => {
    await withPipeline({}, async (pipeline) => {
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(percents(report)).toEqual([10, 100]);
      const [canary, full] = report.trafficSteps;
      expect((full?.virtualSeconds ?? 0) - (canary?.virtualSeconds ?? 0)).toBeGreaterThanOrEqual(300);
      // the bake was waited out in a few looks, not polled: at most 50 state transitions for the whole rollout
      expect(report.transitions).toBeLessThanOrEqual(50);
      const rule = routingOf(pipeline).rules.find((candidate) => candidate.paths.includes('/api/posts*'));
      expect(rule?.actions.map((action) => action.ForwardConfig?.TargetGroups)).toEqual([
        [
          { TargetGroupArn: expect.stringContaining(':targetgroup/posts/'), Weight: 1 },
          // the alternate group at 0: the production rule's shape for ECS's own updates
          { TargetGroupArn: expect.stringContaining(':targetgroup/posts-g/'), Weight: 0 },
        ],
      ]);
    });
  });

  it('while baking, 10 % of /api/posts goes to the new group: weights 100 and 900', async () => {
    await withPipeline({}, async (pipeline) => {
      const repository = findByName(pipeline.catalog, 'posts')?.repository ?? 'posts';
      await pipeline.deliver('push-posts-v1', pushEvent(repository, 'v1', '2026-11-26T09:05:00Z'));
      // the health gate passes within a minute; two minutes later the bake is under way
      await pipeline.time.advance(150_000);
      const rule = routingOf(pipeline).rules.find((candidate) => candidate.paths.includes('/api/posts*'));
      expect(rule?.actions[0]?.ForwardConfig?.TargetGroups?.map((group) => [group.TargetGroupArn?.split('/')[1], group.Weight])).toEqual([['api', 900], ['posts', 100]]);
      await pipeline.settle();
    });
  });

  it('a linear manifest with stepPercent 25: 25, 50, 75, 100, each a bake apart', async () => {
    await withPipeline({ servicesDir: servicesWith({ strategy: 'linear', stepPercent: 25, bakeMinutes: 2 }) }, async (pipeline) => {
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.status).toBe('SUCCEEDED');
      expect(percents(report)).toEqual([25, 50, 75, 100]);
      const times = report.trafficSteps.map((step) => step.virtualSeconds);
      times.slice(1).forEach((time, index) => expect(time - (times[index] ?? 0)).toBeGreaterThanOrEqual(120));
    });
  });

  it('all at once (no traffic block): one shift to 100 %, no bake', async () => {
    await withPipeline({ servicesDir: servicesWith(undefined) }, async (pipeline) => {
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.status).toBe('SUCCEEDED');
      expect(percents(report)).toEqual([100]);
      expect(report.states.filter((state) => state === 'Shift traffic')).toHaveLength(1);
    });
  });

  it('--faulty posts on its first migration: TrafficGateError at 10 %, /api/posts* back to the monolith exactly, nothing of posts left', async () => {
    await withPipeline({}, async (pipeline) => {
      const before = routingOf(pipeline);
      pipeline.behaviours.markServiceFaulty('posts');
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.status).toBe('FAILED');
      expect(report.error).toBe('TrafficGateError');
      expect(report.cause).toMatch(/HTTPCode_Target_5XX_Count \/ RequestCount was 5\d\.\d\d % \(\d+ of \d+\), threshold 1 %, at 10 %/);
      expect(report.cause).toMatch(/Restored: .*removed rule \/api\/posts\*.*removed new service posts.*removed new target group posts/);
      expect(percents(report)).toEqual([10, 0]);
      // ECS wrote the weights back as percentages (100 / 0): the same routing as before, all of it on posts:1's group
      expect(weightShares(routingOf(pipeline))).toEqual(weightShares(before));
      const snapshot = pipeline.emulator.snapshot();
      expect(snapshot.services.filter((service) => service.name === 'posts' && service.status === 'ACTIVE')).toEqual([]);
      expect(snapshot.targetGroups.map((group) => group.name)).not.toContain('posts');
    });
  });

  it('--faulty posts on the first update after the migration (a rolling update, then a bake at 100 %): TrafficGateError, posts back on its previous task definition with all its traffic', async () => {
    await withPipeline({}, async (pipeline) => {
      expect((await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z')).status).toBe('SUCCEEDED');
      const before = routingOf(pipeline);
      pipeline.behaviours.markServiceFaulty('posts');
      const report = await push(pipeline, 'posts', 'v2', '2026-11-26T10:05:00Z');
      expect(report.error).toBe('TrafficGateError');
      expect(report.cause).toMatch(/at 100 %/);
      expect(report.cause).toMatch(/service posts back to posts:1/);
      expect(percents(report)).toEqual([]);
      expect(routingOf(pipeline)).toEqual(before);
      const posts = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn).services.find((service) => service.name === 'posts');
      expect(posts?.taskDefinition).toBe('posts:1');
    });
  });

  it('--faulty posts on a later update (ECS\'s own canary): the gate trips at 10 %, ECS rolls back, posts back on its previous task definition with all its traffic', async () => {
    await withPipeline({}, async (pipeline) => {
      expect((await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z')).status).toBe('SUCCEEDED');
      expect((await push(pipeline, 'posts', 'v2', '2026-11-26T10:05:00Z')).status).toBe('SUCCEEDED');
      const before = routingOf(pipeline);
      pipeline.behaviours.markServiceFaulty('posts');
      const report = await push(pipeline, 'posts', 'v3', '2026-11-26T11:05:00Z');
      // The pipeline's gate tripped on the new group during ECS's canary bake and asked ECS to roll back
      // (StopServiceDeployment), then waited for ECS to finish that rollback.
      expect(report.error).toBe('TrafficGateError');
      expect(report.cause).toMatch(/HTTPCode_Target_5XX_Count \/ RequestCount was .* at 10 %, \d+ s into ECS's CANARY deployment; ECS ended the service deployment ROLLBACK_SUCCESSFUL/);
      expect(report.cause).toMatch(/a StopServiceDeployment ROLLBACK was requested/);
      expect(percents(report)).toEqual([10, 0]);
      // ECS wrote the weights back as percentages (100 / 0): the same routing as before, all of it on posts:2's group
      expect(weightShares(routingOf(pipeline))).toEqual(weightShares(before));
      const posts = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn).services.find((service) => service.name === 'posts');
      expect(posts?.taskDefinition).toBe('posts:2');
    });
  });

  it('a named alarm in ALARM rolls the canary back, the cause naming the alarm', async () => {
    await withPipeline({ servicesDir: servicesWith({ strategy: 'canary', canaryPercent: 10, bakeMinutes: 5, alarms: ['posts-latency'] }) }, async (pipeline) => {
      const cloudwatch = pipeline.emulator.clients().cloudwatch;
      await cloudwatch.send(new PutMetricAlarmCommand({
        AlarmName: 'posts-latency', Namespace: 'Rollout/Local', MetricName: 'Nobody', Statistic: 'Sum', Period: 60,
        EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
      }));
      await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'posts-latency', StateValue: 'ALARM', StateReason: 'test' }));
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.error).toBe('TrafficGateError');
      expect(report.cause).toMatch(/alarm posts-latency was in ALARM at 10 %/);
      expect(percents(report)).toEqual([10, 0]);
    });
  });

  it('an alarm the manifest names that does not exist refuses the push at Resolve release, before any change', async () => {
    await withPipeline({ servicesDir: servicesWith({ strategy: 'canary', bakeMinutes: 5, alarms: ['no-such-alarm'] }) }, async (pipeline) => {
      const before = routingOf(pipeline);
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.error).toBe('UnknownAlarmError');
      expect(report.cause).toMatch(/traffic.alarms names no-such-alarm, which CloudWatch does not have in us-east-1: .*nothing was changed/);
      expect(report.states).toEqual(['Resolve release', 'Rollout failed']);
      expect(routingOf(pipeline)).toEqual(before);
    });
  });

  it('a slow service over maxP99LatencyMs rolls back, naming TargetResponseTime p99', async () => {
    await withPipeline({ servicesDir: servicesWith({ strategy: 'canary', bakeMinutes: 5, maxP99LatencyMs: 500 }) }, async (pipeline) => {
      pipeline.behaviours.markServiceSlow('posts');
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.error).toBe('TrafficGateError');
      expect(report.cause).toMatch(/TargetResponseTime p99 was 2020 ms, threshold 500 ms, at 10 %/);
    });
  });

  it('a bake with too few requests to judge does not pass, and says so', async () => {
    // 0.2 requests/s for the posts paths: 10 % of it over 5 minutes is about 6 requests, under the 100 a 1 % threshold needs
    await withPipeline({ traffic: { requestsPerSecond: 0.2 } }, async (pipeline) => {
      const report = await push(pipeline, 'posts', 'v1', '2026-11-26T09:05:00Z');
      expect(report.error).toBe('TrafficGateError');
      expect(report.cause).toMatch(/too few requests to judge at 10 %: RequestCount \d, at least 100 needed for a 1 % error threshold/);
    });
  });
});
