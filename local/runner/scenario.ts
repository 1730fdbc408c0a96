import { readFileSync } from 'node:fs';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import * as v from 'valibot';
import { alarmNameProblem } from '../../lib/domain/alarm-name';
import { schemaIssues } from '../../lib/domain/parse-input';
import { findByName, findByRepository, microservicesOf } from '../../lib/domain/catalog';
import type { FaultRule } from '../emulator';
import { PIPELINE_OPERATIONS } from './operations';
import { LocalPipeline, type Delivery, type PipelineOptions } from './pipeline';
import { simulationReport, type SimulationReport } from './report';
import { digestFor } from './seed-tutorial';
import { serviceMarksProblem, type ServiceMarks } from './traffic';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface ScenarioOptions extends PipelineOptions, ServiceMarks {
  /**
   * 'tutorial', or a JSON file { "live": ["posts", …], "monolithStickiness": true, "authenticate": true }: the tutorial
   * with those services already migrated, the monolith's group sticky, an OIDC login in front (see seedTutorial).
   */
  readonly seed?: string;
  /** OPERATION (permanent AccessDenied), OPERATION:N (throttled N times), OPERATION:timeout (Lambda timeout after the call). */
  readonly fail?: readonly string[];
  /** Services whose pushed images never pass health checks. */
  readonly unhealthy?: readonly string[];
  /** CloudWatch alarms in ALARM for the whole run (`--alarm NAME`), created before the first event (forceAlarms). */
  readonly alarms?: readonly string[];
  readonly concurrent?: boolean;
  readonly onPipeline?: (pipeline: LocalPipeline) => void;
  /** After the run, before the pipeline is disposed (e.g. to keep its final state); its calls are not in the report. */
  readonly onSettled?: (pipeline: LocalPipeline) => Promise<void>;
}

export function parseFault(spec: string): FaultRule {
  const match = /^([A-Za-z]+)(?::(\d+|timeout))?$/.exec(spec);
  const operation = match?.[1];
  if (!match || !operation) throw new ScenarioError(`invalid --fail ${JSON.stringify(spec)}: use OPERATION, OPERATION:N or OPERATION:timeout`);
  if (!PIPELINE_OPERATIONS.includes(operation)) {
    throw new ScenarioError(`invalid --fail ${spec}: ${operation} is not an operation the pipeline calls (one of ${PIPELINE_OPERATIONS.join(', ')})`);
  }
  const arg = match[2];
  if (arg === undefined) return { operation, kind: 'permanent' };
  if (arg === 'timeout') return { operation, kind: 'hang', applyFirst: true, times: 1 };
  const times = Number(arg);
  if (times < 1 || times > 1000) throw new ScenarioError(`invalid --fail ${spec}: N must be 1-1000`);
  return { operation, kind: 'throttle', times };
}

const SeedFileSchema = v.strictObject({
  live: v.optional(v.array(v.string()), []),
  monolithStickiness: v.optional(v.boolean(), false),
  authenticate: v.optional(v.boolean(), false),
});
export type SeedFile = v.InferOutput<typeof SeedFileSchema>;

/** A synthetic push event in ECR's exact shape. */
export function pushEvent(repository: string, tag: string, time: string): Record<string, unknown> {
  return {
    version: '0',
    id: digestFor(`event:${repository}:${tag}:${time}`).slice(7, 43),
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time,
    region: 'us-east-1',
    resources: [],
    detail: { result: 'SUCCESS', 'repository-name': repository, 'image-digest': digestFor(`${repository}:${tag}`), 'action-type': 'PUSH', 'image-tag': tag },
  };
}

