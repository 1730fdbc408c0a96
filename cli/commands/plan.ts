import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { buildPushEventPattern } from '../../lib/domain/event-pattern';
import { accountRegionOf } from '../../lib/domain/image';
import { DIGEST } from '../../lib/domain/push-event';
import { createDeps, type Deps } from '../../lib/runtime/deps';
import { LocalPipeline, PROJECT_ROOT } from '../../local/runner/pipeline';
import { checkScenario, readSeed, rollOutLive } from '../../local/runner/scenario';
import { openSession, type AwsAccountOptions } from '../aws-context';
import { pipelineConfig } from '../aws/environment';
import { readEnvironment, toStateReport, type EnvironmentView } from '../environment/read-environment';
import { readEventFiles } from '../event-files';
import { UsageError } from '../usage-error';
import { planPush, type PushPlan } from '../plan/plan-push';
import { routingDiff } from '../render/routing-diff';
import { unmatchedReason } from '../render/unmatched';
import type { EventPattern } from '../../local/eventbridge/match-pattern';

export interface PlanOptions extends AwsAccountOptions {
  readonly aws?: boolean;
  readonly seed?: string;
  readonly json: boolean;
  readonly servicesDir?: string;
}

export interface Planned {
  readonly plan: PushPlan;
  readonly before: EnvironmentView;
  readonly after: EnvironmentView;
  /** What the plan was made against, for the heading. */
  readonly against: string;
}

/** Reads the environment, plans the push over it, and reads the projected environment: the same code for both targets. */
async function planAgainst(deps: Deps, event: unknown, explain?: (error: unknown) => void): Promise<Omit<Planned, 'against'>> {
  const { listenerArn, catalog } = deps.config;
  const before = await readEnvironment(deps, listenerArn, catalog);
  const { plan, projected } = await planPush(deps, event, explain);
  const after = projected === deps ? before : await readEnvironment(projected, listenerArn, catalog);
  return { plan, before, after };
}

/** The local seed (--seed tutorial|FILE), built by the pipeline itself, then thrown away. */
export async function planLocally(event: unknown, options: PlanOptions): Promise<Planned> {
  const { monolithStickiness, authenticate } = readSeed(options.seed);
  const pipeline = await LocalPipeline.tutorial({ servicesDir: options.servicesDir, monolithStickiness, authenticate });
  try {
    const { live } = checkScenario({ seed: options.seed }, pipeline.catalog);
    await rollOutLive(pipeline, live);
    // The event says the image was pushed: locally that push lands in the emulator's ECR, as `simulate` does it.
    const detail = (event as { detail?: Record<string, unknown> } | undefined)?.detail ?? {};
    const [repository, digest, tag] = [detail['repository-name'], detail['image-digest'], detail['image-tag']];
    if (typeof repository === 'string' && typeof digest === 'string' && DIGEST.test(digest)) pipeline.emulator.pushImage(repository, digest, typeof tag === 'string' ? tag : undefined);
    return { ...(await planAgainst(pipeline.deps, event)), against: `the ${options.seed ?? 'tutorial'} seed` };
  } finally {
    pipeline.dispose();
  }
}

/** The live account, read-only: the deployed stack's environment, the adapters over read-only clients. */
async function planOnAws(event: unknown, options: PlanOptions): Promise<Planned> {
  const session = await openSession(options);
  const catalog = loadCatalogFromDirectory(options.servicesDir ?? join(PROJECT_ROOT, 'services'));
  const config = await pipelineConfig(session, options, catalog);
  const deps = createDeps({ ecs: session.ecs, elbv2: session.elbv2, ecr: session.ecr, sfn: session.sfn, cloudwatch: session.cloudwatch }, config, { logger: new Logger({ serviceName: 'rollout', logLevel: 'SILENT' }) });
  const { account } = accountRegionOf(config.listenerArn);
  try {
    const explain = (error: unknown) => {
      const failure = session.accountFailure(error);
      if (failure) throw failure;
    };
    return { ...(await planAgainst(deps, event, explain)), against: `account ${account} in ${session.region} (cluster ${config.clusterName})` };
  } catch (error) {
    return session.explain(error);
  }
}

function printPlan(file: string, planned: Planned): void {
  const { plan } = planned;
  const lines = [`Plan for ${file} against ${planned.against}; nothing was changed:`];
  plan.changes.forEach((change, index) => lines.push(`  ${index + 1}. ${change.execution === 'cutover' ? '[cut-over] ' : ''}${change.description}`));
  if (plan.changes.length === 0) lines.push(plan.outcome === 'SUCCEEDED' ? '  nothing would change: everything is already as this push wants it' : '  nothing would change');
  if (plan.outcome === 'FAILED') lines.push(`Expected outcome: FAILED at ${plan.failedAt}: ${plan.error}: ${plan.cause}`);
  else if (plan.outcome === 'DUPLICATE') lines.push(`Expected outcome: DUPLICATE: execution ${plan.execution} already exists; this push would start nothing`);
  else lines.push(`Expected outcome: ${plan.outcome ?? 'unknown'}`);
  if (plan.cutover) {
    lines.push(plan.cutover.due ? `Cut-over: would start ${plan.cutover.name}: ${plan.cutover.reason}` : `Cut-over: not started: ${plan.cutover.reason}`);
    if (plan.cutover.error) lines.push(`  and would fail: ${plan.cutover.error}: ${plan.cutover.cause}`);
  }
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  lines.push('Routing and services, before → after:', routingDiff(planned.before, planned.after));
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * What the workflow would do for this push, changing nothing, against the local seed or (--aws) the live account.
 * Exit 0 when the push would succeed (or start nothing), 1 when it would be refused or fail, 2 on bad usage or an
 * account that cannot be read.
 */
export async function plan(file: string, options: PlanOptions): Promise<number> {
  if (options.aws && options.seed !== undefined && options.seed !== 'tutorial') throw new UsageError('--seed is the local starting point: plan --aws plans against the account as it is');
  const [input] = readEventFiles([file]);
  const planned = options.aws ? await planOnAws(input?.event, options) : await planLocally(input?.event, options);
  const { plan: result } = planned;
  const failed = result.outcome === 'FAILED' || Boolean(result.cutover?.error);
  if (options.json) {
    const changes = result.changes.filter((change) => change.operation && change.operation !== 'StartExecution').map((change) => change.operation);
    process.stdout.write(
      `${JSON.stringify(
        {
          event: file,
          matched: result.matched,
          outcome: result.outcome,
          steps: result.steps,
          changes,
          state: toStateReport(planned.after),
          against: planned.against,
          execution: result.execution,
          error: result.error,
          cause: result.cause,
          failedAt: result.failedAt,
          plan: result.changes,
          cutover: result.cutover,
          notes: result.notes,
          before: toStateReport(planned.before),
        },
        null,
        2,
      )}\n`,
    );
    return failed ? 1 : 0;
  }
  if (!result.matched) {
    const catalog = loadCatalogFromDirectory(options.servicesDir ?? join(PROJECT_ROOT, 'services'));
    const reason = unmatchedReason(buildPushEventPattern(catalog) as unknown as EventPattern, input?.event, catalog);
    process.stdout.write(`${file}: not matched by the ECR push rule: ${reason}: nothing would change.\n`);
    return 0;
  }
  printPlan(file, planned);
  return failed ? 1 : 0;
}
