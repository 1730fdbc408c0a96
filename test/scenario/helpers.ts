import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMutating } from '../../local/runner/operations';
import { stateReport, type SimulationReport, type StateReport } from '../../local/runner/report';
import { runScenario, type ScenarioOptions } from '../../local/runner/scenario';

export const EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');

export type PushName = 'push-posts-v1' | 'push-users-v1' | 'push-threads-v1' | 'push-api-v1';

/** A fixture event as `runScenario` takes it (label = the file name, as the CLI reports it). */
export function fixture(name: PushName | `not-matching/${string}`): { label: string; event: unknown } {
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

export const MIGRATED_ROUTING = {
  default: '503',
  '1 /api/posts*': 'posts',
  '2 /api/users*': 'users',
  '3 /api/threads*': 'threads',
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
