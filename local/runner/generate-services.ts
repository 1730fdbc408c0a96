import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './pipeline';

/** A services/ folder with the tutorial's monolith and `count` generated microservices (svc-01 …). */
export function generateServices(count: number): { dir: string; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `rollout-services-${count}-`));
  mkdirSync(join(dir, 'api'));
  writeFileSync(join(dir, 'api', 'service.yml'), readFileSync(join(PROJECT_ROOT, 'services', 'api', 'service.yml')));
  const names: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const name = `svc-${String(index).padStart(2, '0')}`;
    names.push(name);
    mkdirSync(join(dir, name));
    writeFileSync(
      join(dir, name, 'service.yml'),
      [`name: ${name}`, `repository: ${name}`, 'role: microservice', `paths: ["/api/${name}*"]`, `priority: ${index}`, ''].join('\n'),
    );
  }
  return { dir, names };
}
