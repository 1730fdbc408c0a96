import { MUTATING_OPERATIONS } from '../../local/runner/operations';
import { buildMatrix, FAULT_KINDS, renderMatrix, type Cell, type FaultKind, type Matrix } from './fault-matrix-harness';

const describeCell = (cell: Cell): string => `${cell.scenario} ${cell.site.operation} #${cell.site.occurrence} × ${cell.kind}: ${cell.outcome}\n    ${cell.problems.join('\n    ')}`;

describe('fault matrix: every mutating call × throttle, AccessDenied, Lambda timeout', () => {
  let matrix: Matrix;

  beforeAll(async () => {
    matrix = await buildMatrix();
    console.log(`fault matrix (npx tsx scripts/fault-matrix.ts writes it to RELIABILITY.md)\n\n${renderMatrix(matrix)}`);
  }, 120_000);

  const cellsOf = (kind: FaultKind): Cell[] => matrix.cells.filter((cell) => cell.kind === kind);

  it('discovers the mutating calls of both scenarios from their clean runs, lock writes included', () => {
    const operations = (scenario: string): string[] => [...new Set((matrix.sites[scenario] ?? []).map((site) => site.operation))].sort();

    // UpdateItem: the service lock renewed while the execution queues for the cut-over lock.
    expect(operations('S1')).toEqual(['CreateRule', 'CreateService', 'CreateTargetGroup', 'DeleteItem', 'ModifyListener', 'ModifyRule', 'PutItem', 'RegisterTaskDefinition', 'UpdateItem', 'UpdateService']);
    expect(operations('S2')).toEqual(['DeleteItem', 'PutItem', 'RegisterTaskDefinition', 'UpdateService']);
    expect(matrix.sites.S1?.filter((site) => site.operation === 'ModifyListener')).toHaveLength(1);
    for (const site of Object.values(matrix.sites).flat()) expect(MUTATING_OPERATIONS).toContain(site.operation);
    expect(matrix.cells).toHaveLength(Object.values(matrix.sites).flat().length * FAULT_KINDS.length);
  });

  it('has no inconsistent cell', () => {
    const inconsistent = matrix.cells.filter((cell) => !cell.consistent).map(describeCell);

    expect(inconsistent).toEqual([]);
  });

  it('ends every twice-throttled call SUCCEEDED with the same end state as the clean run', () => {
    const outcomes = new Set(cellsOf('throttle').map((cell) => cell.outcome));

    expect([...outcomes]).toEqual(['SUCCEEDED, same as clean']);
  });

  // Lock-table writes after the rollout is complete (releasing locks, recording what is live) do not undo it.
  const BOOKKEEPING = ['PutItem', 'DeleteItem'];
  const outcomeOf = (cell: Cell) => (cell.outcome === 'SUCCEEDED, complete rollout' && BOOKKEEPING.includes(cell.site.operation) ? 'complete' : cell.outcome);

  it('ends every single AccessDenied FAILED with a named error and exactly the prior routing and services, or complete after the rollout finished', () => {
    for (const cell of cellsOf('permanent')) expect(['FAILED AwsRequestError, prior state', 'complete']).toContain(outcomeOf(cell));
    expect(cellsOf('permanent').filter((cell) => !BOOKKEEPING.includes(cell.site.operation)).every((cell) => cell.outcome === 'FAILED AwsRequestError, prior state')).toBe(true);
  });

  it('ends every Lambda timeout FAILED with States.Timeout and exactly the prior routing and services', () => {
    for (const cell of cellsOf('timeout')) expect(['FAILED States.Timeout, prior state', 'complete']).toContain(outcomeOf(cell));
  });

  it('ends AccessDenied on every call in the prior state, or in a CompensationError only where compensation itself needs the denied operation', () => {
    // compensation never registers, creates or scales up anything: denying these cannot stop it
    const notUsedByCompensation = ['RegisterTaskDefinition', 'CreateTargetGroup', 'CreateRule', 'CreateService'];

    for (const cell of cellsOf('permanent-every')) expect(outcomeOf(cell)).toMatch(/^(complete|FAILED (AwsRequestError, prior state|CompensationError( \(not restored: .*\))?))$/);
    for (const cell of cellsOf('permanent-every').filter((c) => notUsedByCompensation.includes(c.site.operation))) expect(cell.outcome).toBe('FAILED AwsRequestError, prior state');
  });
});
