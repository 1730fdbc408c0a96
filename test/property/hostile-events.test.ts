/**
 * Properties over random events at the two edge handlers. What becomes of each named shape of event (DELETE,
 * FAILURE, untagged, oversized, foreign, …) is a table: test/unit/eventbridge/event-shapes.ts. These check what
 * holds for every event, named or not; each name says what it asserts.
 */
import fc from 'fast-check';
import { makeHandler as makeStartRollout, type StartOutcome } from '../../functions/start-rollout';
import { findByRepository } from '../../lib/domain/catalog';
import { buildPushEventPattern } from '../../lib/domain/event-pattern';
import { DIGEST, parsePushEvent } from '../../lib/domain/push-event';
import { matchesEventPattern, type EventPattern } from '../../local/eventbridge/match-pattern';
import { bentPushEvent, namedHostilePush, nonObjectEvent, notASuccessfulPush } from './event-arbitraries';
import { hostileEnv, mutatingCallsSince, refusalProblem, settled, type HostileEnv } from './hostile-env';

const NUM_RUNS = 200;
/** What startRollout may pass to Step Functions: the fields the workflow reads, at most 8 KiB. */
const EVENT_FIELDS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'detail'];
const DETAIL_FIELDS = ['result', 'repository-name', 'image-digest', 'action-type', 'image-tag'];

type Detail = Record<string, unknown>;
const detailOf = (event: unknown): Detail => {
  const detail = (event as { detail?: unknown } | null | undefined)?.detail;
  return detail !== null && typeof detail === 'object' ? (detail as Detail) : {};
};

/**
 * refusalProblem (hostile-env.ts) predates TagNotDeployedError, the starter's refusal of an untagged push: it is a
 * named refusal too, but only for an event whose image-tag is absent or empty.
 */
function problemWith(error: unknown, event: unknown): string | undefined {
  if (!(error instanceof Error) || error.name !== 'TagNotDeployedError') return refusalProblem(error);
  return detailOf(event)['image-tag'] ? `TagNotDeployedError for a tagged push: ${error.message}` : undefined;
}

function isValidPush(event: unknown): boolean {
  try {
    parsePushEvent(event);
    return true;
  } catch {
    return false;
  }
}

describe('hostile ECR events at the edge handlers', () => {
  let env: HostileEnv;
  let pattern: EventPattern;
  /** Each StartExecution the starter made (a stub: nothing runs). */
  let sent: { name: string; input: { event: Record<string, unknown> } }[] = [];
  let startRollout: (event: unknown) => Promise<StartOutcome>;

  beforeAll(async () => {
    env = await hostileEnv();
    pattern = buildPushEventPattern(env.deps.config.catalog) as unknown as EventPattern;
    startRollout = makeStartRollout({
      ...env.deps,
      sfn: {
        start: async (name, input) => (sent.push({ name, input: input as { event: Record<string, unknown> } }), { started: true, executionArn: `arn:aws:states:us-east-1:123456789012:execution:rollout:${name}` }),
        describe: async () => undefined,
      },
    });
  });

  /** Runs the starter on a fresh record of what it sent. */
  async function start(event: unknown) {
    sent = [];
    return settled(() => startRollout(event));
  }

  // an array passes for an object until its missing detail: the field named is then detail, not (event)
  it('never starts an execution for an event that is not an object: a ValidationError naming (event) or its missing detail', async () => {
    await fc.assert(
      fc.asyncProperty(nonObjectEvent, async (event) => {
        const started = await start(event);

        expect('error' in started && started.error).toMatchObject({ name: 'ValidationError', field: expect.stringMatching(/^(\(event\)|detail)$/) });
        expect('error' in started && refusalProblem(started.error)).toBeUndefined();
        expect(sent).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('never matches an event that is not a successful PUSH with the rule pattern (any action-type but PUSH, any result but SUCCESS, or either absent)', () => {
    fc.assert(
      fc.property(notASuccessfulPush, (event) => {
        expect(matchesEventPattern(pattern, event)).toBe(false);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('never starts an execution for an event that is not a successful PUSH, delivered anyway: it refuses with a named error', async () => {
    await fc.assert(
      fc.asyncProperty(notASuccessfulPush, async (event) => {
        const started = await start(event);

        expect(sent).toEqual([]);
        expect('error' in started && problemWith(started.error, event)).toBeUndefined();
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('starts at most one execution per bent event, passing only the fields the workflow reads (under 8 KiB); anything else it refuses with a named error naming the field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bentPushEvent, namedHostilePush), async (event) => {
        const started = await start(event);

        if ('error' in started) {
          expect(problemWith(started.error, event)).toBeUndefined();
          expect(sent).toEqual([]);
          return;
        }
        expect(started.value.status).toBe('STARTED');
        expect(sent).toHaveLength(1);
        const passed = sent[0]?.input.event ?? {};
        expect(EVENT_FIELDS).toEqual(expect.arrayContaining(Object.keys(passed)));
        expect(DETAIL_FIELDS).toEqual(expect.arrayContaining(Object.keys(detailOf(passed))));
        expect(Buffer.byteLength(JSON.stringify(passed))).toBeLessThanOrEqual(8 * 1024);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('resolves a started bent event only when it is a valid push of a catalog repository, refuses every other with a named error naming the field, and changes nothing', async () => {
    let resolvedCount = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(bentPushEvent, namedHostilePush), async (event) => {
        if ('error' in (await start(event))) return; // the starter refused it: no execution, nothing to resolve
        const detail = detailOf(event);
        const [repository, digest] = [detail['repository-name'], detail['image-digest']];
        // the image is in ECR before its event is delivered; without it every resolve would end ImageNotFoundError
        if (typeof repository === 'string' && typeof digest === 'string' && DIGEST.test(digest)) env.emulator.pushImage(repository, digest);
        const mark = env.emulator.calls.length;

        const resolved = await settled(() => env.resolveRelease({ event, executionName: 'hostile-input' }));

        if ('error' in resolved) expect(problemWith(resolved.error, event)).toBeUndefined();
        else {
          resolvedCount += 1;
          expect(isValidPush(event)).toBe(true);
          expect(findByRepository(env.deps.config.catalog, String(repository))?.name).toBe(resolved.value.service);
        }
        expect(mutatingCallsSince(env.emulator, mark)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
    // the implication above proves nothing if nothing resolved
    expect(resolvedCount).toBeGreaterThan(0);
  });
});
