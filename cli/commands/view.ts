import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { LocalPipeline } from '../../local/runner/pipeline';
import { loadRun } from '../run-store';
import { UsageError } from '../usage-error';
import { awsPageModel } from '../view/aws-view';
import { defaultViewPath, fromRecord, fromStored, loadRunDetails, localPageModel, saveRunDetails } from '../view/local-view';
import type { PageModel } from '../view/model';
import { renderPage } from '../view/page';
import type { RunRecorder } from '../view/run-recorder';

export interface ViewOptions {
  readonly aws: boolean;
  readonly stateMachineArn?: string;
  readonly out?: string;
}

function stateMachineArn(explicit: string | undefined): string {
  const arn = explicit ?? process.env.ROLLOUT_STATE_MACHINE_ARN;
  if (!arn) throw new UsageError('--aws needs the state machine: pass --state-machine-arn ARN or set ROLLOUT_STATE_MACHINE_ARN (sls info shows it)');
  return arn;
}

/** Writes the page (default: .rollout/view-<name>.html) and returns its path, relative to here when under it. */
export function writeViewPage(model: PageModel, out?: string): string {
  const path = resolve(out ?? defaultViewPath(model.execution.name));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, renderPage(model));
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}

/** `rollout demo --view`: keeps what the recorder saw beside the run store, and writes the demo's page. */
export function writeRunView(pipeline: LocalPipeline, recorder: RunRecorder): string {
  const details = recorder.details();
  saveRunDetails(details);
  return writeViewPage(localPageModel([...pipeline.sfn.executions.values()].map(fromRecord), details));
}

/**
 * One execution as a self-contained HTML page: the last local run's (NAME, or its last execution a push started),
 * or with --aws the deployed state machine's NAME, read from DescribeExecution and its history.
 */
export async function view(name: string | undefined, options: ViewOptions, client?: SFNClient): Promise<number> {
  let model: PageModel;
  if (options.aws) {
    if (!name) throw new UsageError('--aws needs the execution NAME (see `rollout executions --aws`)');
    model = await awsPageModel(client ?? new SFNClient({}), stateMachineArn(options.stateMachineArn), name);
  } else {
    model = localPageModel(loadRun().map(fromStored), loadRunDetails(), name);
  }
  const path = writeViewPage(model, options.out);
  process.stdout.write(`Wrote ${path}: ${model.execution.name} ${model.execution.status}${model.execution.children.length > 0 ? ` (and ${model.execution.children.map((child) => `${child.name} ${child.status}`).join(', ')})` : ''}. Open it in a browser.\n`);
  return 0;
}
