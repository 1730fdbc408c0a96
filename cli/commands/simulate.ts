import type { LocalPipeline } from '../../local/runner/pipeline';
import { runScenario, type ScenarioOptions } from '../../local/runner/scenario';
import type { AbortReport } from '../abort/abort-execution';
import { abortAt, checkAbortAt } from '../abort/local-abort';
import { renderAbort } from '../abort/render';
import { readEventFiles } from '../event-files';
import { checkFaultSpecs, unfiredFaults } from '../fault-options';
import { failureText } from '../render/failure';
import { attachProgress } from '../render/progress';
import { routingTable } from '../render/routing-table';
import { timeline } from '../render/timeline';
import { unmatchedReason } from '../render/unmatched';
import { saveRun } from '../run-store';
import { trafficMarks, type TrafficFlags } from '../traffic-options';
import { finalEnvironment, saveEnvironment, type StoredEnvironment } from '../environment-store';

export interface SimulateOptions extends Omit<ScenarioOptions, 'faulty' | 'slow' | 'alarms'> {
  readonly json: boolean;
  /** `--faulty`, `--slow`, `--alarm` as given: checked and turned into ScenarioOptions' faulty, slow and alarms. */
  readonly trafficFlags?: TrafficFlags;
  /** `--abort-at STATE`: the first execution to enter that Wait state is aborted there, as `rollout abort` does. */
  readonly abortAt?: string;
}

const warn = (warning: string) => process.stderr.write(`rollout: warning: ${warning}\n`);

/** Exit codes (README): 0 every matched execution succeeded, 1 one failed, 2 bad usage (thrown as UsageError). */
export async function simulate(files: readonly string[], options: SimulateOptions): Promise<number> {
  const events = readEventFiles(files);
  checkFaultSpecs(options.fail ?? []).forEach(warn);
  const { warnings: markWarnings, ...marks } = trafficMarks(options.trafficFlags ?? {}, options.servicesDir);
  markWarnings.forEach(warn);
  const abortState = options.abortAt === undefined ? undefined : checkAbortAt(options.abortAt);
  let pipeline: LocalPipeline | undefined;
  let environment: StoredEnvironment | undefined;
  let aborter: ReturnType<typeof abortAt> | undefined;
  let aborted: AbortReport | undefined;
  const report = await runScenario(events, {
    ...options,
    ...marks,
    onSettled: async (settled) => {
      aborted = await aborter?.result();
      environment = await finalEnvironment(settled);
    },
    onPipeline: (created) => {
      pipeline = created;
      if (!options.json) attachProgress(created, process.stderr);
      if (abortState !== undefined) aborter = abortAt(created, abortState);
    },
  });
  const started = pipeline ? [...pipeline.sfn.executions.values()].filter((record) => record.startedAt >= (pipeline?.clockAtStart ?? 0)) : [];
  saveEnvironment(saveRun(started), environment);
  if (pipeline) unfiredFaults(options.fail ?? [], pipeline.emulator.calls.slice(pipeline.callsAtStart)).forEach(warn);
  if (abortState !== undefined && !aborted) warn(`--abort-at ${JSON.stringify(abortState)}: no execution entered it, nothing was aborted`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(abortState === undefined ? report : { ...report, aborted: aborted ?? null }, null, 2)}\n`);
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
    if (aborted) process.stdout.write(`rollout abort ${aborted.execution}:\n${renderAbort(aborted).trimEnd().replace(/^/gm, '  ')}\n`);
    process.stdout.write(`${routingTable(report.state)}\n`);
    if (pipeline) process.stdout.write(`${timeline(started, pipeline.clockAtStart)}\n`);
    process.stdout.write(`AWS calls: ${Object.entries(report.awsCalls).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}; ${report.virtualSeconds}s virtual\n`);
  }
  const failed = report.executions.some((execution) => execution.status === 'FAILED' || execution.children.some((child) => child.status === 'FAILED'));
  return failed ? 1 : 0;
}
