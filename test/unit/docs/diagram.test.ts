import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionSource, STATE_MACHINES } from '../../../local/runner/definitions';
import { mermaidOf, readmeDiagrams } from '../../../local/runner/diagram';

describe('the README\'s workflow diagrams', () => {
  const definitions = Object.fromEntries(STATE_MACHINES.map((name) => [name, definitionSource(name)]));

  it('are the diagrams drawn from the definitions as they are now (npx tsx scripts/diagram.ts)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(`<!-- diagrams:start -->\n${readmeDiagrams(definitions)}\n<!-- diagrams:end -->`);
  });

  it.each(STATE_MACHINES)('draw every state of %s and every transition out of it', (name) => {
    const definition = definitions[name]!;
    const diagram = mermaidOf(definition, 'x');
    for (const state of Object.keys(definition.States)) expect(diagram).toContain(`"${state.replace(/"/g, '#quot;')}"`);
    const edges = diagram.split('\n').filter((line) => line.includes('-->') || line.includes('.->')).length;
    expect(edges).toBeGreaterThanOrEqual(Object.keys(definition.States).length - 1);
  });
});
