import * as v from 'valibot';
import type { AslDefinition } from '../../local/runner/definitions';
import type { StateReport } from '../../local/runner/report';

/**
 * What `rollout view` draws, whatever it was read from (a local run, or an execution's history on AWS). History
 * events use the local runner's vocabulary: ExecutionStarted, StateEntered, StateFailed, StateRetried, StateCaught,
 * StateExited, ExecutionSucceeded, ExecutionFailed; `at` is epoch milliseconds on the execution's clock.
 */
export interface ViewEvent {
  readonly at: number;
  readonly type: string;
  readonly state?: string;
  readonly error?: string;
}

/** AWS calls made while a state ran: per state, per operation, how many, and the failed ones by error name. */
export type CallsByState = Record<string, Record<string, { calls: number; failed: Record<string, number> }>>;

/** A part of the page that a source may not have: the value, or why it is missing (shown on the page). */
export type Available<T> = { readonly value: T } | { readonly unavailable: string };

export interface TrafficStep {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Percent of the service's traffic on the new revision from `at` on, 0-100. */
  readonly percent: number;
}

export interface ExecutionView {
  readonly name: string;
  /** The state machine's name ('rollout', 'cutover', or the deployed one's). */
  readonly stateMachine: string;
  readonly definition: AslDefinition;
  /** Where the drawn definition came from, said on the page. */
  readonly definitionFrom: string;
  readonly status: string;
  readonly startedAt: number;
  readonly stoppedAt: number | null;
  readonly error: string | null;
  readonly cause: string | null;
  readonly history: readonly ViewEvent[];
  readonly awsCalls: Available<CallsByState>;
  /** Present only when the execution reports its traffic steps (progressive traffic). */
  readonly trafficSteps?: readonly TrafficStep[];
  /** Executions this one started (the cut-over), drawn below it. */
  readonly children: readonly ExecutionView[];
  /** Plain sentences for the reader (a child that could not be read, a fallback definition…). */
  readonly notes: readonly string[];
}

export interface PageModel {
  /** 'local run (virtual time)' or 'AWS'. */
  readonly source: string;
  /** The clock history times are on: local runs use virtual time. */
  readonly clock: 'virtual' | 'wall';
  readonly execution: ExecutionView;
  readonly routing: Available<{ readonly before: StateReport; readonly after: StateReport }>;
}

export const isAvailable = <T>(part: Available<T>): part is { readonly value: T } => 'value' in part;

/**
 * `trafficSteps` as "Shift traffic" records them in the release, and Compensate in its outcome ($.error, ending at 0
 * when it put a shifted rule back): `[{ "at": "<ISO-8601>" | <epoch ms>, "percent": <0-100> }, …]`, one entry per
 * weight change, in order. Anything else is ignored (the page says so).
 */
const TrafficStepsSchema = v.pipe(
  v.array(
    v.object({
      at: v.union([v.pipe(v.string(), v.isoTimestamp()), v.pipe(v.number(), v.finite())]),
      percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)),
    }),
  ),
  v.minLength(1),
);

export function trafficStepsOf(output: unknown): { steps?: TrafficStep[]; note?: string } {
  const holder = output as { trafficSteps?: unknown; error?: { trafficSteps?: unknown }; release?: { trafficSteps?: unknown } } | null | undefined;
  const raw = holder?.trafficSteps ?? holder?.error?.trafficSteps ?? holder?.release?.trafficSteps;
  if (raw === undefined) return {};
  const parsed = v.safeParse(TrafficStepsSchema, raw);
  if (!parsed.success) return { note: 'The execution reports trafficSteps, but not as [{ at, percent }, …]: the traffic chart is left out.' };
  return { steps: parsed.output.map((step) => ({ at: typeof step.at === 'number' ? step.at : Date.parse(step.at), percent: step.percent })) };
}
