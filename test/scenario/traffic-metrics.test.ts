/**
 * The local run's users: 20 requests/s per service's paths through the tutorial's listener, and a faulty or slow
 * service's new images, read back the way a bake gate will read them (CloudWatch GetMetricData on the group).
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { findByName } from '../../lib/domain/catalog';
import { LocalPipeline, PROJECT_ROOT } from '../../local/runner/pipeline';
import { pushEvent, runScenario, ScenarioError } from '../../local/runner/scenario';

const MINUTE = 60_000;

/** The tutorial's services with posts all at once (it ships as a canary, whose bake would roll a faulty posts back). */
function postsAllAtOnce(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-metrics-'));
  cpSync(join(PROJECT_ROOT, 'services'), dir, { recursive: true });
  const file = join(dir, 'posts', 'service.yml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/strategy: canary/, 'strategy: all-at-once'));
  return dir;
}

async function lastMinutes(pipeline: LocalPipeline, service: string, metrics: Array<[string, string]>, minutes: number) {
  const end = Math.floor(pipeline.time.now() / MINUTE) * MINUTE;
  const group = pipeline.emulator.snapshot().targetGroups.find((candidate) => candidate.name === service);
  const targetGroup = group?.arn.slice(group.arn.lastIndexOf(':') + 1) ?? '';
  const loadBalancer = group?.loadBalancerArns[0]?.split(':loadbalancer/')[1] ?? '';
  const { MetricDataResults = [] } = await pipeline.emulator.clients().cloudwatch.send(new GetMetricDataCommand({
    StartTime: new Date(end - minutes * MINUTE), EndTime: new Date(end), ScanBy: 'TimestampAscending',
    MetricDataQueries: metrics.map(([metricName, stat], index) => ({
      Id: `m${index}`, Label: `${metricName} ${stat}`,
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: [{ Name: 'TargetGroup', Value: targetGroup }, { Name: 'LoadBalancer', Value: loadBalancer }] }, Period: 60, Stat: stat },
    })),
  }));
  return Object.fromEntries(MetricDataResults.map((result): [string, number[]] => [result.Label ?? '', result.Values ?? []]));
}

describe('scenario: traffic and metrics on the local pipeline', () => {
  it('serves /api/posts from the new group after its rollout, with half its requests 5xx when posts is faulty and +2 s when slow', async () => {
    const pipeline = await LocalPipeline.tutorial({ servicesDir: postsAllAtOnce() });
    try {
      pipeline.behaviours.mark({ faulty: [{ service: 'posts' }], slow: [{ service: 'posts' }] });
      await pipeline.deliver('push-posts-v1', pushEvent(findByName(pipeline.catalog, 'posts')?.repository ?? 'posts', 'v1', '2026-11-26T09:05:00Z'));
      await pipeline.settle();
      await pipeline.time.advance(3 * MINUTE);

      expect(await lastMinutes(pipeline, 'posts', [['RequestCount', 'Sum'], ['HTTPCode_Target_5XX_Count', 'Sum'], ['TargetResponseTime', 'p99'], ['UnHealthyHostCount', 'Maximum']], 2)).toEqual({
        'RequestCount Sum': [1200, 1200], 'HTTPCode_Target_5XX_Count Sum': [600, 600], 'TargetResponseTime p99': [2.02, 2.02], 'UnHealthyHostCount Maximum': [0, 0],
      });
      // the monolith keeps the rest of /api*: its own 20 requests/s plus users' and threads'
      expect(await lastMinutes(pipeline, 'api', [['RequestCount', 'Sum'], ['HTTPCode_Target_5XX_Count', 'Sum'], ['TargetResponseTime', 'p99']], 1)).toEqual({
        'RequestCount Sum': [3600], 'HTTPCode_Target_5XX_Count Sum': [], 'TargetResponseTime p99': [0.02],
      });
    } finally {
      pipeline.dispose();
    }
  });

  it('marks only images pushed after the service is marked: the seeded monolith answers normally, its next image does not', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      pipeline.behaviours.mark({ faulty: [{ service: 'api', errorRate: 1 }] });
      await pipeline.time.advance(2 * MINUTE);
      expect(await lastMinutes(pipeline, 'api', [['RequestCount', 'Sum'], ['HTTPCode_Target_5XX_Count', 'Sum']], 1)).toEqual({ 'RequestCount Sum': [4800], 'HTTPCode_Target_5XX_Count Sum': [] });

      await pipeline.deliver('push-api-v2', pushEvent(findByName(pipeline.catalog, 'api')?.repository ?? 'api', 'v2', '2026-11-26T09:05:00Z'));
      await pipeline.settle();
      await pipeline.time.advance(2 * MINUTE);
      expect(await lastMinutes(pipeline, 'api', [['RequestCount', 'Sum'], ['HTTPCode_Target_5XX_Count', 'Sum']], 1)).toEqual({ 'RequestCount Sum': [4800], 'HTTPCode_Target_5XX_Count Sum': [4800] });
    } finally {
      pipeline.dispose();
    }
  });

  it('checks faulty and slow services before anything runs', async () => {
    await expect(runScenario([], { faulty: [{ service: 'nope' }] })).rejects.toThrow(new ScenarioError('invalid faulty nope: no such service in the catalog'));
    await expect(runScenario([], { slow: [{ service: 'posts', addedLatencyMs: -1 }] })).rejects.toThrow(ScenarioError);
    await expect(runScenario([], { faulty: [{ service: 'posts', errorRate: 2 }] })).rejects.toThrow('invalid faulty posts: the error rate must be 0-1, got 2');
  });
});
