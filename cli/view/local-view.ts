import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { causeMessage } from '../../lib/domain/lambda-cause';
import { definitionSource, STATE_MACHINES, type AslDefinition } from '../../local/runner/definitions';
import type { ExecutionRecord } from '../../local/runner/local-step-functions';
import { lastRunDir, runStoreDir, type StoredExecution } from '../run-store';
import { UsageError } from '../usage-error';
import { trafficStepsOf, type ExecutionView, type PageModel, type ViewEvent } from './model';
import type { RecordedExecution, RunDetails } from './run-recorder';

/** An execution of a local run, from the pipeline itself or from the run store. */
export interface LocalExecution {
  readonly name: string;
  readonly stateMachine?: string;
  readonly status: string;
  readonly startedAt: number;
  readonly stoppedAt: number | null;
  readonly error: string | null;
  readonly cause: string | null;
  readonly history: readonly ViewEvent[];
}

/** The run's details are kept in the run's own folder of the run store (cli/run-store.ts), beside its executions. */
const DETAILS_FILE = 'view-details.json';

/** Pages go where the run store keeps its files: `$ROLLOUT_HOME`, or `.rollout/` at the project's root. */
export const defaultViewPath = (name: string) => join(runStoreDir(), `view-${name}.html`);

/** Keeps the recorded details with the last run (the one `saveRun` just made). */
export function saveRunDetails(details: RunDetails): void {
  const dir = lastRunDir();
  if (!dir) return;
  writeFileSync(join(dir, DETAILS_FILE), `${JSON.stringify(details)}\n`);
}

export function loadRunDetails(): RunDetails | undefined {
  const dir = lastRunDir();
  if (!dir || !existsSync(join(dir, DETAILS_FILE))) return undefined;
  return JSON.parse(readFileSync(join(dir, DETAILS_FILE), 'utf8')) as RunDetails;
}

export function fromRecord(record: ExecutionRecord): LocalExecution {
  return {
    name: record.name,
    stateMachine: record.stateMachine,
    status: record.status,
    startedAt: record.startedAt,
    stoppedAt: record.stoppedAt ?? null,
    error: record.status === 'FAILED' ? (record.error ?? 'States.Runtime') : null,
    cause: record.cause === undefined ? null : causeMessage(record.cause),
    history: record.history,
  };
}

export function fromStored(stored: StoredExecution): LocalExecution {
  return {
    name: stored.name,
    status: stored.status,
    startedAt: Date.parse(stored.startedAt),
    stoppedAt: stored.stoppedAt === null ? null : Date.parse(stored.stoppedAt),
    error: stored.error,
    cause: stored.cause === null ? null : causeMessage(stored.cause),
    history: stored.history.map((event) => ({ ...event, at: Date.parse(event.at) })),
  };
}

/** The state machine an execution ran: recorded, or else the one whose states include every state it entered. */
function definitionOf(execution: LocalExecution, recorded: RecordedExecution | undefined): { stateMachine: string; definition: AslDefinition } {
  const named = recorded?.stateMachine ?? execution.stateMachine;
  const entered = execution.history.flatMap((event) => (event.state ? [event.state] : []));
  const stateMachine = named ?? STATE_MACHINES.find((candidate) => entered.every((state) => state in definitionSource(candidate).States)) ?? 'rollout';
  return { stateMachine, definition: definitionSource(stateMachine) };
}

const NOT_RECORDED = 'Not recorded for this run: `rollout simulate` keeps only the executions. `rollout demo --view` records it.';

function executionView(execution: LocalExecution, all: readonly LocalExecution[], details: RunDetails | undefined): ExecutionView {
  const recorded = details?.executions[execution.name];
  const { stateMachine, definition } = definitionOf(execution, recorded);
  const traffic = trafficStepsOf({ trafficSteps: recorded?.trafficSteps });
  const children = (recorded?.children ?? []).flatMap((name) => all.filter((candidate) => candidate.name === name));
  return {
    ...execution,
    stateMachine,
    definition,
    definitionFrom: `statemachines/${stateMachine}.asl.yaml`,
    awsCalls: recorded ? { value: recorded.awsCalls } : { unavailable: NOT_RECORDED },
    ...(traffic.steps ? { trafficSteps: traffic.steps } : {}),
    children: children.map((child) => executionView(child, all, details)),
    notes: [
      ...(traffic.note ? [traffic.note] : []),
      ...(recorded ? [] : ['Executions it started (the cut-over) are not recorded for this run.']),
      ...(recorded?.sharedCalls ? ['Some AWS calls were made while a state of another execution ran too: they count for each of them.'] : []),
    ],
  };
}

/** Details recorded for the same run as the run store's executions (same names, same start times), else none. */
function matchingDetails(executions: readonly LocalExecution[], details: RunDetails | undefined): RunDetails | undefined {
  if (!details) return undefined;
  const same = executions.every((execution) => details.executions[execution.name]?.startedAt === new Date(execution.startedAt).toISOString());
  return same ? details : undefined;
}

/**
 * The page for one execution of a local run: NAME, or the last execution that a push started (with the cut-over it
 * started, if any). Without recorded details (a run of `rollout simulate`) the page says what it lacks.
 */
export function localPageModel(executions: readonly LocalExecution[], recordedDetails: RunDetails | undefined, name?: string): PageModel {
  if (executions.length === 0) throw new UsageError('no local run yet: run `rollout demo` or `rollout simulate EVENT_FILE` first');
  const details = matchingDetails(executions, recordedDetails);
  const started = new Set(Object.values(details?.executions ?? {}).flatMap((recorded) => recorded.children));
  const chosen = name === undefined ? [...executions].reverse().find((execution) => !started.has(execution.name)) : executions.find((execution) => execution.name === name);
  if (!chosen) throw new UsageError(`no execution named ${name ?? '?'} in the last local run (see \`rollout executions\`)`);
  const view = executionView(chosen, executions, details);
  const recorded = details?.executions[chosen.name];
  // "After" is the routing when the last of the execution and the ones it started ended.
  const ended = [chosen, ...view.children]
    .filter((execution) => details?.executions[execution.name]?.routingAfter)
    .sort((a, b) => (a.stoppedAt ?? 0) - (b.stoppedAt ?? 0))
    .pop();
  const after = ended ? details?.executions[ended.name]?.routingAfter : undefined;
  return {
    source: 'last local run (virtual time)',
    clock: 'virtual',
    execution: view,
    routing: recorded && after ? { value: { before: recorded.routingBefore, after } } : { unavailable: NOT_RECORDED },
  };
}
