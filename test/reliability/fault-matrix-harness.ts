/**
 * The fault matrix, shared by test/reliability/fault-matrix.test.ts and scripts/fault-matrix.ts: for
 * every mutating call a clean rollout makes, inject a fault at exactly that call and judge the end state.
 */
import { findByName } from '../../lib/domain/catalog';
import type { CallRecord, EmulatorState, FaultRule, RouteResult } from '../../local/emulator';
import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport, stateReport, type ExecutionReport, type StateReport } from '../../local/runner/report';
import { pushEvent, rollOutLive } from '../../local/runner/scenario';
import { weightShares } from '../scenario/helpers';

export interface MatrixScenario {
  readonly id: string;
  readonly title: string;
  readonly live: readonly string[];
  readonly push: { readonly service: string; readonly tag: string };
}

export const SCENARIOS: readonly MatrixScenario[] = [
  { id: 'S1', title: 'last microservice push with cut-over (posts, users live; push threads)', live: ['posts', 'users'], push: { service: 'threads', tag: 'v1' } },
  { id: 'S2', title: 'update of a live service after migration (all live and cut over; push posts v2)', live: ['posts', 'users', 'threads'], push: { service: 'posts', tag: 'v2' } },
];

export const FAULT_KINDS = ['throttle', 'permanent', 'permanent-every', 'timeout'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_DESCRIPTIONS: Record<FaultKind, string> = {
  throttle: 'two throttling errors on this call (ThrottlingException / ProvisionedThroughputExceededException), then it succeeds',
  permanent: 'AccessDenied on this call only; the calls compensation makes afterwards succeed',
  'permanent-every': 'AccessDenied on this call and on every later call of the same operation, compensation included',
  timeout: 'the call takes effect, then never answers: the Task\'s TimeoutSeconds (60 s, virtual) fires, as a Lambda timeout would',
};

/** Paths a client would request: each route of the tutorial, the /api catch-all, and the default action. */
export const REPRESENTATIVE_PATHS = ['/', '/api', '/api/posts', '/api/posts/1', '/api/users/2', '/api/threads/3', '/api/other'] as const;

export interface CallSite {
  readonly operation: string;
  /** 1-based: the n-th call of this operation in the clean run. */
  readonly occurrence: number;
}

/** What must be exactly as before a failed push (or exactly as after a clean one). */
export interface Observed {
  readonly listener: StateReport['listener'];
  readonly services: Record<string, { taskDefinition: string; desiredCount: number; image: string }>;
  readonly routes: Record<string, string>;
  /**
   * Every target group by name, with its configuration: a group compensation left behind (or deleted, or
   * left with another health check or deregistration delay) shows here even when no rule forwards to it.
   */
  readonly targetGroups: Record<string, TargetGroupConfiguration>;
  /** Lock and release-record items (without their TTL): a lock left behind blocks the next push. */
  readonly lockTable: string[];
}

type SnapshotTargetGroup = EmulatorState['targetGroups'][number];

/**
 * A target group as configured (its ARN included, so a group deleted and created again is not the same one);
 * its targets come and go with tasks, and which load balancers use it is what the listener rules say.
 */
export type TargetGroupConfiguration = Omit<SnapshotTargetGroup, 'name' | 'targets' | 'loadBalancerArns'>;

function configurationOf({ name: _name, targets: _targets, loadBalancerArns: _loadBalancerArns, ...configuration }: SnapshotTargetGroup): TargetGroupConfiguration {
  return configuration;
}

export interface CellRun {
  readonly execution: ExecutionReport;
  readonly before: Observed;
  readonly after: Observed;
  readonly mutatingCalls: CallSite[];
}

function describeRoute(result: RouteResult): string {
  if (result.kind === 'forward') {
    // As shares of the total: 1/0 and 100/0 route alike (ECS's own deployments write percentages).
    const total = result.targetGroups.reduce((sum, group) => sum + group.weight, 0);
    return `forward ${result.targetGroups.map((group) => `${group.name}×${total > 0 ? Math.round((group.weight / total) * 1000) / 10 : 0}%`).join('+')}`;
  }
  if (result.kind === 'fixed-response') return `fixed-response ${result.statusCode}`;
  return 'redirect';
}

export function observe(pipeline: LocalPipeline): Observed {
  const snapshot = pipeline.emulator.snapshot();
  const state = stateReport(snapshot, pipeline.config.listenerArn);
  const services = Object.fromEntries(state.services.map((service) => [service.name, { taskDefinition: service.taskDefinition, desiredCount: service.desiredCount, image: service.image }]));
  const routes = Object.fromEntries(REPRESENTATIVE_PATHS.map((path) => [path, describeRoute(pipeline.emulator.route(pipeline.config.listenerArn, path))]));
  // A lock item with no holder is as good as none; the lease time differs per execution.
  const lockTable = (snapshot.dynamodbItems[pipeline.lockTableName] ?? [])
    .map(({ leaseUntil: _leaseUntil, ...item }) => item)
    .filter((item) => Object.keys(item).length > 1)
    .map((item) => JSON.stringify(item))
    .sort();
  const targetGroups = Object.fromEntries(snapshot.targetGroups.map((group) => [group.name, configurationOf(group)]));
  return { listener: weightShares(state.listener), services, routes, targetGroups, lockTable };
}

function pushOf(pipeline: LocalPipeline, service: string, tag: string, time: string): Record<string, unknown> {
  const repository = findByName(pipeline.catalog, service)?.repository;
  if (!repository) throw new Error(`fault matrix: no manifest for ${service}`);
  return pushEvent(repository, tag, time);
}

/** The tutorial with the scenario's services already live (and cut over when that was the last one). */
export async function seededPipeline(scenario: MatrixScenario): Promise<LocalPipeline> {
  const pipeline = await LocalPipeline.tutorial();
  try {
    await rollOutLive(pipeline, scenario.live);
    return pipeline;
  } catch (error) {
    pipeline.dispose();
    throw error;
  }
}

function ruleFor(kind: FaultKind, operation: string): FaultRule {
  if (kind === 'throttle') return { operation, kind: 'throttle', times: 2 };
  if (kind === 'permanent') return { operation, kind: 'permanent', code: 'AccessDenied', times: 1 };
  if (kind === 'permanent-every') return { operation, kind: 'permanent', code: 'AccessDenied' };
  return { operation, kind: 'hang', applyFirst: true, times: 1 };
}

/**
 * Arms the fault at the n-th call of the operation. The emulator records a call before it consults its
 * fault rules, so adding the rule when the n-th record is pushed makes it apply to exactly that call.
 */
function armAt(pipeline: LocalPipeline, site: CallSite, rule: FaultRule): void {
  if (site.occurrence === 1) {
    pipeline.injectFault(rule);
    return;
  }
  const calls = pipeline.emulator.calls as CallRecord[];
  let seen = 0;
  const push = calls.push.bind(calls);
  calls.push = (...records: CallRecord[]): number => {
    for (const record of records) {
      if (record.operation === site.operation && (seen += 1) === site.occurrence) pipeline.injectFault(rule);
    }
    return push(...records);
  };
}

/** One cell: a fresh seeded pipeline, the fault armed (or none for the clean run), the push, the end state. */
export async function runCell(scenario: MatrixScenario, fault?: { site: CallSite; kind: FaultKind }): Promise<CellRun> {
  const pipeline = await seededPipeline(scenario);
  try {
    const before = observe(pipeline);
    if (fault) armAt(pipeline, fault.site, ruleFor(fault.kind, fault.site.operation));
    const delivery = await pipeline.deliver('push', pushOf(pipeline, scenario.push.service, scenario.push.tag, '2026-11-26T09:00:00Z'));
    await pipeline.settle();
    // let a monolith that compensation scaled back up become healthy again, as it would on AWS
    await pipeline.time.advance(120_000);
    const counts = new Map<string, number>();
    const mutatingCalls = pipeline.emulator.calls
      .slice(pipeline.callsAtStart)
      .filter((call) => call.mutating)
      .map((call) => {
        const occurrence = (counts.get(call.operation) ?? 0) + 1;
        counts.set(call.operation, occurrence);
        return { operation: call.operation, occurrence };
      });
    return { execution: executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart), before, after: observe(pipeline), mutatingCalls };
  } finally {
    pipeline.dispose();
  }
}

