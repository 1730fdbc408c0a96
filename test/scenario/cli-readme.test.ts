import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram } from '../../cli/main';
import { rollout } from './cli-run';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const SERVICES = join(__dirname, '..', '..', 'services');

/** A `## ` section of the README, up to the next one. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) return '';
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('the README says what the CLI does', () => {
  it.concurrent('documents every key demo --json prints beyond the simulate --json contract', async () => {
    // Act
    const run = await rollout(['demo', '--json']);

    // Assess
    expect(run.code).toBe(0);
    const contract = ['executions', 'awsCalls', 'state', 'virtualSeconds'];
    const extra = Object.keys(JSON.parse(run.stdout) as object).filter((key) => !contract.includes(key));
    expect(extra.length).toBeGreaterThan(0);
    const local = section('Local mode and the `rollout` CLI');
    expect(extra.filter((key) => !local.includes(`\`${key}\``))).toEqual([]);
  });

  it('shows every command `rollout --help` lists in the CLI synopsis', () => {
    // Prepare
    const commands = buildProgram(() => undefined).commands.map((command) => command.name());
    const synopsis = /```\n(npx rollout demo[\s\S]*?)```/.exec(section('Local mode and the `rollout` CLI'))?.[1] ?? '';

    // Assess
    expect(commands).toContain('abort');
    expect(commands.filter((command) => !synopsis.includes(`npx rollout ${command} `))).toEqual([]);
  });

  it('says the starter refuses an event over 8 KB only once cut down to the fields the pipeline reads (what start-rollout does)', () => {
    // Act
    const local = section('Local mode and the `rollout` CLI');

    // Assess
    expect(local).not.toMatch(/or the event is over 8 KB\)/);
    expect(local).toMatch(/8 KB[^.]*fields the pipeline reads|fields the pipeline reads[^.]*8 KB/);
    expect(local).toMatch(/256 KB/);
  });

  it.concurrent("'Adding a service': its manifest, its event and its simulate run complete the migration", async () => {
    // Prepare
    const adding = section('Adding a service');
    expect(adding).toContain('rollout event orders > orders.json');
    expect(adding).toMatch(/rollout simulate --seed \S+ orders\.json/);
    const manifest = /```yaml\n([\s\S]*?)```/.exec(adding)?.[1];
    expect(manifest).toContain('name: orders');
    const dir = mkdtempSync(join(tmpdir(), 'rollout-readme-services-'));
    cpSync(SERVICES, dir, { recursive: true });
    cpSync(join(dir, 'posts'), join(dir, 'orders'), { recursive: true });
    writeFileSync(join(dir, 'orders', 'service.yml'), manifest ?? '');
    const seed = join(dir, 'migrated.json');
    writeFileSync(seed, JSON.stringify({ live: ['posts', 'users', 'threads'] }));

    // Act
    const event = await rollout(['event', 'orders', '--services', dir]);
    const simulated = await rollout(['simulate', '--json', '--services', dir, '--seed', seed, '-'], { input: event.stdout });

    // Assess
    expect(event.code).toBe(0);
    expect(simulated.code).toBe(0);
    expect((JSON.parse(simulated.stdout) as { executions: unknown[] }).executions).toMatchObject([
      { matched: true, name: expect.stringMatching(/^orders-[0-9a-f]{32}$/), status: 'SUCCEEDED', children: [{ status: 'SUCCEEDED', states: expect.arrayContaining(['Drop monolith traffic']) }] },
    ]);
  });
});
