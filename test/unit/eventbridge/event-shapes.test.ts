import { makeHandler as makeStartRollout, type StartOutcome } from '../../../functions/start-rollout';
import { findByRepository } from '../../../lib/domain/catalog';
import { buildPushEventPattern } from '../../../lib/domain/event-pattern';
import { DIGEST, executionNameFor } from '../../../lib/domain/push-event';
import type { AwsEmulator } from '../../../local/emulator';
import { matchesEventPattern, type EventPattern } from '../../../local/eventbridge/match-pattern';
import { LocalPipeline } from '../../../local/runner/pipeline';
import { executionReport } from '../../../local/runner/report';
import { hostileEnv, mutatingCallsSince, settled, type HostileEnv } from '../../property/hostile-env';
import { EVENT_SHAPES, type EventShape, type Refusal } from './event-shapes';

type Detail = Record<string, unknown>;
const detailOf = (event: unknown): Detail => ((event as { detail?: Detail } | null)?.detail ?? {});

/** What startRollout passes to Step Functions: the fields the workflow reads, and nothing else (the contract). */
const EVENT_FIELDS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region'];
const DETAIL_FIELDS = ['result', 'repository-name', 'image-digest', 'action-type', 'image-tag'];
const only = (source: Detail, keys: string[]): Detail => Object.fromEntries(Object.entries(source).filter(([key]) => keys.includes(key)));

const fieldsOf = (refusal: Refusal): readonly string[] => (refusal.field === undefined ? [] : typeof refusal.field === 'string' ? [refusal.field] : refusal.field);

const refusal = (outcome: EventShape['starter'] | EventShape['resolve']): string =>
  typeof outcome === 'object' ? `refuses with ${outcome.refuses}${outcome.field ? ` naming ${fieldsOf(outcome).join(' or ')}` : ''}` : String(outcome);

function expectRefusal(result: { value: unknown } | { error: unknown }, expected: Refusal): void {
  const fields = fieldsOf(expected).map((field) => field.replace(/[.()]/g, '\\$&'));
  expect('error' in result ? result.error : result).toMatchObject({ name: expected.refuses, ...(fields.length > 0 ? { field: expect.stringMatching(new RegExp(`^(${fields.join('|')})$`)) } : {}) });
}

/** The image lands in ECR before EventBridge delivers the event, as LocalPipeline.deliver does. */
function pushImageOf(emulator: AwsEmulator, event: unknown): void {
  const detail = detailOf(event);
  const [repository, digest, tag] = [detail['repository-name'], detail['image-digest'], detail['image-tag']];
  if (typeof repository === 'string' && typeof digest === 'string' && DIGEST.test(digest)) emulator.pushImage(repository, digest, typeof tag === 'string' ? tag : undefined);
}

let env: HostileEnv;
/** StartExecution calls the starter made: a stub, so nothing runs; the pipeline section runs them for real. */
let sent: { name: string; input: { event: Record<string, unknown> } }[];
let startRollout: (event: unknown) => Promise<StartOutcome>;

beforeAll(async () => {
  env = await hostileEnv();
  startRollout = makeStartRollout({
    ...env.deps,
    sfn: {
      start: async (name, input) => (sent.push({ name, input: input as { event: Record<string, unknown> } }), { started: true, executionArn: `arn:aws:states:us-east-1:123456789012:execution:rollout:${name}` }),
      describe: async () => undefined, // every name is fresh: no execution exists yet
    },
  });
});
beforeEach(() => {
  sent = [];
});

describe('event shapes: the rule serverless.yml deploys (config/serverless-catalog.cjs → buildPushEventPattern)', () => {
  it.each(EVENT_SHAPES.map((row) => [row.shape, row.rule === 'matches' ? 'matches it: startRollout is invoked' : 'ignores it', row] as const))('%s: the rule %s', (_shape, _verdict, row) => {
    const pattern = buildPushEventPattern(env.deps.config.catalog) as unknown as EventPattern;

    expect(matchesEventPattern(pattern, row.event) ? 'matches' : 'ignores').toBe(row.rule);
  });
});