export function differences(expected: Observed, actual: Observed): string[] {
  const found: string[] = [];
  const shown = (value: unknown): string => (value === undefined ? 'absent' : JSON.stringify(value));
  const compare = (what: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) found.push(`${what}: expected ${shown(a)}, got ${shown(b)}`);
  };
  compare('listener default actions', expected.listener.defaultActions, actual.listener.defaultActions);
  compare('listener rules', expected.listener.rules, actual.listener.rules);
  for (const name of new Set([...Object.keys(expected.services), ...Object.keys(actual.services)])) {
    compare(`service ${name}`, expected.services[name], actual.services[name]);
  }
  for (const path of REPRESENTATIVE_PATHS) compare(`route ${path}`, expected.routes[path], actual.routes[path]);
  // a group on one side only (left behind by compensation, or deleted by it) is a difference like a changed one
  for (const name of new Set([...Object.keys(expected.targetGroups), ...Object.keys(actual.targetGroups)])) {
    compare(`target group ${name}`, expected.targetGroups[name], actual.targetGroups[name]);
  }
  return found;
}

/**
 * What a failed cut-over must leave: the service its rollout made live stays as the clean run left it, and
 * everything the cut-over touched (the monolith's service, and each listener action that forwarded to it,
 * seen through the routes that answered 503 after the clean cut-over) is as it was before.
 */
