import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRecord, localPageModel } from '../../../cli/view/local-view';
import type { PageModel } from '../../../cli/view/model';
import { renderPage } from '../../../cli/view/page';
import { RunRecorder, type RunDetails } from '../../../cli/view/run-recorder';
import { definitionSource } from '../../../local/runner/definitions';
import type { LocalPipeline } from '../../../local/runner/pipeline';
import { runScenario, type ScenarioOptions } from '../../../local/runner/scenario';

const EVENTS = join(__dirname, '..', '..', 'fixtures', 'events');
const push = (name: string) => ({ label: name, event: JSON.parse(readFileSync(join(EVENTS, `${name}.json`), 'utf8')) as unknown });

/** A local run with the view's recorder attached, as `rollout demo --view` attaches it. */
async function recordedRun(events: { label: string; event: unknown }[], options: ScenarioOptions) {
  let pipeline: LocalPipeline | undefined;
  let recorder: RunRecorder | undefined;
  const report = await runScenario(events, {
    ...options,
    onPipeline: (created) => {
      pipeline = created;
      recorder = new RunRecorder(created);
    },
  });
  if (!pipeline || !recorder) throw new Error('the scenario built no pipeline');
  const details: RunDetails = recorder.details();
  return { report, details, executions: [...pipeline.sfn.executions.values()].map(fromRecord) };
}

