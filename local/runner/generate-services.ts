import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './pipeline';

/**
 * A services/ folder with the tutorial's monolith and `count` generated microservices (svc-01 …) at priorities 1…count.
 * The monolith's catch-all (/api*, priority 99 in the tutorial) must come after every microservice whose paths it
 * overlaps, so with 99 or more services it moves to count + 1.
 */
export function generateServices(count: number): { dir: string; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `rollout-services-${count}-`));
  mkdirSync(join(dir, 'api'));
  const monolith = readFileSync(join(PROJECT_ROOT, 'services', 'api', 'service.yml'), 'utf8');
  writeFileSync(join(dir, 'api', 'service.yml'), count < 99 ? monolith : monolith.replace(/^priority: 99$/m, `priority: ${count + 1}`));
  const names: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    // Same width for all (svc-001 … svc-100): /api/svc-10* would take /api/svc-100's requests.
    const name = `svc-${String(index).padStart(Math.max(2, String(count).length), '0')}`;
    names.push(name);
    mkdirSync(join(dir, name));
    writeFileSync(
      join(dir, name, 'service.yml'),
      [`name: ${name}`, `repository: ${name}`, 'role: microservice', `paths: ["/api/${name}*"]`, `priority: ${index}`, ''].join('\n'),
    );
  }
  return { dir, names };
}
