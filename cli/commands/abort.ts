import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { makeHandler as makeCompensate } from '../../functions/compensate';
import { createEcsAdapter } from '../../lib/aws/ecs';
import { createElbAdapter } from '../../lib/aws/elbv2';
import { createLockTable } from '../../lib/aws/lock-table';
import { createExecutionControl } from '../../lib/aws/sfn-execution-control';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { abortExecution, type AbortReport } from '../abort/abort-execution';
import { ExecutionNotRunningError } from '../abort/abort-errors';
import { renderAbort } from '../abort/render';
import { openSession, type AwsAccountOptions } from '../aws-context';
import { abortEnvironment } from '../aws/environment';
import { PROJECT_ROOT } from '../project-root';
import { loadRun } from '../run-store';
import { RefusedError, UsageError } from '../usage-error';

/**
 * The writes `abort --aws` sends, and no other (cli/aws/read-only.ts): the stop, the lock item, and what compensation
 * may write to put a rollout or a cut-over back (functions/compensate.ts).
 */
export const ABORT_WRITES = [
  'StopExecution',
  'UpdateItem',
  'DeleteRule',
  'ModifyRule',
  'ModifyListener',
  'UpdateService',
  'DeleteService',
  'ModifyTargetGroup',
  'ModifyTargetGroupAttributes',
  'DeleteTargetGroup',
] as const;

export interface AbortOptions extends AwsAccountOptions {
  readonly aws: boolean;
  readonly json: boolean;
  readonly servicesDir?: string;
}

async function awsAbort(name: string, options: AbortOptions): Promise<AbortReport> {
  const session = await openSession(options, { writes: ABORT_WRITES });
  const catalog = loadCatalogFromDirectory(options.servicesDir ?? join(PROJECT_ROOT, 'services'));
  try {
    const { config, lockTableName, stateMachineArn } = await abortEnvironment(session, options, catalog, name);
    // Compensation's own log line would land in the output; what it restored is in the report.
    const logger = new Logger({ serviceName: 'rollout', logLevel: 'SILENT' });
    const compensate = makeCompensate({ config, logger, now: () => Date.now(), ecs: createEcsAdapter(session.ecs, config.clusterName), elb: createElbAdapter(session.elbv2) });
    return await abortExecution(name, {
      executions: createExecutionControl(session.sfn, stateMachineArn),
      locks: createLockTable(session.dynamodb, lockTableName),
      compensate,
      where: `state machine ${stateMachineArn}`,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
  } catch (error) {
    if (error instanceof RefusedError || error instanceof UsageError) throw error;
    return session.explain(error);
  }
}

/** A local run ends every execution before its command returns: the last run's NAME is never RUNNING. */
function localAbort(name: string): never {
  const record = loadRun().find((candidate) => candidate.name === name);
  if (!record) throw new UsageError(`no execution named ${name} in the last local run (see \`rollout executions\`)`);
  throw new ExecutionNotRunningError(`${name} is ${record.status} in the last local run, not RUNNING: nothing to abort, nothing changed (a local run ends every execution before its command returns; \`rollout simulate --abort-at STATE\` aborts one mid-run)`);
}

/** Exit 0 aborted; 1 refused (not running, lock not held) or stopped but not all restored; 2 bad usage or an account that cannot be used. */
export async function abort(name: string, options: AbortOptions): Promise<number> {
  const report = options.aws ? await awsAbort(name, options) : localAbort(name);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderAbort(report));
  return 0;
}