const statesDrawn = (svg: string) => [...svg.matchAll(/<g class="state [^"]*" data-state="([^"]+)"/g)].map((match) => match[1]);
const graphOf = (html: string, index: number) => html.slice(html.indexOf(`id="graph-${index}"`), html.indexOf('</svg>', html.indexOf(`id="graph-${index}"`)));

describe('rollout view: the page of a local run', () => {
  let failed: Awaited<ReturnType<typeof recordedRun>>;
  beforeAll(async () => {
    failed = await recordedRun([push('push-posts-v1')], { fail: ['CreateService', 'RegisterTaskDefinition:5'] });
  });

  it('does not change the run it records: the report is the same without the recorder', async () => {
    const plain = await runScenario([push('push-posts-v1')], { fail: ['CreateService', 'RegisterTaskDefinition:5'] });

    expect(failed.report).toEqual(plain);
  });

  it('does not change concurrent pushes either (the recorder reads the emulator between their states)', async () => {
    const events = ['push-posts-v1', 'push-users-v1', 'push-threads-v1'].map(push);

    const recorded = await recordedRun(events, { concurrent: true, fail: ['DescribeTargetHealth:2'] });

    expect(recorded.report).toEqual(await runScenario(events, { concurrent: true, fail: ['DescribeTargetHealth:2'] }));
    expect(Object.values(recorded.details.executions).some((execution) => execution.sharedCalls)).toBe(true);
  });

  it('counts each AWS call under the state that made it, failed ones by error name', () => {
    const calls = failed.details.executions[failed.report.executions[0]?.name ?? '']?.awsCalls;

    expect(calls?.['Deploy service']).toEqual({ DescribeServices: { calls: 1, failed: {} }, CreateService: { calls: 1, failed: { AccessDeniedException: 1 } } });
    expect(calls?.['Register task definition']?.RegisterTaskDefinition).toEqual({ calls: 6, failed: { ThrottlingException: 5 } });
    expect(calls?.Compensate).toMatchObject({ DeleteRule: { calls: 1, failed: {} }, DeleteTargetGroup: { calls: 2, failed: {} } });
    expect(calls?.['Acquire service lock']).toEqual({ UpdateItem: { calls: 1, failed: {} } });
    const counted = Object.values(calls ?? {}).flatMap((byOperation) => Object.values(byOperation)).reduce((sum, count) => sum + count.calls, 0);
    const starter = (failed.report.awsCalls.DescribeExecution ?? 0) + (failed.report.awsCalls.StartExecution ?? 0);
    expect(counted).toBe(Object.values(failed.report.awsCalls).reduce((sum, count) => sum + count, 0) - starter);
  });

  it('draws every state of the rollout definition, the path taken, the retried and the failed states, and the cause', () => {
    const html = renderPage(localPageModel(failed.executions, failed.details));
    const execution = failed.report.executions[0];

    expect(statesDrawn(graphOf(html, 0)).sort()).toEqual(Object.keys(definitionSource('rollout').States).sort());
    const visited = [...graphOf(html, 0).matchAll(/<g class="state type-\w+ visited[^"]*" data-state="([^"]+)"/g)].map((match) => match[1]);
    expect(visited.sort()).toEqual([...new Set(execution?.states)].sort());
    expect(graphOf(html, 0)).toMatch(/class="state type-task visited retried" data-state="Register task definition"/);
    expect(graphOf(html, 0)).toMatch(/class="state type-task visited failed" data-state="Deploy service"[^>]*data-error="AwsRequestError"/);
    expect(graphOf(html, 0)).toMatch(/class="edge edge-catch taken" data-from="Deploy service" data-to="Compensate"/);
    expect(html).toContain('ecs:CreateService (injected fault AccessDeniedException)');
  });

  it('shows the routing before and after, and the execution started no cut-over', () => {
    const model = localPageModel(failed.executions, failed.details);

    expect(model.execution.children).toEqual([]);
    expect(model.routing).toEqual({ value: { before: expect.anything(), after: failed.report.state } });
  });

  it('is self-contained: no script, no URL to fetch, text from the execution escaped', () => {
    const model = localPageModel(failed.executions, failed.details);
    const hostile: PageModel = { ...model, execution: { ...model.execution, cause: '<img src="https://example.com/x.png">' } };

    const html = renderPage(hostile);

    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|<[^>]*\s(src|href)=|url\((?!#)/i);
    expect(html).toContain('&lt;img src=&quot;https://example.com/x.png&quot;&gt;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('draws the traffic chart only when the execution reports trafficSteps', () => {
    const model = localPageModel(failed.executions, failed.details);
    const start = model.execution.startedAt;
    const withTraffic: PageModel = { ...model, execution: { ...model.execution, trafficSteps: [{ at: start + 1000, percent: 10 }, { at: start + 3000, percent: 100 }] } };

    expect(renderPage(model)).not.toContain('class="traffic"');
    expect(renderPage(withTraffic)).toMatch(/<svg class="traffic"[\s\S]*<circle class="step"[\s\S]*<circle class="step"/);
  });

  it('says what a run without recorded details (rollout simulate) lacks, and still draws the path', () => {
    const html = renderPage(localPageModel(failed.executions, undefined));

    expect(html).toContain('Not recorded for this run');
    expect(statesDrawn(graphOf(html, 0))).toHaveLength(Object.keys(definitionSource('rollout').States).length);
  });
});

describe('rollout view: a rollout that started the cut-over', () => {
  it('draws the cut-over too, from its own definition, with the calls of each execution under its own states', async () => {
    const run = await recordedRun(['push-posts-v1', 'push-users-v1', 'push-threads-v1'].map(push), {});

    const model = localPageModel(run.executions, run.details);
    const html = renderPage(model);

    expect(model.execution.name).toBe(run.report.executions[2]?.name);
    expect(model.execution.children.map((child) => [child.name, child.stateMachine, child.status])).toEqual([[run.report.executions[2]?.children[0]?.name, 'cutover', 'SUCCEEDED']]);
    expect(statesDrawn(graphOf(html, 1)).sort()).toEqual(Object.keys(definitionSource('cutover').States).sort());
    const child = run.details.executions[model.execution.children[0]?.name ?? ''];
    expect(child?.awsCalls['Drop monolith traffic']).toMatchObject({ ModifyListener: { calls: 1 } });
    expect(run.details.executions[model.execution.name]?.awsCalls['Start cut-over if due']).toMatchObject({ StartExecution: { calls: 1 } });
    expect(run.details.executions[model.execution.name]?.awsCalls['Drop monolith traffic']).toBeUndefined();
  });
});
