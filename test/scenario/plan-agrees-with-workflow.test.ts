import { planLocally } from '../../cli/commands/plan';
import { isMutating } from '../../local/runner/operations';
import type { LocalPipeline } from '../../local/runner/pipeline';
import { pushEvent, runScenario } from '../../local/runner/scenario';
import { fixture, routing, seedFile } from './helpers';
import { toStateReport } from '../../cli/environment/read-environment';

/** What the workflow itself changes on the emulator for this push: its successful ECS and ELB writes, in order. */
async function workflowWrites(event: unknown, seed: string | undefined): Promise<{ writes: string[]; status: string | null; error: string | null; routing: Record<string, string> }> {
  let pipeline: LocalPipeline | undefined;
  const report = await runScenario([{ label: 'event', event }], { seed, onPipeline: (created) => (pipeline = created) });
  const calls = pipeline ? pipeline.emulator.calls.slice(pipeline.callsAtStart) : [];
  const execution = report.executions[0];
  return {
    writes: calls.filter((call) => isMutating(call.operation) && !call.error && call.service !== 'dynamodb').map((call) => call.operation),
    status: execution?.status ?? null,
    error: execution?.error ?? null,
    routing: routing(report.state),
  };
}

const live = (...names: string[]) => seedFile(names);
const foreignPush = { ...(fixture('push-posts-v1').event as Record<string, unknown>), account: '999999999999' };

/**
 * The plan runs the workflow's handlers over dry-run adapters; the workflow runs them for real on the emulator.
 * For each case both start from the same seed and get the same push: the plan must name the writes the
 * workflow then makes, in the same order, and predict the same outcome and routing.
 */
const CASES: { name: string; seed?: () => string; event: () => unknown; outcome: string }[] = [
  { name: 'a first microservice from the tutorial', event: () => fixture('push-posts-v1').event, outcome: 'SUCCEEDED' },
  { name: 'the last microservice, which starts the cut-over', seed: () => live('posts', 'users'), event: () => fixture('push-threads-v1').event, outcome: 'SUCCEEDED' },
  { name: 'a new image of a live microservice', seed: () => live('posts'), event: () => pushEvent('posts', 'v2', '2026-11-26T10:00:00Z'), outcome: 'SUCCEEDED' },
  { name: 'the image a live microservice already runs', seed: () => live('posts'), event: () => pushEvent('posts', 'v0', '2026-11-26T10:00:00Z'), outcome: 'DUPLICATE' },
  { name: 'a new image of the monolith', event: () => pushEvent('api', 'v2', '2026-11-26T10:00:00Z'), outcome: 'SUCCEEDED' },
  { name: 'an image from another account', event: () => foreignPush, outcome: 'FAILED' },
];

describe('rollout plan makes the decisions the workflow makes', () => {
  it.each(CASES)('$name: the same writes, outcome and routing', async ({ seed, event, outcome }) => {
    // Prepare
    const seedPath = seed?.();
    const pushed = event();

    // Act
    const planned = await planLocally(pushed, { seed: seedPath, json: true });
    const actual = await workflowWrites(pushed, seedPath);

    // Assess
    const plannedWrites = planned.plan.changes.filter((change) => change.operation && change.operation !== 'StartExecution').map((change) => change.operation);
    expect(planned.plan.outcome).toBe(outcome);
    expect(actual.status).toBe(outcome);
    expect(planned.plan.error).toBe(actual.error);
    expect(plannedWrites).toEqual(actual.writes);
    expect(routing(toStateReport(planned.after))).toEqual(actual.routing);
  });

  it('names the writes of the cut-over it would start, after the rollout that starts it', async () => {
    const planned = await planLocally(fixture('push-threads-v1').event, { seed: live('posts', 'users'), json: true });

    const cutover = planned.plan.changes.filter((change) => change.execution === 'cutover').map((change) => change.operation);
    expect(planned.plan.cutover).toMatchObject({ due: true, name: expect.stringMatching(/^cutover-[0-9a-f]{24}-1$/) });
    expect(cutover).toEqual(['ModifyRule', 'ModifyListener', 'UpdateService', null]);
    expect(planned.plan.changes.findIndex((change) => change.description.startsWith('would start the cut-over'))).toBeLessThan(
      planned.plan.changes.findIndex((change) => change.execution === 'cutover'),
    );
  });
});
