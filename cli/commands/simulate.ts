import type { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario, type ScenarioOptions } from '../../local/runner/scenario';
import { readEventFiles } from '../event-files';
import { attachProgress } from '../render/progress';
import { routingTable } from '../render/routing-table';
import { timeline } from '../render/timeline';
import { saveRun } from '../run-store';

export interface SimulateOptions extends ScenarioOptions {
  readonly json: boolean;
}

/** Exit codes (README): 0 every matched execution succeeded, 1 one failed, 2 bad usage (thrown as UsageError). */
export async function simulate(files: readonly string[], options: SimulateOptions): Promise<number> {
  const events = readEventFiles(files);
  let pipeline: LocalPipeline | undefined;
  const report = await runScenario(events, {
    ...options,
    onPipeline: (created) => {
      pipeline = created;
      if (!options.json) attachProgress(created, process.stderr);
    },
  });
  if (pipeline) saveRun([...pipeline.sfn.executions.values()].filter((record) => record.startedAt >= (pipeline?.clockAtStart ?? 0)));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const execution of report.executions) {
      const what = execution.matched ? `${execution.name ?? '(not started)'}: ${execution.status ?? 'no status'}` : 'not matched by the ECR push rule: no execution';
      process.stdout.write(`${execution.event}: ${what}${execution.error ? `\n  ${execution.error}: ${execution.cause}` : ''}\n`);
      for (const child of execution.children) {
        process.stdout.write(`  started ${child.name}: ${child.status ?? 'no status'}${child.error ? `\n    ${child.error}: ${child.cause}` : ''}\n`);
      }
    }
    process.stdout.write(`${routingTable(report.state)}\n`);
    if (pipeline) process.stdout.write(`${timeline([...pipeline.sfn.executions.values()].filter((r) => r.startedAt >= (pipeline?.clockAtStart ?? 0)), pipeline.clockAtStart)}\n`);
    process.stdout.write(`AWS calls: ${Object.entries(report.awsCalls).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}; ${report.virtualSeconds}s virtual\n`);
  }
  const failed = report.executions.some((execution) => execution.status === 'FAILED' || execution.children.some((child) => child.status === 'FAILED'));
  return failed ? 1 : 0;
}
