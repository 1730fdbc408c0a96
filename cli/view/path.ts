import type { AslDefinition } from '../../local/runner/definitions';
import type { ViewEvent } from './model';

/** One time the execution was in a state. */
export interface StateVisit {
  readonly state: string;
  readonly enteredAt: number;
  exitedAt: number | null;
  /** Errors the state's Retry took (each one a retry). */
  readonly retriedErrors: string[];
  /** The error the state ended with (caught by a Catch, or the execution's end); null when it ended normally. */
  failure: string | null;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

/** Every transition the definition allows, with the kind that decides how it is drawn. */
export interface WorkflowEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

export interface PathTaken {
  readonly visits: readonly StateVisit[];
  /** State → times entered. */
  readonly visited: ReadonlyMap<string, number>;
  /** State → retries taken. */
  readonly retries: ReadonlyMap<string, number>;
  /** State → the error it failed with (the last one, when it failed more than once). */
  readonly failed: ReadonlyMap<string, string>;
  /** Indexes into `edgesOf(definition)` of the transitions taken. */
  readonly takenEdges: ReadonlySet<number>;
}

interface ChoiceRule {
  Variable?: string;
  BooleanEquals?: boolean;
  StringEquals?: string;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Next?: string;
}

/** "$.release.gate.healthy == true" → "healthy"; a string comparison → its value. */
function describeRule(rule: ChoiceRule): string {
  if (rule.And) return rule.And.map(describeRule).join(' and ');
  if (rule.Or) return rule.Or.map(describeRule).join(' or ');
  if (rule.Not) return `not ${describeRule(rule.Not)}`;
  const field = (rule.Variable ?? '').split('.').pop() ?? '';
  if (rule.BooleanEquals !== undefined) return rule.BooleanEquals ? field : `not ${field}`;
  if (rule.StringEquals !== undefined) return rule.StringEquals;
  return field;
}

/**
 * Every transition the definition allows. Transitions between the same two states merge into one edge (a Choice
 * rule and its Default both going to one state: the history does not say which rule matched); Catch edges stay
 * apart from them, one per target.
 */
export function edgesOf(definition: AslDefinition): WorkflowEdge[] {
  const edges: WorkflowEdge[] = [];
  const add = (edge: WorkflowEdge) => {
    const index = edges.findIndex((other) => other.from === edge.from && other.to === edge.to && (other.kind === 'catch') === (edge.kind === 'catch'));
    const existing = edges[index];
    if (!existing) edges.push(edge);
    else if (edge.label) edges[index] = { ...existing, label: existing.label ? `${existing.label} / ${edge.label}` : edge.label };
  };
  for (const [name, state] of Object.entries(definition.States)) {
    for (const choice of (state.Choices ?? []) as ChoiceRule[]) if (choice.Next) add({ from: name, to: choice.Next, kind: 'choice', label: describeRule(choice) });
    if (state.Default) add({ from: name, to: state.Default, kind: 'default', label: 'otherwise' });
    if (state.Next) add({ from: name, to: state.Next, kind: 'next' });
    for (const target of new Set((state.Catch ?? []).map((c) => c.Next))) add({ from: name, to: target, kind: 'catch' });
  }
  return edges;
}

/** The visits of an execution's history, in order: entered, retried, failed, exited. */
export function visitsOf(history: readonly ViewEvent[], definition: AslDefinition, executionError: string | null): StateVisit[] {
  const visits: StateVisit[] = [];
  let open: StateVisit | undefined;
  const close = (at: number) => {
    if (!open) return;
    open.exitedAt = at;
    // A Fail state ends the execution with its error; on AWS its history has no failure event of its own.
    if (definition.States[open.state]?.Type === 'Fail') open.failure ??= executionError ?? 'Fail';
    open = undefined;
  };
  for (const event of history) {
    if (event.type === 'StateEntered' && event.state) {
      close(event.at);
      open = { state: event.state, enteredAt: event.at, exitedAt: null, retriedErrors: [], failure: null };
      visits.push(open);
    } else if (event.type === 'StateFailed' && open) {
      open.failure = event.error ?? 'error';
    } else if (event.type === 'StateRetried' && open) {
      open.retriedErrors.push(open.failure ?? event.error ?? 'error');
      open.failure = null;
    } else if (event.type === 'StateExited' || event.type.startsWith('Execution')) {
      if (event.type === 'ExecutionFailed' && open && open.failure === null && definition.States[open.state]?.Type !== 'Fail') open.failure = event.error ?? 'error';
      close(event.at);
    }
  }
  return visits;
}

/** What the page highlights: states entered (and how often), retries, failures, and the transitions taken. */
export function pathTaken(history: readonly ViewEvent[], definition: AslDefinition, executionError: string | null): PathTaken {
  const visits = visitsOf(history, definition, executionError);
  const visited = new Map<string, number>();
  const retries = new Map<string, number>();
  const failed = new Map<string, string>();
  for (const visit of visits) {
    visited.set(visit.state, (visited.get(visit.state) ?? 0) + 1);
    if (visit.retriedErrors.length > 0) retries.set(visit.state, (retries.get(visit.state) ?? 0) + visit.retriedErrors.length);
    if (visit.failure !== null) failed.set(visit.state, visit.failure);
  }
  const edges = edgesOf(definition);
  const takenEdges = new Set<number>();
  for (const [index, visit] of visits.entries()) {
    const next = visits[index + 1];
    if (!next) break;
    // Leaving a state that failed is its Catch; otherwise its Next, Default or a Choice rule.
    const wanted = (edge: WorkflowEdge) => edge.from === visit.state && edge.to === next.state && (visit.failure !== null) === (edge.kind === 'catch');
    const matching = edges.flatMap((edge, edgeIndex) => (wanted(edge) ? [edgeIndex] : []));
    const fallback = edges.flatMap((edge, edgeIndex) => (edge.from === visit.state && edge.to === next.state ? [edgeIndex] : []));
    for (const edgeIndex of matching.length > 0 ? matching : fallback) takenEdges.add(edgeIndex);
  }
  return { visits, visited, retries, failed, takenEdges };
}