/** The seed file (`--seed FILE`), checked: the tutorial itself when there is none. */
export function readSeed(seed: string | undefined): SeedFile {
  if (!seed || seed === 'tutorial') return { live: [], monolithStickiness: false, authenticate: false };
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(seed, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`cannot read seed file ${seed}: ${(error as Error).message}`);
  }
  const parsed = v.safeParse(SeedFileSchema, content);
  if (!parsed.success) {
    const [issue] = schemaIssues(parsed.issues, { root: '(root)' });
    throw new ScenarioError(`invalid seed file ${seed}: ${issue?.field ?? '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.output;
}

/** Everything a scenario needs is checked first: a bad option runs nothing. */
export function checkScenario(options: ScenarioOptions, pipelineCatalog: LocalPipeline['catalog']): { faults: FaultRule[]; live: string[] } {
  const faults = (options.fail ?? []).map(parseFault);
  for (const name of options.unhealthy ?? []) {
    if (!findByName(pipelineCatalog, name)) throw new ScenarioError(`invalid --unhealthy ${name}: no services/${name}/service.yml`);
  }
  const marksProblem = serviceMarksProblem(pipelineCatalog, options);
  if (marksProblem !== undefined) throw new ScenarioError(`invalid ${marksProblem}`);
  for (const name of options.alarms ?? []) {
    const problem = alarmNameProblem(name);
    if (problem !== undefined) throw new ScenarioError(`invalid --alarm ${JSON.stringify(name)}: ${problem}`);
  }
  const { live } = readSeed(options.seed);
  const microservices = microservicesOf(pipelineCatalog).map((m) => m.name);
  for (const name of live) {
    if (!microservices.includes(name)) throw new ScenarioError(`invalid seed ${options.seed}: live service ${name} is not a microservice in services/`);
  }
  return { faults, live };
}

/**
 * What `--seed {"live": [...]}` starts from: these microservices already rolled out by the pipeline itself (a v0
 * image of each, pushed and settled in turn). Calls, starts and virtual time count from here.
 */
export async function rollOutLive(pipeline: LocalPipeline, live: readonly string[]): Promise<void> {
  for (const name of live) {
    await pipeline.deliver(`seed:${name}`, pushEvent(findByName(pipeline.catalog, name)?.repository ?? name, 'v0', '2026-11-26T08:00:00Z'));
    await pipeline.settle();
  }
  pipeline.markStart();
}

/** The metric a forced alarm watches: one nobody publishes, so evaluating the alarm never finds a datapoint. */
export const FORCED_ALARM_METRIC = { Namespace: 'Rollout/Local', MetricName: 'ForcedAlarm' } as const;

/**
 * `--alarm NAME`: each alarm created in the emulator's CloudWatch (or, if it exists, redefined, which keeps its
 * state) on a metric nobody publishes, then set to ALARM. TreatMissingData `ignore` keeps the state an evaluation
 * without datapoints finds (local/emulator/cloudwatch/evaluate.ts), so it stays in ALARM however long the run.
 * Its calls are the environment's: call pipeline.markStart() after it.
 */
export async function forceAlarms(pipeline: LocalPipeline, names: readonly string[]): Promise<void> {
  const cloudwatch = pipeline.emulator.clients().cloudwatch;
  for (const name of names) {
    await cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: name, AlarmDescription: 'Put in ALARM for the run by rollout --alarm', ...FORCED_ALARM_METRIC, Statistic: 'Sum', Period: 60,
      EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'ignore',
    }));
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: `Set by rollout --alarm ${name}: in ALARM for the whole run` }));
  }
}

/** Runs events through the rule and the workflow from a seed; returns the documented report. */
export async function runScenario(events: readonly { label: string; event: unknown }[], options: ScenarioOptions = {}): Promise<SimulationReport> {
  // The seed file decides what the environment looks like, so it is read (and refused) before anything is built.
  const { monolithStickiness, authenticate } = readSeed(options.seed);
  const pipeline = await LocalPipeline.tutorial({ ...options, monolithStickiness, authenticate });
  try {
    const { faults, live } = checkScenario(options, pipeline.catalog);
    await rollOutLive(pipeline, live);
    if (options.alarms?.length) {
      await forceAlarms(pipeline, options.alarms);
      pipeline.markStart();
    }
    options.onPipeline?.(pipeline);
    pipeline.behaviours.mark(options);
    for (const fault of faults) pipeline.injectFault(fault);
    const unhealthy = new Set(options.unhealthy ?? []);
    const deliver = async (label: string, event: unknown): Promise<Delivery> => {
      const detail = (event as { detail?: Record<string, unknown> }).detail;
      const manifest = typeof detail?.['repository-name'] === 'string' ? findByRepository(pipeline.catalog, detail['repository-name']) : undefined;
      if (manifest && unhealthy.has(manifest.name) && typeof detail?.['image-digest'] === 'string') pipeline.emulator.markImageUnhealthy(detail['image-digest']);
      return pipeline.deliver(label, event);
    };
    const deliveries: Delivery[] = [];
    if (options.concurrent) {
      deliveries.push(...(await Promise.all(events.map(({ label, event }) => deliver(label, event)))));
      await pipeline.settle();
    } else {
      for (const { label, event } of events) {
        deliveries.push(await deliver(label, event));
        await pipeline.settle();
      }
    }
    const report = simulationReport(pipeline, deliveries);
    await options.onSettled?.(pipeline);
    return report;
  } finally {
    pipeline.dispose();
  }
}
