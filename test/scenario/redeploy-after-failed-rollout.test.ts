// A first rollout fails (unhealthy image) and compensation deletes the new service, which stays DRAINING for
// a while; a fixed image pushed right after must wait that out (ServiceDrainingError) and then roll out.
import { pushEvent, runScenario } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { routing, servicesOf, TUTORIAL_ROUTING } from './helpers';

describe('scenario: a fixed image pushed right after a failed first rollout', () => {
  it('rolls the fixed image out although the compensated service is still draining', async () => {
    const broken = { label: 'posts-v1', event: pushEvent('posts', 'v1', '2026-11-26T09:00:00Z') };
    const fixed = { label: 'posts-v2', event: pushEvent('posts', 'v2', '2026-11-26T09:05:00Z') };
    const report = await runScenario([broken, fixed], { onPipeline: (pipeline) => pipeline.emulator.markImageUnhealthy(digestFor('posts:v1')) });

    expect(report.executions.map((e) => [e.event, e.status, e.error])).toEqual([
      ['posts-v1', 'FAILED', 'ServiceUnhealthyError'],
      ['posts-v2', 'SUCCEEDED', null],
    ]);
    expect(servicesOf(report.state).posts).toMatchObject({ desired: 1, running: 1, image: expect.stringContaining(`/posts@${digestFor('posts:v2')}`) });
    expect(routing(report.state)).toEqual({ ...TUTORIAL_ROUTING, '1 /api/posts*': 'posts=1,posts-g=0' });
  });
});
