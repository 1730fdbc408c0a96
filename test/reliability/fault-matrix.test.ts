import { MUTATING_OPERATIONS } from '../../local/runner/operations';
import { buildMatrix, differences, FAULT_KINDS, renderMatrix, type Cell, type FaultKind, type Matrix, type Observed, type TargetGroupConfiguration } from './fault-matrix-harness';

const describeCell = (cell: Cell): string => `${cell.scenario} ${cell.site.operation} #${cell.site.occurrence} × ${cell.kind}: ${cell.outcome}\n    ${cell.problems.join('\n    ')}`;

describe('fault matrix: every mutating call × throttle, AccessDenied, Lambda timeout', () => {
  let matrix: Matrix;

  beforeAll(async () => {
    matrix = await buildMatrix();
    console.log(`fault matrix (npx tsx scripts/fault-matrix.ts writes it to RELIABILITY.md)\n\n${renderMatrix(matrix)}`);
  }, 120_000);

  const cellsOf = (kind: FaultKind): Cell[] => matrix.cells.filter((cell) => cell.kind === kind);

  it('discovers the mutating calls of both scenarios from their clean runs, the state machines\' lock writes and the cut-over\'s calls included', () => {
    const operations = (scenario: string): string[] => [...new Set((matrix.sites[scenario] ?? []).map((site) => site.operation))].sort();

    // UpdateItem: the locks, written by the state machines themselves (take, release with the release record).
    expect(operations('S1')).toEqual(['CreateRule', 'CreateService', 'CreateTargetGroup', 'ModifyListener', 'ModifyRule', 'RegisterTaskDefinition', 'UpdateItem', 'UpdateService']);
    expect(operations('S2')).toEqual(['RegisterTaskDefinition', 'UpdateItem', 'UpdateService']);
    expect(matrix.sites.S1?.filter((site) => site.operation === 'ModifyListener')).toHaveLength(1);
    expect(matrix.sites.S1?.filter((site) => site.operation === 'UpdateItem')).toHaveLength(4);
    for (const site of Object.values(matrix.sites).flat()) expect(MUTATING_OPERATIONS).toContain(site.operation);
    expect(matrix.cells).toHaveLength(Object.values(matrix.sites).flat().length * FAULT_KINDS.length);
  });

  it('has no inconsistent cell', () => {
    expect(matrix.cells.filter((cell) => !cell.consistent).map(describeCell)).toEqual([]);
  });

  it('ends every twice-throttled call SUCCEEDED with the same end state as the clean run', () => {
    expect([...new Set(cellsOf('throttle').map((cell) => cell.outcome))]).toEqual(['SUCCEEDED, same as clean']);
  });

  // S1's calls after its own traffic shift (a canary: ModifyRule #1 to 10 %, #2 to 100 %): releasing its lock
  // (UpdateItem #2), then the cut-over's.
  const cutoverSites = ['UpdateItem#3', 'ModifyRule#3', 'ModifyListener#1', 'UpdateService#1', 'UpdateItem#4'];
  const siteOf = (cell: Cell) => `${cell.site.operation}#${cell.site.occurrence}`;
  const inCutover = (cell: Cell) => cell.scenario === 'S1' && cutoverSites.includes(siteOf(cell));
  const isBookkeeping = (cell: Cell) => (cell.scenario === 'S1' && ['UpdateItem#2', 'UpdateItem#4'].includes(siteOf(cell))) || (cell.scenario === 'S2' && siteOf(cell) === 'UpdateItem#2');

  it('ends a single AccessDenied before the traffic shift FAILED with the prior routing, services and target groups', () => {
    for (const cell of cellsOf('permanent').filter((c) => !inCutover(c) && !isBookkeeping(c))) expect(cell.outcome).toMatch(/^FAILED (AwsRequestError|DynamoDB\.AccessDenied), prior state$/);
  });

  // A lock write that timed out is retried (it is conditional on the owner, so repeating it is safe): it completes.
  const isLockWrite = (cell: Cell) => cell.site.operation === 'UpdateItem';

  it('never takes back the service when its cut-over fails: the cut-over alone fails and puts back what it changed', () => {
    const cells = [...cellsOf('permanent'), ...cellsOf('timeout')].filter((c) => inCutover(c) && siteOf(c) !== 'UpdateItem#4' && !(c.kind === 'timeout' && isLockWrite(c)));
    expect(cells.length).toBe(7);
    for (const cell of cells) expect(cell.outcome).toMatch(/^cut-over FAILED (AwsRequestError|DynamoDB\.AccessDenied|States\.Timeout), restored$/);
  });

  it('completes when a lock write times out after taking effect: the write is retried, and its owner condition still holds', () => {
    const cells = cellsOf('timeout').filter(isLockWrite);
    expect(cells.length).toBe(6);
    for (const cell of cells) expect(cell.outcome).toBe('SUCCEEDED, complete rollout');
  });

  it('keeps finished work when only the bookkeeping after it fails (a lock release)', () => {
    for (const cell of [...cellsOf('permanent'), ...cellsOf('timeout')].filter(isBookkeeping)) expect(cell.outcome).toBe('SUCCEEDED, complete rollout');
  });

  it('ends every Lambda timeout before the traffic shift FAILED with States.Timeout and the prior state', () => {
    for (const cell of cellsOf('timeout').filter((c) => !inCutover(c) && !isBookkeeping(c) && !isLockWrite(c))) expect(cell.outcome).toBe('FAILED States.Timeout, prior state');
  });

  it('ends AccessDenied on every call in the prior state, or in a CompensationError only where compensation itself needs the denied operation', () => {
    // compensation never registers, creates or scales up anything: denying these cannot stop it
    const notUsedByCompensation = ['RegisterTaskDefinition', 'CreateTargetGroup', 'CreateRule', 'CreateService'];
    for (const cell of cellsOf('permanent-every')) expect(cell.outcome).toMatch(/^(SUCCEEDED, complete rollout|(cut-over )?FAILED [\w.]+, (prior state|restored)|(cut-over )?FAILED CompensationError( \(not restored: .*\))?)$/);
    for (const cell of cellsOf('permanent-every').filter((c) => notUsedByCompensation.includes(c.site.operation))) expect(cell.outcome).toBe('FAILED AwsRequestError, prior state');
  });
});