export function cutoverUndone(before: Observed, clean: Observed, monolith: string): Observed {
  const dropped = (route: string | undefined) => route === 'fixed-response 503' || route?.startsWith('forward drop-traffic');
  const droppedActions = (actions: readonly unknown[]) => /"fixed-response"|targetgroup\/drop-traffic\//.test(JSON.stringify(actions));
  const beforeRules = new Map(before.listener.rules.map((rule) => [rule.priority, rule]));
  return {
    listener: {
      defaultActions: before.listener.defaultActions,
      rules: clean.listener.rules.map((rule) => (droppedActions(rule.actions) ? (beforeRules.get(rule.priority) ?? rule) : rule)),
    },
    services: { ...clean.services, [monolith]: before.services[monolith]! },
    routes: Object.fromEntries(Object.entries(clean.routes).map(([path, route]) => [path, dropped(route) ? before.routes[path]! : route])),
    // the cut-over creates, changes and deletes no target group: they stay as the service's rollout left them
    targetGroups: clean.targetGroups,
    lockTable: clean.lockTable,
  };
}

/** A lock still held after every execution ended blocks the next push until its lease runs out: noted beside the verdict. */
export function lockTableNotes(actual: Observed): string[] {
  return actual.lockTable.some((item) => item.includes('"owner"')) ? ['lock left until its lease ends'] : [];
}

export interface Cell {
  readonly scenario: string;
  readonly site: CallSite;
  readonly kind: FaultKind;
  readonly outcome: string;
  readonly consistent: boolean;
  readonly problems: string[];
  readonly notes: string[];
}

