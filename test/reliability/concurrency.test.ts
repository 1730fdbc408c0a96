import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServices } from '../../local/runner/generate-services';
import { pushEvent, runScenario } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';

const imageOf = (report: Awaited<ReturnType<typeof runScenario>>, service: string): string | undefined => report.state.services.find((s) => s.name === service)?.image;

describe('concurrent pushes of one service', () => {
  const older = { label: 'posts v1 @09:00:00', event: pushEvent('posts', 'v1', '2026-11-26T09:00:00Z') };
  const newer = { label: 'posts v2 @09:00:01', event: pushEvent('posts', 'v2', '2026-11-26T09:00:01Z') };
  const seedFile = join(mkdtempSync(join(tmpdir(), 'rollout-seed-')), 'seed.json');
  writeFileSync(seedFile, JSON.stringify({ live: ['posts'] }));

  afterAll(() => rmSync(join(seedFile, '..'), { recursive: true, force: true }));

  it.each([
    ['older delivered first, first rollout of posts', [older, newer], undefined],
    ['newer delivered first, first rollout of posts', [newer, older], undefined],
    ['older delivered first, posts already live', [older, newer], seedFile],
    ['newer delivered first, posts already live', [newer, older], seedFile],
  ])('deploys the later push by event time and loses neither (%s)', async (_label, events, seed) => {
    const report = await runScenario(events, { concurrent: true, seed });

    const status = Object.fromEntries(report.executions.map((execution) => [execution.event, execution.status]));
    expect(status[newer.label]).toBe('SUCCEEDED');
    expect(['SUCCEEDED', 'SUPERSEDED']).toContain(status[older.label]);
    expect(imageOf(report, 'posts')).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${digestFor('posts:v2')}`);
    expect(report.state.listener.rules.filter((rule) => rule.paths.includes('/api/posts*'))).toHaveLength(1);
  });

  it('supersedes an older push delivered late, after the newer one is live, without touching the service', async () => {
    const report = await runScenario([newer, older]);

    expect(report.executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUPERSEDED']);
    expect(report.awsCalls.UpdateService).toBeUndefined();
    expect(report.awsCalls.CreateService).toBe(1);
    expect(imageOf(report, 'posts')).toContain(digestFor('posts:v2'));
  });
});

describe('ten services pushed at once', () => {
  const { dir: servicesDir, names } = generateServices(10);
  afterAll(() => rmSync(servicesDir, { recursive: true, force: true }));

  it('rolls every one out with unique rule priorities and cuts over exactly once', async () => {
    const events = names.map((name) => ({ label: name, event: pushEvent(name, 'v1', '2026-11-26T09:00:00Z') }));

    const report = await runScenario(events, { concurrent: true, servicesDir });

    expect(report.executions.map((execution) => execution.status)).toEqual(names.map(() => 'SUCCEEDED'));
    const priorities = report.state.listener.rules.map((rule) => rule.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(priorities).toEqual([...names.map((_, index) => index + 1), 99]);
    expect(report.awsCalls.ModifyListener).toBe(1);
    expect(report.executions.flatMap((execution) => execution.children).filter((child) => child.states.includes('Drop monolith traffic'))).toHaveLength(1);
    for (const name of names) {
      const rule = report.state.listener.rules.find((candidate) => candidate.paths.includes(`/api/${name}*`));
      // its own group serving, its alternate at 0 (the production rule's shape for ECS's own updates)
      expect(rule?.actions[0]?.ForwardConfig?.TargetGroups).toEqual([
        { TargetGroupArn: expect.stringContaining(`/${name}/`), Weight: 1 },
        { TargetGroupArn: expect.stringContaining(`/${name}-g/`), Weight: 0 },
      ]);
    }
    expect(report.state.services.find((service) => service.name === 'api')).toMatchObject({ desiredCount: 0 });
    expect(report.state.services.filter((service) => service.name !== 'api').every((service) => service.runningCount === 1)).toBe(true);
  });
});

describe('load: fifty services pushed at once with AWS-like API throttling', () => {
  const { dir: servicesDir, names } = generateServices(50);
  afterAll(() => rmSync(servicesDir, { recursive: true, force: true }));

  it('rolls every one out through the throttles, keeps priorities unique and cuts over once', async () => {
    const events = names.map((name) => ({ label: name, event: pushEvent(name, 'v1', '2026-11-26T09:00:00Z') }));
    let throttled = 0;

    const report = await runScenario(events, {
      concurrent: true,
      servicesDir,
      throttling: true,
      onPipeline: (pipeline) => {
        const before = pipeline.emulator.calls.length;
        pipeline.sfn.listeners.push(() => {
          throttled = pipeline.emulator.calls.slice(before).filter((call) => /Throttl/.test(call.error ?? '')).length;
        });
      },
    });

    expect(report.executions.map((execution) => execution.status)).toEqual(names.map(() => 'SUCCEEDED'));
    expect(throttled).toBeGreaterThan(0); // the buckets really ran dry: this is a load test, not a clean run
    const priorities = report.state.listener.rules.map((rule) => rule.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(report.awsCalls.ModifyListener).toBe(1);
    expect(report.executions.flatMap((execution) => execution.children).filter((child) => child.states.includes('Drop monolith traffic'))).toHaveLength(1);
    expect(report.state.services.find((service) => service.name === 'api')).toMatchObject({ desiredCount: 0, runningCount: 0 });
  });
});
