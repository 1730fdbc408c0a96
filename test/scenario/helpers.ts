import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { isMutating } from '../../local/runner/operations';
import type { ExecutionRecord } from '../../local/runner/local-step-functions';
import { LocalPipeline, type PipelineOptions } from '../../local/runner/pipeline';
import { stateReport, type SimulationReport, type StateReport } from '../../local/runner/report';
import { rollOutLive, runScenario, type ScenarioOptions } from '../../local/runner/scenario';

export const EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');

export type PushName = 'push-posts-v1' | 'push-users-v1' | 'push-threads-v1' | 'push-api-v1';

/** A fixture event as `runScenario` takes it (label = the file name, as the CLI reports it). */
export function fixture(name: PushName | `not-matching/${string}` | `buildx-push/${string}`): { label: string; event: unknown } {
  return { label: `${name}.json`, event: JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8')) };
}

export const MICROSERVICE_PUSHES: PushName[] = ['push-posts-v1', 'push-users-v1', 'push-threads-v1'];

/** A seed file {"live": [...]} in a fresh temporary directory. */
export function seedFile(live: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'rollout-seed-')), 'seed.json');
  writeFileSync(path, JSON.stringify({ live }));
  return path;
}

/** An action's target, readable: "posts" (one group), "posts=0,api=1" (weighted), "503" (fixed response). */
export function targetOf(action: StateReport['listener']['defaultActions'][number]): string {
  if (action.Type === 'fixed-response') return action.FixedResponseConfig?.StatusCode ?? '?';
  const groups = action.ForwardConfig?.TargetGroups ?? (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : []);
  const names = groups.map((group) => ({ name: group.TargetGroupArn?.split('/')[1] ?? '?', weight: group.Weight ?? 1 }));
  return names.length === 1 ? (names[0]?.name ?? '?') : names.map(({ name, weight }) => `${name}=${weight}`).join(',');
}

/** The listener as a routing table: "default" and each rule's "priority path" → target. */
export function routing(state: StateReport): Record<string, string> {
  const table: Record<string, string> = { default: state.listener.defaultActions.map(targetOf).join('+') };
  for (const rule of state.listener.rules) table[`${rule.priority} ${rule.paths.join(',')}`] = rule.actions.map(targetOf).join('+');
  return table;
}

/** Services by name: desired/running, task definition and image. */
export function servicesOf(state: StateReport): Record<string, { desired: number; running: number; taskDefinition: string; image: string }> {
  return Object.fromEntries(state.services.map((s) => [s.name, { desired: s.desiredCount, running: s.runningCount, taskDefinition: s.taskDefinition, image: s.image }]));
}

export function mutatingCalls(report: SimulationReport): Record<string, number> {
  return Object.fromEntries(Object.entries(report.awsCalls).filter(([operation]) => isMutating(operation)));
}

/** After the migration each service's rule forwards to its two groups, the alternate at 0 (the shape ECS's blue/green family needs). */
export const MIGRATED_ROUTING = {
  default: '503',
  '1 /api/posts*': 'posts=1,posts-g=0',
  '2 /api/users*': 'users=1,users-g=0',
  '3 /api/threads*': 'threads=1,threads-g=0',
  '99 /api*': '503',
};

export const TUTORIAL_ROUTING = { default: 'api', '99 /api*': 'api' };

/** runScenario, plus the state as the seed left it, just before the first event (so no second run is needed). */
export async function runFromSeed(events: { label: string; event: unknown }[], options: ScenarioOptions = {}): Promise<{ before: StateReport; report: SimulationReport }> {
  let before: StateReport | undefined;
  const report = await runScenario(events, {
    ...options,
    onPipeline: (pipeline) => {
      before = stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn);
    },
  });
  if (!before) throw new Error('runScenario did not hand over its pipeline');
  return { before, report };
}

/** A cut-over execution's name: `cutover-<24 hex>-<attempt>` (lib/domain/cutover-name.ts). */
export const cutoverName = (attempt: number): RegExp => new RegExp(`^cutover-[0-9a-f]{24}-${attempt}$`);

/**
 * The tutorial with `live` already migrated, as `--seed` makes it (a v0 image of each pushed and settled), and
 * counting from here (reports and `callsSinceStart` leave the seed out). The caller disposes it.
 */
export async function pipelineWithLive(live: string[], options: PipelineOptions = {}): Promise<LocalPipeline> {
  const pipeline = await LocalPipeline.tutorial(options);
  try {
    await rollOutLive(pipeline, live);
    return pipeline;
  } catch (error) {
    pipeline.dispose();
    throw error;
  }
}

/** The executions of one state machine started since markStart, in start order. */
export function executionsOf(pipeline: LocalPipeline, stateMachine: 'rollout' | 'cutover'): ExecutionRecord[] {
  return [...pipeline.sfn.executions.values()].filter((record) => record.stateMachine === stateMachine && record.startedAt >= pipeline.clockAtStart);
}

/** What "Start cut-over if due" answered (functions/start-cutover.ts), from a rollout's output. */
export function cutoverStartOf(execution: ExecutionRecord | undefined): { started: boolean; name?: string; reason: string } | undefined {
  return (execution?.output as { cutover?: { started: boolean; name?: string; reason: string } } | undefined)?.cutover;
}

/** The emulator's calls since markStart, e.g. ["ModifyRule", "ModifyListener!AccessDeniedException"]. */
export function callsSinceStart(pipeline: LocalPipeline, operation?: string): string[] {
  return pipeline.emulator.calls
    .slice(pipeline.callsAtStart)
    .filter((call) => operation === undefined || call.operation === operation)
    .map((call) => `${call.operation}${call.error ? `!${call.error}` : ''}`);
}

/** A lock item of the lock table (`lock#<service>`), as plain strings, read through the emulator. */
export async function lockItem(pipeline: LocalPipeline, service: string): Promise<Record<string, string | undefined>> {
  const { dynamodb } = pipeline.emulator.clients();
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: pipeline.lockTableName, Key: { pk: { S: `lock#${service}` } } }));
  return Object.fromEntries(Object.entries(Item ?? {}).map(([key, value]) => [key, value.S]));
}

/**
 * `value` (a listener, its rules) with each forward's weights as shares of their total: 1/0 and 100/0 route alike
 * (ECS's own deployments write the production rule's weights as percentages).
 */
export function weightShares<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, inner: unknown) => {
    if (key !== 'TargetGroups' || !Array.isArray(inner)) return inner;
    const groups = inner as { Weight?: number }[];
    const total = groups.reduce((sum, group) => sum + (group.Weight ?? 1), 0);
    return groups.map((group) => ({ ...group, Weight: total > 0 ? (group.Weight ?? 1) / total : 0 }));
  }) as T;
}

/** The tutorial pipeline with `options`, disposed after `body`. */
export async function withPipeline<T>(options: PipelineOptions, body: (pipeline: LocalPipeline) => Promise<T>): Promise<T> {
  const pipeline = await LocalPipeline.tutorial(options);
  try {
    return await body(pipeline);
  } finally {
    pipeline.dispose();
  }
}
