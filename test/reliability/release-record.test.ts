/**
 * PENDING (product bug, not a .test.ts so the suite stays green): compensation withdraws the release record
 * its execution wrote (functions/compensate.ts → locks.forgetDeployed) but does not put back the record of
 * the push that is live again. The record is what "Acquire service lock" uses to refuse an older push, so
 * after a failed update an older, late push replaces the newer image that is live.
 * Run: npx jest --testMatch '<rootDir>/test/reliability/pending-*.ts'
 * Fixing it needs the previous record kept (e.g. read in record-prior-state, re-put by compensate), which
 * touches lib/aws/lock.ts, two handlers, their IAM and the DynamoDB conformance tests: not a one-file fix.
 */
jest.mock('@middy/core', () => ({ __esModule: true, default: (handler: unknown) => handler }));

import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport, stateReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';

it('refuses an older push after a failed update was compensated (the live push is still on record)', async () => {
  const pipeline = await LocalPipeline.tutorial();
  try {
    await pipeline.deliver('posts v1 08:00', pushEvent('posts', 'v1', '2026-11-26T08:00:00Z'));
    await pipeline.settle();
    // the update fails after it recorded itself: releasing its lock is denied once, so it is compensated
    pipeline.injectFault({ operation: 'DeleteItem', kind: 'permanent', code: 'AccessDenied', times: 1 });
    const failed = await pipeline.deliver('posts v2 09:00', pushEvent('posts', 'v2', '2026-11-26T09:00:00Z'));
    await pipeline.settle();
    const late = await pipeline.deliver('posts v0 07:00 (late)', pushEvent('posts', 'v0', '2026-11-26T07:00:00Z'));
    await pipeline.settle();

    const posts = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn).services.find((service) => service.name === 'posts');
    expect(executionReport(failed).status).toBe('FAILED');
    expect(executionReport(late).status).toBe('SUPERSEDED');
    expect(posts?.image).toContain(digestFor('posts:v1'));
  } finally {
    pipeline.dispose();
  }
});
