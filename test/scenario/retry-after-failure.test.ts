import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport } from '../../local/runner/report';
import { fixture } from './helpers';

// After a failed rollout (e.g. a permission fixed since), pushing the same image again must roll it out:
// the first name is taken for 90 days, so the retry runs as "<name>-2". A re-delivery of the same event
// stays a duplicate.
describe('scenario: pushing the same image again after its rollout failed', () => {
  it('retries under the next name, while a re-delivery of the failed event stays a duplicate', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      const { label, event } = fixture('push-posts-v1');
      pipeline.injectFault({ operation: 'CreateService', kind: 'permanent', times: 1 });
      const failed = executionReport(await pipeline.deliver(label, event));
      await pipeline.settle();

      const redelivered = executionReport(await pipeline.deliver(`${label} (redelivered)`, event));
      const repushed = await pipeline.deliver(`${label} (pushed again)`, { ...(event as object), id: 'a-new-push-event' });
      await pipeline.settle();

      expect(failed.name).toBe('posts-98cf390a9790526325315c828548fb07');
      expect(pipeline.sfn.executions.get(failed.name ?? '')?.status).toBe('FAILED');
      expect(redelivered).toMatchObject({ status: 'DUPLICATE', name: failed.name });
      expect(executionReport(repushed)).toMatchObject({ status: 'SUCCEEDED', name: `${failed.name}-2` });
      expect(pipeline.emulator.route(pipeline.config.listenerArn, '/api/posts')).toMatchObject({ kind: 'forward', targetGroups: [{ name: 'posts', weight: 1 }, { name: 'posts-g', weight: 0 }] });
    } finally {
      pipeline.dispose();
    }
  });
});
