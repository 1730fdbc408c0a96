import type { ActionState, EmulatorState } from '../emulator';
import { toSdkActions } from '../emulator/elbv2/actions';
import { causeMessage } from '../../lib/domain/lambda-cause';
import type { RuleAction } from '../../lib/domain/release';
import type { ExecutionRecord } from './local-step-functions';
import type { Delivery, LocalPipeline } from './pipeline';

/** The documented `rollout simulate --json` contract (README, "JSON output"). Change only with the README. */
export interface ExecutionReport {
  event: string;
  matched: boolean;
  name: string | null;
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'DUPLICATE' | 'SUPERSEDED' | null;
  error: string | null;
  cause: string | null;
  states: string[];
  transitions: number;
  /** The percent of the service's traffic on the new revision after each weight change, in order; [] when nothing shifted. */
  trafficSteps: TrafficStepReport[];
  /** Executions this one started: the cut-over, when its rollout found every microservice live. */
  children: ChildReport[];
}

/** A started execution (the cut-over), shaped like an execution entry. */
export interface ChildReport {
  name: string;
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | null;
  error: string | null;
  cause: string | null;
  states: string[];
  transitions: number;
  trafficSteps: TrafficStepReport[];
}

/** One weight change: seconds from the run's first event (as `virtualSeconds`), and the percent after it. */
export interface TrafficStepReport {
  virtualSeconds: number;
  percent: number;
}

export interface StateReport {
  listener: { defaultActions: RuleAction[]; rules: { priority: number; paths: string[]; actions: RuleAction[] }[] };
  targetGroups: {
    name: string;
    healthCheck: { path: string; healthyThreshold: number; unhealthyThreshold: number; timeoutSeconds: number; intervalSeconds: number };
    healthyTargets: number;
  }[];
  services: { name: string; desiredCount: number; runningCount: number; taskDefinition: string; image: string }[];
}

export interface SimulationReport {
  executions: ExecutionReport[];
  awsCalls: Record<string, number>;
  state: StateReport;
  virtualSeconds: number;
}

/** A rollout that found a newer push of its service live deployed nothing ("Record prior state" decides it). */
export function isSuperseded(execution: ExecutionRecord): boolean {
  return execution.status === 'SUCCEEDED' && (execution.output as { release?: { superseded?: unknown } } | undefined)?.release?.superseded === true;
}

/** The executions `parent` started: cut-overs whose input names it (`startedBy`, see functions/start-cutover.ts). */
export function childrenOf(parent: ExecutionRecord, all: Iterable<ExecutionRecord>): ExecutionRecord[] {
  return [...all].filter((record) => record !== parent && (record.input as { startedBy?: unknown } | undefined)?.startedBy === parent.name);
}

type Steps = { at: string; percent: number }[];

/**
 * The weight changes an execution made, as it recorded them: compensation's list (which ends at 0 % when it put a
 * shifted rule back) over the release's. A failed execution has no output: its last state's output has them.
 */
export function recordedTrafficSteps(execution: ExecutionRecord): Steps {
  const of = (value: unknown) => value as { release?: { trafficSteps?: Steps }; error?: { trafficSteps?: Steps } } | undefined;
  for (const held of [of(execution.output), of(execution.lastOutput)]) {
    const steps = held?.error?.trafficSteps ?? held?.release?.trafficSteps;
    if (Array.isArray(steps)) return steps;
  }
  return [];
}

function outcomeOf(execution: ExecutionRecord, startMs: number): Omit<ChildReport, 'name' | 'status'> {
  return {
    error: execution.status === 'FAILED' || execution.status === 'ABORTED' ? (execution.error ?? 'States.Runtime') : null,
    cause: (execution.status === 'FAILED' || execution.status === 'ABORTED') && execution.cause !== undefined ? causeMessage(execution.cause) : null,
    states: [...execution.states],
    transitions: execution.transitions,
    trafficSteps: recordedTrafficSteps(execution).map((step) => ({ virtualSeconds: Math.round((Date.parse(step.at) - startMs) / 1000), percent: step.percent })),
  };
}