describe('fault matrix verdict: "prior state" includes every target group', () => {
  const group = (path: string, delay: string): TargetGroupConfiguration => ({
    arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/posts/0000000000000001', port: 80, protocol: 'HTTP', vpcId: 'vpc-1', targetType: 'instance',
    healthCheck: { path, intervalSeconds: 6, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 2, matcher: '200' },
    attributes: { 'deregistration_delay.timeout_seconds': delay },
  });
  const prior: Observed = { listener: { defaultActions: [], rules: [] }, services: {}, routes: {}, targetGroups: { posts: group('/api/posts', '300') }, lockTable: [] };
  const withGroups = (targetGroups: Observed['targetGroups']): Observed => ({ ...prior, targetGroups });

  // Nothing forwards to a group compensation left behind, so no rule, route or service shows it: only this does.
  it('reports a target group left behind', () => {
    expect(differences(prior, withGroups({ ...prior.targetGroups, threads: group('/api/threads', '300') }))).toEqual([`target group threads: expected absent, got ${JSON.stringify(group('/api/threads', '300'))}`]);
  });

  it('reports a target group that is gone', () => {
    expect(differences(prior, withGroups({}))).toEqual([`target group posts: expected ${JSON.stringify(group('/api/posts', '300'))}, got absent`]);
  });

  it('reports a changed health check or deregistration delay', () => {
    expect(differences(prior, withGroups({ posts: group('/health', '300') }))).toEqual([`target group posts: expected ${JSON.stringify(group('/api/posts', '300'))}, got ${JSON.stringify(group('/health', '300'))}`]);
    expect(differences(prior, withGroups({ posts: group('/api/posts', '30') }))).toHaveLength(1);
  });

  it('reports nothing for the same target groups', () => {
    expect(differences(prior, withGroups({ posts: group('/api/posts', '300') }))).toEqual([]);
  });
});
