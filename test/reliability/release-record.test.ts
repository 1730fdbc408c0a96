// The release record is written only when a rollout has completed; a failed update never replaces it.

import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport, stateReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';

it('refuses an older push after a failed update was compensated (the live push is still on record)', async () => {
  const pipeline = await LocalPipeline.tutorial();
  try {
    await pipeline.deliver('posts v1 08:00', pushEvent('posts', 'v1', '2026-11-26T08:00:00Z'));
    await pipeline.settle();
    // the update fails at its deploy and is compensated
    pipeline.injectFault({ operation: 'UpdateService', kind: 'permanent', code: 'AccessDeniedException', times: 1 });
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
