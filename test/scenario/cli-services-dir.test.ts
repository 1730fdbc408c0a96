import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollout as run } from './cli-run';
import { generateServices } from '../../local/runner/generate-services';
import { pushEvent } from '../../local/runner/scenario';

const SERVICES = join(__dirname, '..', '..', 'services');

const rollout = (...args: string[]) => run(args);

describe('rollout --services DIR', () => {
  it.concurrent('demo migrates another set of manifests: every one of them, then the cut-over', async () => {
    const { dir, names } = generateServices(3);

    const run = await rollout('demo', '--json', '--services', dir);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { executions: { name: string; status: string; children: { status: string }[] }[]; state: { services: { name: string }[] } };
    expect(report.executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(report.executions.map((execution) => execution.name.replace(/-[0-9a-f]{32}$/, ''))).toEqual(names);
    expect(report.executions.at(-1)?.children.map((child) => child.status)).toEqual(['SUCCEEDED']);
  });

  it.concurrent("simulate and plan read the folder's manifests: a repository only it has is matched", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-services-orders-'));
    cpSync(SERVICES, dir, { recursive: true });
    cpSync(join(dir, 'posts'), join(dir, 'orders'), { recursive: true });
    writeFileSync(join(dir, 'orders', 'service.yml'), 'name: orders\nrepository: orders\npaths: ["/api/orders*"]\npriority: 4\n');
    const event = join(dir, 'push-orders.json');
    writeFileSync(event, JSON.stringify(pushEvent('orders', 'v1', '2026-11-26T09:00:00Z')));

    const [withFolder, without, planned] = await Promise.all([rollout('simulate', '--json', '--services', dir, event), rollout('simulate', '--json', event), rollout('plan', '--services', dir, event)]);

    expect(withFolder.code).toBe(0);
    expect((JSON.parse(withFolder.stdout) as { executions: { matched: boolean; status: string }[] }).executions).toMatchObject([{ matched: true, status: 'SUCCEEDED' }]);
    expect((JSON.parse(without.stdout) as { executions: { matched: boolean }[] }).executions).toMatchObject([{ matched: false }]);
    expect(planned.stdout).toContain('orders');
  });

  it.concurrent.each([
    [['/nonexistent-services'], /^rollout: --services \/nonexistent-services: no such directory\n$/],
  ])('refuses %j with exit 2 and one line, running nothing', async (args, message) => {
    const run = await rollout('demo', '--services', ...args);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it.concurrent('refuses a folder without a monolith, naming why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-services-nomonolith-'));
    cpSync(join(SERVICES, 'posts'), join(dir, 'posts'), { recursive: true });

    const run = await rollout('simulate', '--services', dir, join(__dirname, '..', 'fixtures', 'events', 'push-posts-v1.json'));

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`rollout: --services ${dir}: none of its manifests has role monolith (the local environment starts from the monolith)\n`);
  });
});
