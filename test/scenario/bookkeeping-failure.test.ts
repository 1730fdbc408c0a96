import { runScenario } from '../../local/runner/scenario';
import { fixture, MIGRATED_ROUTING, routing, seedFile, servicesOf } from './helpers';

// Releasing a lock after the work is done is bookkeeping: denying it must not undo a finished migration.
describe('scenario: the lock table refuses writes once the migration is done', () => {
  it('keeps the completed migration and leaves the locks to their lease', async () => {
    const report = await runScenario([fixture('push-threads-v1')], { seed: seedFile(['posts', 'users']), fail: ['DeleteItem'] });

    expect(report.executions[0]).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(report.executions[0]?.states.slice(-4)).toEqual(['Release cut-over lock', 'Took the service lock?', 'Release service lock', 'Rollout complete']);
    expect(routing(report.state)).toEqual(MIGRATED_ROUTING);
    expect(servicesOf(report.state).api).toMatchObject({ desired: 0, running: 0 });
    expect(servicesOf(report.state).threads).toMatchObject({ desired: 1, running: 1 });
  });
});