/** `startMs`: the run's first event (LocalPipeline.clockAtStart), from which `virtualSeconds` count. */
export function executionReport(delivery: Delivery, all: Iterable<ExecutionRecord> = [], startMs = 0): ExecutionReport {
  const base = { event: delivery.event, matched: delivery.matched };
  const nothing = { error: null, cause: null, states: [], transitions: 0, trafficSteps: [], children: [] };
  if (!delivery.matched) return { ...base, name: null, status: null, ...nothing };
  if (delivery.rejected) return { ...base, name: null, status: 'FAILED', ...nothing, error: delivery.rejected.error, cause: delivery.rejected.cause };
  const outcome = delivery.outcome;
  if (outcome?.status === 'DUPLICATE') return { ...base, name: outcome.name, status: 'DUPLICATE', ...nothing };
  const execution = delivery.execution;
  if (!execution) return { ...base, name: outcome?.name ?? null, status: null, ...nothing };
  const status = execution.status === 'RUNNING' ? null : isSuperseded(execution) ? 'SUPERSEDED' : execution.status;
  const children = childrenOf(execution, all).map((child) => ({ name: child.name, status: child.status === 'RUNNING' ? null : child.status, ...outcomeOf(child, startMs) }));
  return { ...base, name: execution.name, status, ...outcomeOf(execution, startMs), children };
}

/** An action as DescribeRules / DescribeListeners answer it, every field (never an OIDC client secret). */
export function toElbAction(action: ActionState): RuleAction {
  return toSdkActions([action])[0] as RuleAction;
}

export function stateReport(snapshot: EmulatorState, listenerArn: string): StateReport {
  const listener = snapshot.listeners.find((candidate) => candidate.arn === listenerArn);
  const rules = snapshot.rules
    .filter((rule) => rule.listenerArn === listenerArn)
    .sort((a, b) => a.priority - b.priority)
    .map((rule) => ({
      priority: rule.priority,
      paths: rule.conditions.filter((condition) => condition.field === 'path-pattern').flatMap((condition) => condition.values),
      actions: rule.actions.map(toElbAction),
    }));
  const images = new Map(snapshot.taskDefinitions.map((definition) => [definition.arn, definition.images[0] ?? '']));
  return {
    listener: { defaultActions: (listener?.defaultActions ?? []).map(toElbAction), rules },
    targetGroups: snapshot.targetGroups.map((group) => ({
      name: group.name,
      healthCheck: {
        path: group.healthCheck.path,
        healthyThreshold: group.healthCheck.healthyThreshold,
        unhealthyThreshold: group.healthCheck.unhealthyThreshold,
        timeoutSeconds: group.healthCheck.timeoutSeconds,
        intervalSeconds: group.healthCheck.intervalSeconds,
      },
      healthyTargets: group.targets.filter((target) => target.state === 'healthy').length,
    })),
    services: snapshot.services
      .filter((service) => service.status === 'ACTIVE')
      .map((service) => ({
        name: service.name,
        desiredCount: service.desiredCount,
        runningCount: service.runningCount,
        taskDefinition: service.taskDefinition.slice(service.taskDefinition.lastIndexOf('/') + 1),
        image: images.get(service.taskDefinition) ?? '',
      })),
  };
}

export function awsCallCounts(pipeline: LocalPipeline): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of pipeline.emulator.calls.slice(pipeline.callsAtStart)) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  for (const [operation, count] of Object.entries(pipeline.sfnCallsSinceStart())) counts[operation] = (counts[operation] ?? 0) + count;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

export function simulationReport(pipeline: LocalPipeline, deliveries: readonly Delivery[]): SimulationReport {
  return {
    executions: deliveries.map((delivery) => executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart)),
    awsCalls: awsCallCounts(pipeline),
    state: stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn),
    virtualSeconds: Math.round(pipeline.virtualSecondsSinceStart()),
  };
}
