import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import type { ExecutionRecord } from '../../local/runner/local-step-functions';
import { LocalPipeline } from '../../local/runner/pipeline';
import { fixture } from './helpers';

const SERVICES = join(__dirname, '..', '..', 'services');
const PUSH = fixture('push-posts-v1');
const DIGEST = (PUSH.event as { detail: { 'image-digest': string } }).detail['image-digest'];

/** The tutorial's services with posts' manifest given these fields (YAML `key: value` lines). */
function servicesWithPosts(fields: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-health-timing-'));
  cpSync(SERVICES, dir, { recursive: true });
  const file = join(dir, 'posts', 'service.yml');
  const kept = readFileSync(file, 'utf8').split('\n').filter((line) => !Object.keys(fields).some((key) => line.startsWith(`${key}:`)));
  writeFileSync(file, [...kept, ...Object.entries(fields).map(([key, value]) => `${key}: ${value}`)].join('\n'));
  return dir;
}

/** Delivers the posts push on `pipeline` (prepared by `before`) and runs it to its end. */
async function rollOutPosts(servicesDir: string | undefined, before: (pipeline: LocalPipeline) => void) {
  const pipeline = await LocalPipeline.tutorial(servicesDir === undefined ? {} : { servicesDir });
  try {
    before(pipeline);
    const delivery = await pipeline.deliver(PUSH.label, PUSH.event);
    await pipeline.settle();
    const { services } = await pipeline.emulator.clients().ecs.send(new DescribeServicesCommand({ cluster: pipeline.config.clusterName, services: ['posts'] }));
    return { execution: delivery.execution as ExecutionRecord, posts: services?.[0] };
  } finally {
    pipeline.dispose();
  }
}

const firstAt = (execution: ExecutionRecord, type: string, state: string): number => {
  const event = execution.history.find((entry) => entry.type === type && entry.state === state);
  if (!event) throw new Error(`no ${type} of "${state}" in ${execution.name}`);
  return event.at;
};

describe('scenario: health timing (one passing check, the ECS grace period, a gate bounded by the clock)', () => {
  it('rolls out a service whose application answers 40 s after its task starts: the default 60 s grace period keeps ECS from replacing it', async () => {
    const { execution, posts } = await rollOutPosts(undefined, (pipeline) => pipeline.emulator.markImageSlowToStart(DIGEST, 40));

    expect([execution.status, execution.error, execution.cause]).toEqual(["SUCCEEDED", undefined, undefined]);
    expect(posts?.healthCheckGracePeriodSeconds).toBe(60);
    expect(posts?.deployments?.map(({ rolloutState, failedTasks }) => ({ rolloutState, failedTasks }))).toEqual([{ rolloutState: 'COMPLETED', failedTasks: 0 }]);
  });

  it('without a grace period (healthCheckGracePeriodSeconds: 0) the same slow start trips the circuit breaker: ServiceUnhealthyError', async () => {
    const { execution } = await rollOutPosts(servicesWithPosts({ healthCheckGracePeriodSeconds: 0 }), (pipeline) => pipeline.emulator.markImageSlowToStart(DIGEST, 40));

    expect([execution.status, execution.error]).toEqual(['FAILED', 'ServiceUnhealthyError']);
    expect(execution.cause).toMatch(/circuit breaker/);
  });

  it('ends the gate by the clock when its checks are throttled past the timeout: HealthGateTimeoutError, within one back-off of the limit', async () => {
    // A task that never passes and, in its hour of grace, is never replaced: only the gate's timeout (60 s) ends this.
    const servicesDir = servicesWithPosts({ healthGateTimeoutSeconds: 60, healthCheckGracePeriodSeconds: 3600 });
    const { execution } = await rollOutPosts(servicesDir, (pipeline) => {
      pipeline.emulator.markImageUnhealthy(DIGEST);
      // ECS throttles every DescribeServices from the first health check on; compensation gets through again.
      pipeline.sfn.listeners.push((_record, event) => {
        if (event.type !== 'StateEntered') return;
        if (event.state === 'Check service health') pipeline.injectFault({ operation: 'DescribeServices', kind: 'throttle', times: 1000 });
        if (event.state === 'Compensate') pipeline.emulator.faults.clear();
      });
    });

    expect([execution.status, execution.error]).toEqual(['FAILED', 'HealthGateTimeoutError']);
    expect(execution.cause).toMatch(/not healthy after \d+s \(limit 60s\): the last check failed: .*ThrottlingException/);
    expect(execution.history.filter((entry) => entry.type === 'StateRetried' && entry.state === 'Check service health').length).toBeGreaterThan(2);
    // From the gate's start to compensation: past the limit, by at most one back-off (60 s) and one check.
    const gateSeconds = (firstAt(execution, 'StateEntered', 'Compensate') - firstAt(execution, 'StateExited', 'Deploy service')) / 1000;
    expect(gateSeconds).toBeGreaterThanOrEqual(60);
    expect(gateSeconds).toBeLessThanOrEqual(60 + 60 + 10);
  });
});
