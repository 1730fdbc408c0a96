import { join } from 'node:path';
import { createExecutionsReader } from '../../lib/aws/sfn-executions';
import { createEcsAdapter } from '../../lib/aws/ecs';
import { createElbAdapter } from '../../lib/aws/elbv2';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { isCutoverName } from '../../lib/domain/cutover-name';
import { accountRegionOf } from '../../lib/domain/image';
import { LocalPipeline, PROJECT_ROOT } from '../../local/runner/pipeline';
import { openSession, type AwsAccountOptions } from '../aws-context';
import { statusEnvironment } from '../aws/environment';
import { loadEnvironment } from '../environment-store';
import { lastExecutions, type LastExecution } from '../environment/last-executions';
import { readEnvironment } from '../environment/read-environment';
import { renderStatus, type StatusReport } from '../render/status';
import { loadRun } from '../run-store';

export interface StatusOptions extends AwsAccountOptions {
  readonly aws?: boolean;
  readonly json: boolean;
  readonly servicesDir?: string;
}

/** How many executions to look through for each service's last one (ListExecutions is newest first). */
const EXECUTIONS_READ = 1000;

async function awsStatus(options: StatusOptions): Promise<StatusReport> {
  const session = await openSession(options);
  const catalog = loadCatalogFromDirectory(options.servicesDir ?? join(PROJECT_ROOT, 'services'));
  const environment = await statusEnvironment(session, options, catalog);
  try {
    const view = await readEnvironment({ ecs: createEcsAdapter(session.ecs, environment.clusterName), elb: createElbAdapter(session.elbv2) }, environment.listenerArn, catalog);
    const rollouts = createExecutionsReader(session.sfn, environment.stateMachineArn);
    const listed = (await rollouts.list(EXECUTIONS_READ)).map((execution) => ({ ...execution, error: null, cause: null }));
    const last = await lastExecutions(view.services, listed, (name) => rollouts.describe(name));
    let lastCutover: LastExecution | null = null;
    if (environment.cutoverStateMachineArn) {
      const cutovers = createExecutionsReader(session.sfn, environment.cutoverStateMachineArn);
      const [newest] = (await cutovers.list(1)).filter((execution) => isCutoverName(execution.name));
      lastCutover = newest ? await cutovers.describe(newest.name) : null;
    }
    const { account } = accountRegionOf(environment.listenerArn);
    return { source: `account ${account} in ${session.region} (cluster ${environment.clusterName})`, environment: view, lastExecutions: last, lastCutover };
  } catch (error) {
    return session.explain(error);
  }
}

/** The last local run's final state and executions; before any run, the tutorial seed as the pipeline builds it. */
async function localStatus(options: StatusOptions): Promise<StatusReport> {
  const stored = loadEnvironment();
  const runs = loadRun()
    .map(({ name, status, startedAt, stoppedAt, error, cause }) => ({ name, status, startedAt, stoppedAt, error, cause }))
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  if (stored) {
    return {
      source: `the last local run (${stored.runDir}, ${stored.savedAt})`,
      environment: stored.environment,
      lastExecutions: await lastExecutions(stored.environment.services, runs),
      lastCutover: runs.find((execution) => isCutoverName(execution.name)) ?? null,
    };
  }
  const pipeline = await LocalPipeline.tutorial({ servicesDir: options.servicesDir });
  try {
    const view = await readEnvironment(pipeline.deps, pipeline.config.listenerArn, pipeline.catalog);
    return { source: 'the tutorial seed (no local run yet: rollout demo, or rollout simulate EVENT_FILE)', environment: view, lastExecutions: await lastExecutions(view.services, []), lastCutover: null };
  } finally {
    pipeline.dispose();
  }
}

/** Read-only: routing, services, deployments, target health and each service's last execution. Exit 0, or 2 when the account cannot be read. */
export async function status(options: StatusOptions): Promise<number> {
  const report = options.aws ? await awsStatus(options) : await localStatus(options);
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
  return 0;
}
