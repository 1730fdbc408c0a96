import { pushEvent, runScenario } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { MIGRATED_ROUTING, routing, seedFile, servicesOf } from './helpers';

// Two pushes of the last microservice at once, and the first cut-over dies (its Lambda times out). The
// service lock is held through the cut-over, so undoing the failed execution cannot wipe out the other
// push's rollout: exactly one fails, the other completes the migration.
describe('scenario: a failed cut-over while a second push of the same service waits', () => {
  it('takes back only its own rollout; the other push then rolls out and cuts over', async () => {
    const v1 = { label: 'posts-v1', event: pushEvent('posts', 'v1', '2026-11-26T09:00:00Z') };
    const v2 = { label: 'posts-v2', event: pushEvent('posts', 'v2', '2026-11-26T09:01:00Z') };

    const report = await runScenario([v1, v2], { seed: seedFile(['users', 'threads']), concurrent: true, fail: ['ModifyListener:timeout'] });

    const statuses = report.executions.map((execution) => execution.status).sort();
    expect(statuses).toEqual(['FAILED', 'SUCCEEDED']);
    const failed = report.executions.find((execution) => execution.status === 'FAILED');
    expect(failed?.error).toBe('States.Timeout');
    expect(failed?.cause).toContain('removed new service posts');
    const winner = report.executions.find((execution) => execution.status === 'SUCCEEDED');
    expect(winner?.states).toContain('Drop monolith traffic');
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    const tag = winner?.event === 'posts-v1' ? 'v1' : 'v2';
    expect(servicesOf(report.state).posts).toMatchObject({ desired: 1, running: 1, image: expect.stringContaining(digestFor(`posts:${tag}`)) });
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0 });
  });
});