describe('event shapes handed to startRollout (by the rule, or delivered anyway)', () => {
  for (const row of EVENT_SHAPES) {
    const outcome = row.starter === 'starts' ? 'starts one execution with the event trimmed to the fields the workflow reads' : `starts nothing: ${refusal(row.starter)}`;
    it(`${row.shape}: ${outcome}`, async () => {
      const result = await settled(() => startRollout(row.event));

      if (row.starter !== 'starts') {
        expectRefusal(result, row.starter);
        expect(sent).toEqual([]);
        return;
      }
      const detail = detailOf(row.event);
      const name = executionNameFor(String(detail['repository-name']), String(detail['image-digest']));
      expect(result).toEqual({ value: { status: 'STARTED', name, executionArn: expect.stringContaining(name) } });
      expect(sent).toEqual([{ name, input: { event: { ...only(row.event as Detail, EVENT_FIELDS), detail: only(detail, DETAIL_FIELDS) }, receivedAt: expect.any(String) } }]);
      expect(Buffer.byteLength(JSON.stringify(sent[0]?.input.event))).toBeLessThanOrEqual(8 * 1024);
    });
  }
});

describe('event shapes in Resolve release, the first step of an execution the starter started', () => {
  it.each(EVENT_SHAPES.filter((row) => row.resolve).map((row) => [row.shape, refusal(row.resolve), row] as const))('%s: %s, with no AWS change', async (_shape, _outcome, row) => {
    pushImageOf(env.emulator, row.event);
    const mark = env.emulator.calls.length;

    const result = await settled(() => env.resolveRelease({ event: row.event, executionName: 'event-shape' }));

    const detail = detailOf(row.event);
    if (row.resolve === 'resolves') {
      const manifest = findByRepository(env.deps.config.catalog, String(detail['repository-name']));
      expect(result).toMatchObject({ value: { service: manifest?.name, imageUri: expect.stringMatching(new RegExp(`/${String(detail['repository-name'])}@${String(detail['image-digest'])}$`)), push: { tag: detail['image-tag'] } } });
    } else if (row.resolve) expectRefusal(result, row.resolve);
    expect(mutatingCallsSince(env.emulator, mark)).toEqual([]);
  });

});

describe('event shapes through the local pipeline (rule pattern → startRollout → the rollout state machine)', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await LocalPipeline.tutorial();
  });
  afterAll(() => pipeline.dispose());

  const expected = (row: EventShape): string => {
    if (row.rule === 'ignores') return 'not delivered: no execution, no AWS call';
    if (row.starter !== 'starts') return `refused by startRollout with ${row.starter.refuses}, no execution`;
    return row.resolve === 'resolves' ? 'an execution that SUCCEEDED' : `an execution that Resolve release FAILED: ${refusal(row.resolve)}, no AWS change`;
  };

  // One pipeline, rows in table order: each row's digest is its own, so no delivery is another's duplicate.
  it.each(EVENT_SHAPES.map((row) => [row.shape, expected(row), row] as const))('%s: %s', async (_shape, _outcome, row) => {
    const mark = pipeline.emulator.calls.length;
    const executions = pipeline.sfn.executions.size;

    const delivery = await pipeline.deliver(row.shape, row.event);
    await pipeline.settle();

    const report = executionReport({ ...delivery, execution: delivery.execution && pipeline.sfn.executions.get(delivery.execution.name) });
    if (row.rule === 'ignores') {
      expect(report).toMatchObject({ matched: false, name: null, status: null });
      expect(pipeline.sfn.executions.size).toBe(executions);
      expect(pipeline.emulator.calls.slice(mark)).toEqual([]);
      return;
    }
    if (row.starter !== 'starts') {
      expect(delivery.rejected?.error).toBe(row.starter.refuses);
      expect(pipeline.sfn.executions.size).toBe(executions);
    } else if (row.resolve === 'resolves') {
      expect(report).toMatchObject({ matched: true, status: 'SUCCEEDED', error: null });
      return;
    } else {
      expect(report).toMatchObject({ matched: true, status: 'FAILED', error: row.resolve?.refuses });
    }
    expect(mutatingCallsSince(pipeline.emulator, mark)).toEqual([]);
  });
});
