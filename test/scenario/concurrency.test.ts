import { pushEvent, runScenario } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { cutoverName, fixture, MIGRATED_ROUTING, MICROSERVICE_PUSHES, routing, servicesOf } from './helpers';

const EARLIER = { label: 'posts-v1', event: pushEvent('posts', 'v1', '2026-11-26T09:00:00Z') };
const LATER = { label: 'posts-v2', event: pushEvent('posts', 'v2', '2026-11-26T09:00:30Z') };

describe('scenario: concurrent pushes', () => {
  it.each([
    // earlier first: v2 is the first update of a live posts, a rolling update on its group (AWS's first step to ECS's
    // own deployments, lib/domain/ecs-update.ts)
    ['earlier first', [EARLIER, LATER], 'posts=1,posts-g=0'],
    // later first: v2 is the migration; v1 then finds a newer push live and deploys nothing
    ['later first', [LATER, EARLIER], 'posts=1,posts-g=0'],
  ])('leaves the later push live when two images of posts arrive together (%s)', async (_order, events, route) => {
    const report = await runScenario(events, { concurrent: true });

    const byLabel = Object.fromEntries(report.executions.map((e) => [e.event, e]));
    expect(byLabel['posts-v2']?.status).toBe('SUCCEEDED');
    expect(['SUCCEEDED', 'SUPERSEDED']).toContain(byLabel['posts-v1']?.status);
    expect(servicesOf(report.state).posts).toMatchObject({ desired: 1, running: 1, image: expect.stringContaining(`/posts@${digestFor('posts:v2')}`) });
    expect(report.state.listener.rules.filter((rule) => rule.paths.includes('/api/posts*'))).toHaveLength(1);
    expect(routing(report.state)['1 /api/posts*']).toBe(route);
  });

  it('cuts over exactly once when posts, users and threads are pushed at the same time', async () => {
    const report = await runScenario(MICROSERVICE_PUSHES.map(fixture), { concurrent: true });

    expect(report.executions.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const cutovers = report.executions.flatMap((e) => e.children);
    expect(cutovers.map((cutover) => [cutover.status, cutover.error])).toEqual([['SUCCEEDED', null]]);
    expect(cutovers[0]?.name).toMatch(cutoverName(1));
    expect(cutovers[0]?.states).toEqual(expect.arrayContaining(['Drop monolith traffic', 'Scale monolith to zero', 'Check monolith drained']));
    expect(report.executions.flatMap((e) => e.states)).not.toContain('Drop monolith traffic');
    expect(report.awsCalls.ModifyListener).toBe(1);
    expect(report.awsCalls.UpdateService).toBe(1);
    const priorities = report.state.listener.rules.map((rule) => rule.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
  });
});
