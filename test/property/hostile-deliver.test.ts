import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parsePushEvent } from '../../lib/domain/push-event';
import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport } from '../../local/runner/report';
import { bentPushEvent, namedHostilePush, nonObjectEvent } from './event-arbitraries';
import { mutatingCallsSince, NAMED_EDGE_ERRORS } from './hostile-env';

const NOT_MATCHING_DIR = join(__dirname, '..', 'fixtures', 'events', 'not-matching');

function isInvalidPush(event: unknown): boolean {
  try {
    parsePushEvent(event);
    return false;
  } catch {
    return true;
  }
}

/** Through EventBridge's pattern, the starter and the workflow: ignored, refused or FAILED by name — and nothing changed. */
describe('hostile events delivered through the local pipeline', () => {
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    pipeline = await LocalPipeline.tutorial();
  });
  afterAll(() => pipeline.dispose());

  async function checkDelivery(event: unknown): Promise<void> {
    const mark = pipeline.emulator.calls.length;
    const delivery = await pipeline.deliver('hostile', event);
    await pipeline.settle();
    const report = executionReport({ ...delivery, execution: delivery.execution && pipeline.sfn.executions.get(delivery.execution.name) });

    // a re-delivery of an event already refused is a DUPLICATE: a no-op by the execution name
    if (report.matched && report.status !== 'DUPLICATE') {
      expect(report.status).toBe('FAILED');
      expect(NAMED_EDGE_ERRORS).toContain(report.error);
    }
    expect(mutatingCallsSince(pipeline.emulator, mark)).toEqual([]);
  }

  it.each(readdirSync(NOT_MATCHING_DIR).filter((file) => file.endsWith('.json')))('ignores or refuses %s without a mutating call', async (file) => {
    await checkDelivery(JSON.parse(readFileSync(join(NOT_MATCHING_DIR, file), 'utf8')));
  });

  it('ignores or refuses invalid push events without a mutating call', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(bentPushEvent, namedHostilePush, nonObjectEvent).filter(isInvalidPush), checkDelivery), { numRuns: 100 });
  });

  it('refuses a push of an image from another account in Resolve release, without a mutating call', async () => {
    const event = namedHostilePush.filter((candidate) => (candidate as { account?: string }).account === '999999999999');
    await fc.assert(fc.asyncProperty(event, checkDelivery), { numRuns: 5 });
  });
});
