import type { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario, type ScenarioOptions } from '../../local/runner/scenario';
import { readEventFiles } from '../event-files';
import { checkFaultSpecs, unfiredFaults } from '../fault-options';
import { failureText } from '../render/failure';
import { attachProgress } from '../render/progress';
import { routingTable } from '../render/routing-table';
import { timeline } from '../render/timeline';
import { unmatchedReason } from '../render/unmatched';
import { saveRun } from '../run-store';
import { finalEnvironment, saveEnvironment, type StoredEnvironment } from '../environment-store';

export interface SimulateOptions extends ScenarioOptions {
  readonly json: boolean;
}

const warn = (warning: string) => process.stderr.write(`rollout: warning: ${warning}\n`);

/** Exit codes (README): 0 every matched execution succeeded, 1 one failed, 2 bad usage (thrown as UsageError). */
export async function simulate(files: readonly string[], options: SimulateOptions): Promise<number> {
  const events = readEventFiles(files);
  checkFaultSpecs(options.fail ?? []).forEach(warn);
  let pipeline: LocalPipeline | undefined;
  let environment: StoredEnvironment | undefined;
  const report = await runScenario(events, {
    ...options,
    onSettled: async (settled) => {
      environment = await finalEnvironment(settled);
    },
    onPipeline: (created) => {
      pipeline = created;
      if (!options.json) attachProgress(created, process.stderr);
    },
  });
  const started = pipeline ? [...pipeline.sfn.executions.values()].filter((record) => record.startedAt >= (pipeline?.clockAtStart ?? 0)) : [];
  saveEnvironment(saveRun(started), environment);
  if (pipeline) unfiredFaults(options.fail ?? [], pipeline.emulator.calls.slice(pipeline.callsAtStart)).forEach(warn);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const failure = (name: string | null, error: string | null, cause: string | null) => failureText(error ?? '', cause, (name && pipeline?.sfn.executions.get(name)?.history) || []);
    for (const [index, execution] of report.executions.entries()) {
      const reason = pipeline ? `: ${unmatchedReason(pipeline.pattern, events[index]?.event, pipeline.catalog)}` : '';
      const what = execution.matched ? `${execution.name ?? '(not started)'}: ${execution.status ?? 'no status'}` : `not matched by the ECR push rule${reason}: no execution`;
      process.stdout.write(`${execution.event}: ${what}${execution.error ? `\n  ${failure(execution.name, execution.error, execution.cause)}` : ''}\n`);
      for (const child of execution.children) {
        process.stdout.write(`  started ${child.name}: ${child.status ?? 'no status'}${child.error ? `\n    ${failure(child.name, child.error, child.cause)}` : ''}\n`);
      }
    }
    process.stdout.write(`${routingTable(report.state)}\n`);
    if (pipeline) process.stdout.write(`${timeline(started, pipeline.clockAtStart)}\n`);
    process.stdout.write(`AWS calls: ${Object.entries(report.awsCalls).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}; ${report.virtualSeconds}s virtual\n`);
  }
  const failed = report.executions.some((execution) => execution.status === 'FAILED' || execution.children.some((child) => child.status === 'FAILED'));
  return failed ? 1 : 0;
}
