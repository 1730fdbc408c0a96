/**
 * Writes the state machine diagrams into README.md (between `<!-- diagrams:start -->` and `<!-- diagrams:end -->`)
 * from the definitions themselves. Usage: npx tsx scripts/diagram.ts   (test/unit/docs/diagram.test.ts checks it is current)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionSource, STATE_MACHINES } from '../local/runner/definitions';
import { readmeDiagrams } from '../local/runner/diagram';

const readme = join(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const block = readmeDiagrams(Object.fromEntries(STATE_MACHINES.map((name) => [name, definitionSource(name)])));
const updated = text.replace(/<!-- diagrams:start -->[\s\S]*<!-- diagrams:end -->/, `<!-- diagrams:start -->\n${block}\n<!-- diagrams:end -->`);
if (updated === text && !text.includes('<!-- diagrams:start -->')) throw new Error('README.md has no <!-- diagrams:start --> marker');
writeFileSync(readme, updated);
console.log('README.md diagrams written');
