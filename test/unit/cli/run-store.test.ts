import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastRunDir, loadRun, runStoreDir, saveRun } from '../../../cli/run-store';

describe('run store', () => {
  const saved = process.env.ROLLOUT_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.ROLLOUT_HOME;
    else process.env.ROLLOUT_HOME = saved;
  });

  it('is .rollout at the root of this project (beside its package.json), not in the working directory', () => {
    // Prepare
    delete process.env.ROLLOUT_HOME;

    // Act, Assess
    expect(runStoreDir()).toBe(join(__dirname, '..', '..', '..', '.rollout'));
  });

  it('is $ROLLOUT_HOME when set, and a run that started nothing keeps nothing', () => {
    // Prepare
    const home = mkdtempSync(join(tmpdir(), 'rollout-home-'));
    process.env.ROLLOUT_HOME = home;

    // Act
    const dir = saveRun([]);

    // Assess
    expect(runStoreDir()).toBe(home);
    expect(dir).toBeUndefined();
    expect(lastRunDir()).toBeUndefined();
    expect(loadRun()).toEqual([]);
  });
});
