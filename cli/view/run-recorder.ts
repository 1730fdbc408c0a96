import type { ExecutionRecord, HistoryEvent } from '../../local/runner/local-step-functions';
import type { LocalPipeline } from '../../local/runner/pipeline';
import { childrenOf, recordedTrafficSteps, stateReport, type StateReport } from '../../local/runner/report';
import type { CallsByState } from './model';

/** What a local run knows about an execution beyond its history: kept beside the run store for `rollout view`. */
export interface RecordedExecution {
  readonly stateMachine: string;
  /** ISO-8601: with the name, tells this execution from one of the same name in another run. */
  readonly startedAt: string;
  readonly children: readonly string[];
  readonly routingBefore: StateReport;
  readonly routingAfter: StateReport | null;
  readonly awsCalls: CallsByState;
  /** Some calls were made while states of other executions ran too, and count for each of them. */
  readonly sharedCalls: boolean;
  /** The execution's output's `trafficSteps`, as it was (validated when drawn). */
  readonly trafficSteps?: unknown;
}

export interface RunDetails {
  readonly executions: Record<string, RecordedExecution>;
}

interface OpenState {
  readonly execution: string;
  readonly state: string;
}

/**
 * Records, while a local pipeline runs, what the page shows beyond the history: the routing when each execution
 * starts and ends, and which AWS calls each state made. The emulator's calls are in order and the runner reports
 * each state as it is entered and exited, so the calls made between two reports belong to the states open then.
 * When states of two executions are open at once (concurrent pushes, a rollout and the cut-over it started)
 * their calls cannot be told apart and count for each of them.
 */
export class RunRecorder {
  private readonly open: OpenState[] = [];
  private readonly calls = new Map<string, CallsByState>();
  private readonly shared = new Set<string>();
  private readonly routing = new Map<string, { before: StateReport; after: StateReport | null }>();
  private callCursor: number;
  private sfnCursor: Record<string, number>;

  constructor(private readonly pipeline: LocalPipeline) {
    this.callCursor = pipeline.emulator.calls.length;
    this.sfnCursor = { ...pipeline.sfn.calls };
    pipeline.sfn.listeners.push((record, event) => this.onEvent(record, event));
  }

  private routingNow(): StateReport {
    return stateReport(this.pipeline.emulator.snapshot(), this.pipeline.config.listenerArn);
  }

  private count(operation: string, error: string | undefined): void {
    const executions = new Set(this.open.map((entry) => entry.execution));
    for (const { execution, state } of this.open) {
      if (executions.size > 1) this.shared.add(execution);
      const byState = this.calls.get(execution) ?? {};
      const byOperation = (byState[state] ??= {});
      const counted = (byOperation[operation] ??= { calls: 0, failed: {} });
      counted.calls += 1;
      if (error !== undefined) counted.failed[error] = (counted.failed[error] ?? 0) + 1;
      this.calls.set(execution, byState);
    }
  }

  /** Calls since the last report go to the states open until now. */
  private attributeCalls(): void {
    const calls = this.pipeline.emulator.calls;
    for (const call of calls.slice(this.callCursor)) this.count(call.operation, call.error);
    this.callCursor = calls.length;
    for (const [operation, total] of Object.entries(this.pipeline.sfn.calls)) {
      for (let made = this.sfnCursor[operation] ?? 0; made < total; made += 1) this.count(operation, undefined);
    }
    this.sfnCursor = { ...this.pipeline.sfn.calls };
  }

  private onEvent(record: ExecutionRecord, event: HistoryEvent): void {
    this.attributeCalls();
    const closeOpen = () => {
      const index = this.open.findIndex((entry) => entry.execution === record.name);
      if (index >= 0) this.open.splice(index, 1);
    };
    if (event.type === 'ExecutionStarted') this.routing.set(record.name, { before: this.routingNow(), after: null });
    if (event.type === 'StateEntered' && event.state) {
      closeOpen();
      this.open.push({ execution: record.name, state: event.state });
    }
    if (event.type === 'StateExited') closeOpen();
    if (event.type === 'ExecutionSucceeded' || event.type === 'ExecutionFailed') {
      closeOpen();
      const routing = this.routing.get(record.name);
      if (routing) routing.after = this.routingNow();
    }
  }

  /** The run's executions as recorded so far (the run store's companion). */
  details(): RunDetails {
    this.attributeCalls();
    const records = [...this.pipeline.sfn.executions.values()].filter((record) => this.routing.has(record.name));
    const executions: Record<string, RecordedExecution> = {};
    for (const record of records) {
      const routing = this.routing.get(record.name);
      if (!routing) continue;
      const steps = recordedTrafficSteps(record);
      const trafficSteps = steps.length > 0 ? steps : undefined;
      executions[record.name] = {
        stateMachine: record.stateMachine,
        startedAt: new Date(record.startedAt).toISOString(),
        children: childrenOf(record, records).map((child) => child.name),
        routingBefore: routing.before,
        routingAfter: routing.after,
        awsCalls: this.calls.get(record.name) ?? {},
        sharedCalls: this.shared.has(record.name),
        ...(trafficSteps === undefined ? {} : { trafficSteps }),
      };
    }
    return { executions };
  }
}
