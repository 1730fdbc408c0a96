import { isMutating } from '../../local/runner/operations';
import { LocalPipeline } from '../../local/runner/pipeline';
import { forwardTo } from '../../lib/domain/routing';
import { callsSinceStart, fixture } from './helpers';

describe('scenario: a path another rule takes first', () => {
  it('refuses the rollout with ShadowedPathError naming the rule and priority, before any change', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      // Someone added a rule by hand at priority 2 that sends /api/th* to the monolith; threads sits at 3.
      const monolith = await pipeline.deps.elb.findTargetGroup('api');
      const handMade = await pipeline.deps.elb.createPathRule(pipeline.config.listenerArn, 2, ['/api/th*'], forwardTo([{ targetGroupArn: monolith?.TargetGroupArn ?? '', weight: 1 }]));
      pipeline.markStart();

      const { label, event } = fixture('push-threads-v1');
      const delivery = await pipeline.deliver(label, event);
      await pipeline.settle();

      const execution = delivery.execution;
      expect(execution?.status).toBe('FAILED');
      expect(execution?.error).toBe('ShadowedPathError');
      expect(execution?.cause).toContain(`rule ${handMade} at priority 2 (paths /api/th*) comes before threads's priority 3 and takes requests for /api/threads*`);
      expect(callsSinceStart(pipeline).filter((call) => isMutating(call.replace(/!.*$/, '')))).toEqual([]);
    } finally {
      pipeline.dispose();
    }
  });
});
