import { isMutating } from '../../local/runner/operations';
import type { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario } from '../../local/runner/scenario';
import { readEventFiles } from '../event-files';
import { routingTable } from '../render/routing-table';

/** The workflow's own account of its changes: the release's `changes` and, if due, the cut-over. */
function stepsOf(output: unknown): string[] {
  const state = output as { release?: { changes?: unknown }; cutover?: { ready?: boolean; plan?: unknown[]; monolith?: { service?: string; desiredCount?: number } } } | undefined;
  const steps = Array.isArray(state?.release?.changes) ? state.release.changes.map(String) : [];
  if (state?.cutover?.ready) {
    const monolith = state.cutover.monolith;
    steps.push(`cut over: ${state.cutover.plan?.length ?? 0} listener action(s) stop forwarding to the monolith; ${monolith?.service ?? 'monolith'} ${monolith?.desiredCount ?? '?'} → 0 tasks`);
  }
  return steps;
}

/**
 * What the workflow would change for this push, changing nothing: the push runs against a throwaway
 * copy of the seeded environment, and the plan is the list of mutating calls it made there.
 */
export async function plan(file: string, options: { seed?: string; json: boolean; servicesDir?: string }): Promise<number> {
  const events = readEventFiles([file]);
  let pipeline: LocalPipeline | undefined;
  const report = await runScenario(events, { seed: options.seed, servicesDir: options.servicesDir, onPipeline: (created) => (pipeline = created) });
  const changes = (pipeline?.emulator.calls ?? [])
    .slice(pipeline?.callsAtStart ?? 0)
    .filter((call) => isMutating(call.operation) && !call.error && call.service !== 'dynamodb')
    .map((call) => call.operation);
  const execution = report.executions[0];
  const steps = stepsOf(execution?.name ? pipeline?.sfn.executions.get(execution.name)?.output : undefined);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ event: file, matched: execution?.matched ?? false, outcome: execution?.status ?? null, steps, changes, state: report.state }, null, 2)}\n`);
    return 0;
  }
  if (!execution?.matched) {
    process.stdout.write(`${file}: not matched by the ECR push rule: nothing would change.\n`);
    return 0;
  }
  process.stdout.write(`Plan for ${file} (against the ${options.seed ?? 'tutorial'} seed; nothing was changed):\n`);
  process.stdout.write(steps.length > 0 ? steps.map((step, index) => `  ${index + 1}. ${step}`).join('\n') : '  no change: everything is already as this push wants it');
  if (changes.length > 0) process.stdout.write(`\nAWS calls that change something: ${changes.join(', ')}`);
  process.stdout.write(`\nExpected outcome: ${execution.status ?? 'unknown'}${execution.error ? ` (${execution.error}: ${execution.cause})` : ''}\nRouting afterwards:\n${routingTable(report.state)}\n`);
  return 0;
}