/** Judges a cell against the rules in RELIABILITY.md ("What consistent means"). */
export function judge(scenario: MatrixScenario, site: CallSite, kind: FaultKind, run: CellRun, clean: Observed): Cell {
  const { status, error } = run.execution;
  const child = run.execution.children.at(-1);
  const base = { scenario: scenario.id, site, kind, notes: lockTableNotes(run.after) };
  if (kind === 'throttle') {
    const problems = [...(status === 'SUCCEEDED' && (!child || child.status === 'SUCCEEDED') ? [] : [`status ${String(status)} (${String(error)}), child ${String(child?.status)}, expected SUCCEEDED`]), ...differences(clean, run.after)];
    return { ...base, outcome: problems.length === 0 ? 'SUCCEEDED, same as clean' : `INCONSISTENT ${String(status)}`, consistent: problems.length === 0, problems };
  }
  if (status === 'SUCCEEDED' && child?.status === 'FAILED') {
    // The service's rollout stands; its cut-over failed and must have put back exactly what it changed.
    const problems = differences(cutoverUndone(run.before, clean, 'api'), run.after);
    if (child.error === 'CompensationError' && kind === 'permanent-every') {
      return { ...base, outcome: `cut-over FAILED CompensationError${problems.length ? ` (not restored: ${problems.map((p) => p.split(':')[0]).join(', ')})` : ''}`, consistent: true, problems: [] };
    }
    return { ...base, outcome: problems.length === 0 ? `cut-over FAILED ${String(child.error)}, restored` : `INCONSISTENT cut-over FAILED ${String(child.error)}`, consistent: problems.length === 0, problems };
  }
  if (status === 'SUCCEEDED' && differences(clean, run.after).length === 0) {
    // The fault hit bookkeeping after the work was done (a lock release): the rollout stands.
    return { ...base, outcome: 'SUCCEEDED, complete rollout', consistent: true, problems: [] };
  }
  if (status !== 'FAILED' || !error || error === 'States.Runtime') {
    return { ...base, outcome: `INCONSISTENT ${String(status)}`, consistent: false, problems: [`status ${String(status)} error ${String(error)}, child ${String(child?.status)}, expected FAILED with a named error`, ...differences(clean, run.after)] };
  }
  const problems = [...differences(run.before, run.after), ...(child ? [`a failed rollout started ${child.name}`] : [])];
  if (error === 'CompensationError' && kind === 'permanent-every') {
    // compensation needs the very operation that is denied: a human must look, and the error says so
    const left = problems.map((problem) => problem.split(':')[0]).join(', ');
    return { ...base, outcome: `FAILED CompensationError${left ? ` (not restored: ${left})` : ''}`, consistent: true, problems: [] };
  }
  return { ...base, outcome: problems.length === 0 ? `FAILED ${error}, prior state` : `INCONSISTENT FAILED ${error}`, consistent: problems.length === 0, problems };
}

export interface Matrix {
  readonly cells: Cell[];
  readonly sites: Record<string, CallSite[]>;
}

/** Discovers the mutating calls from each clean run, then runs every (call × fault) cell. */
export async function buildMatrix(scenarios: readonly MatrixScenario[] = SCENARIOS): Promise<Matrix> {
  const cells: Cell[] = [];
  const sites: Record<string, CallSite[]> = {};
  for (const scenario of scenarios) {
    const clean = await runCell(scenario);
    if (clean.execution.status !== 'SUCCEEDED') throw new Error(`fault matrix: clean ${scenario.id} ended ${String(clean.execution.status)}: ${String(clean.execution.cause)}`);
    sites[scenario.id] = clean.mutatingCalls;
    for (const site of clean.mutatingCalls) {
      for (const kind of FAULT_KINDS) cells.push(judge(scenario, site, kind, await runCell(scenario, { site, kind }), clean.after));
    }
  }
  return { cells, sites };
}

function label(cell: Cell): string {
  const notes = cell.notes.length > 0 ? ` ⚠ ${cell.notes.join(', ')}` : '';
  return cell.outcome.replace(/^SUCCEEDED, same as clean$/, 'ok').replace(/^SUCCEEDED, complete rollout$/, 'complete').replace(/^FAILED /, '').replace(/, prior state$/, ' → prior').replace(/^cut-over FAILED (.*), restored$/, 'cut-over $1 → undone') + notes;
}

/** operation#n × fault → outcome, one table per scenario (Markdown, also readable as plain text). */
export function renderMatrix(matrix: Matrix, scenarios: readonly MatrixScenario[] = SCENARIOS): string {
  const lines: string[] = [];
  for (const scenario of scenarios) {
    lines.push(`### ${scenario.id}: ${scenario.title}`, '', `| call (n-th of its operation) | ${FAULT_KINDS.join(' | ')} |`, `|---|${FAULT_KINDS.map(() => '---').join('|')}|`);
    for (const site of matrix.sites[scenario.id] ?? []) {
      const row = FAULT_KINDS.map((kind) => {
        const cell = matrix.cells.find((c) => c.scenario === scenario.id && c.site.operation === site.operation && c.site.occurrence === site.occurrence && c.kind === kind);
        return cell ? label(cell) : '—';
      });
      lines.push(`| ${site.operation} #${site.occurrence} | ${row.join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
