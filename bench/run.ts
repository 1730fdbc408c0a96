import { cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { microservicesOf } from '../lib/domain/catalog';
import { isMutating } from '../local/runner/operations';
import { LocalPipeline, PROJECT_ROOT, type Delivery } from '../local/runner/pipeline';
import { executionReport } from '../local/runner/report';
import { pushEvent } from '../local/runner/scenario';
import { verifyMigration } from '../local/runner/verify-migration';
import { generateServices } from '../local/runner/generate-services';
import { lambdaBundlesSection } from './lambda-bundles';
import { parse, stringify } from 'yaml';

/**
 * `npm run bench`: measures the local migration (wall time, virtual AWS time, calls, state transitions) and
 * the packaged Lambda bundles (zip size, cold load time), and writes BENCHMARKS.md. Numbers, not assertions:
 * tests never time anything.
 */
interface Measurement {
  name: string;
  wallMs: number;
  virtualSeconds: number;
  executions: number;
  succeeded: number;
  transitions: number[];
  calls: Record<string, number>;
  mutating: number;
  throttled: number;
  retries: number;
  cutovers: number;
  uniquePriorities: boolean;
  migrated: boolean;
}

async function measure(name: string, options: { servicesDir?: string; concurrent: boolean; throttling?: boolean; duplicate?: boolean }): Promise<Measurement> {
  const wallStart = performance.now();
  const pipeline = await LocalPipeline.tutorial({ servicesDir: options.servicesDir, throttling: options.throttling });
  try {
    const services = [...microservicesOf(pipeline.catalog)].sort((a, b) => a.priority - b.priority);
    const events = services.map((manifest) => ({ label: manifest.name, event: pushEvent(manifest.repository, 'v1', '2026-11-26T09:02:00Z') }));
    const deliveries: Delivery[] = [];
    if (options.concurrent) {
      deliveries.push(...(await Promise.all(events.map(({ label, event }) => pipeline.deliver(label, event)))));
      await pipeline.settle();
    } else {
      for (const { label, event } of events) {
        deliveries.push(await pipeline.deliver(label, event));
        await pipeline.settle();
      }
    }
    let duplicateMutating = 0;
    if (options.duplicate && events[0]) {
      const before = pipeline.emulator.calls.length;
      deliveries.push(await pipeline.deliver(`${events[0].label} (again)`, events[0].event));
      await pipeline.settle();
      duplicateMutating = pipeline.emulator.calls.slice(before).filter((call) => call.mutating).length;
    }
    const calls = pipeline.emulator.calls.slice(pipeline.callsAtStart);
    const counts: Record<string, number> = {};
    for (const call of calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    const reports = deliveries.map((delivery) => executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart));
    const records = [...pipeline.sfn.executions.values()];
    const snapshot = pipeline.emulator.snapshot();
    const priorities = snapshot.rules.map((rule) => rule.priority);
    return {
      name,
      wallMs: Math.round(performance.now() - wallStart),
      virtualSeconds: Math.round(pipeline.virtualSecondsSinceStart()),
      executions: records.length,
      // executions counts every record, the cut-over's included: count its outcome too
      succeeded: reports.filter((report) => report.status === 'SUCCEEDED').length + reports.flatMap((report) => report.children).filter((child) => child.status === 'SUCCEEDED').length,
      transitions: records.map((record) => record.transitions),
      calls: counts,
      mutating: calls.filter((call) => call.mutating && isMutating(call.operation)).length,
      throttled: calls.filter((call) => /Throttl/.test(call.error ?? '')).length,
      retries: records.reduce((sum, record) => sum + record.history.filter((event) => event.type === 'StateRetried').length, 0),
      cutovers: counts.ModifyListener ?? 0,
      uniquePriorities: new Set(priorities).size === priorities.length,
      migrated: verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn, pipeline.config.dropTargetGroupArn).ok,
      ...(options.duplicate ? { duplicateMutating } : {}),
    };
  } finally {
    pipeline.dispose();
  }
}

interface StrategyMeasurement {
  name: string;
  status: string;
  trafficSteps: number[];
  transitions: number;
  mutating: Record<string, number>;
  cloudwatchReads: number;
  virtualSeconds: number;
}

/** One new service (posts) rolled out from the tutorial's start with `traffic` as its manifest's traffic block. */
export async function measureStrategy(name: string, traffic: Record<string, unknown>): Promise<StrategyMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-traffic-'));
  cpSync(join(PROJECT_ROOT, 'services'), dir, { recursive: true });
  const file = join(dir, 'posts', 'service.yml');
  writeFileSync(file, stringify({ ...(parse(readFileSync(file, 'utf8')) as object), traffic }));
  const pipeline = await LocalPipeline.tutorial({ servicesDir: dir });
  try {
    const delivery = await pipeline.deliver('posts', pushEvent('posts', 'v1', '2026-11-26T09:02:00Z'));
    await pipeline.settle();
    const report = executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart);
    const calls = pipeline.emulator.calls.slice(pipeline.callsAtStart);
    const mutating: Record<string, number> = {};
    for (const call of calls.filter((c) => c.mutating && isMutating(c.operation))) mutating[call.operation] = (mutating[call.operation] ?? 0) + 1;
    return {
      name,
      status: report.status ?? 'RUNNING',
      trafficSteps: report.trafficSteps.map((step) => step.percent),
      transitions: report.transitions,
      mutating,
      cloudwatchReads: calls.filter((call) => call.operation === 'GetMetricData' || call.operation === 'DescribeAlarms').length,
      virtualSeconds: Math.round(pipeline.virtualSecondsSinceStart()),
    };
  } finally {
    pipeline.dispose();
  }
}

export function strategySection(results: StrategyMeasurement[]): string[] {
  const [base] = results;
  const total = (m: StrategyMeasurement) => sum(Object.values(m.mutating));
  return [
    '## Traffic strategies (issue 9): one new service, posts, from the tutorial\'s start',
    '',
    'The same push of posts with each `traffic` block; the emulator\'s users send 20 requests/s to /api/posts*. "Added per step" is the mutating calls beyond all at once, per weight change beyond the first (issue 9: at most 2; a canary rollout of a new service within 50 state transitions). Bakes are waited out in looks of a fifth of the bake (1-5 minutes; the last one 60 s after the bake), each one GetMetricData (and DescribeAlarms when the manifest names alarms).',
    '',
    '| traffic | outcome | trafficSteps (percent) | state transitions | mutating calls | added per step | CloudWatch reads | virtual s |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((m) => {
      const extraSteps = Math.max(0, m.trafficSteps.length - (base?.trafficSteps.length ?? 1));
      const added = base && extraSteps > 0 ? ((total(m) - total(base)) / extraSteps).toFixed(1) : '-';
      const calls = Object.entries(m.mutating).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${op} ${n}`).join(', ');
      return `| ${m.name} | ${m.status} | ${m.trafficSteps.join(' → ')} | ${m.transitions} | ${total(m)} (${calls}) | ${added} | ${m.cloudwatchReads} | ${m.virtualSeconds} |`;
    }),
    '',
  ];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function row(m: Measurement): string {
  const transitions = m.transitions.length ? `${Math.min(...m.transitions)}–${Math.max(...m.transitions)} (total ${sum(m.transitions)})` : '-';
  return `| ${m.name} | ${m.wallMs} | ${m.virtualSeconds} | ${m.succeeded}/${m.executions} | ${sum(Object.values(m.calls))} | ${m.mutating} | ${transitions} | ${m.throttled} | ${m.retries} | ${m.cutovers} | ${m.uniquePriorities ? 'yes' : 'NO'} | ${m.migrated ? 'yes' : 'NO'} |`;
}

/** The demo as a user runs it: a fresh Node process through the CLI (tsx start-up included), best of 3. */
function demoCommandWallMs(): number {
  const runs = [1, 2, 3].map(() => {
    const started = performance.now();
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, 'bin', 'rollout.cjs'), 'demo'], { cwd: mkdtempSync(join(tmpdir(), 'bench-demo-')), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`rollout demo exited ${result.status}: ${result.stderr}`);
    return performance.now() - started;
  });
  return Math.round(Math.min(...runs));
}

async function main(): Promise<void> {
  const ten = generateServices(10);
  const fifty = generateServices(50);
  const results: Measurement[] = [];
  results.push(await measure('demo: tutorial, 3 pushes one after another', { concurrent: false, duplicate: true }));
  results.push(await measure('10 generated services pushed at once', { servicesDir: ten.dir, concurrent: true }));
  results.push(await measure('50 generated services pushed at once', { servicesDir: fifty.dir, concurrent: true }));
  results.push(await measure('50 at once, AWS-like API throttling on', { servicesDir: fifty.dir, concurrent: true, throttling: true }));
  const strategies = [
    await measureStrategy('all at once', { strategy: 'all-at-once' }),
    await measureStrategy('canary 10 %, bake 5 min (the tutorial\'s)', { strategy: 'canary', canaryPercent: 10, bakeMinutes: 5 }),
    await measureStrategy('linear 25 %, bake 5 min', { strategy: 'linear', stepPercent: 25, bakeMinutes: 5 }),
  ];
  const demo = results[0] as Measurement & { duplicateMutating?: number };
  const demoCommandMs = demoCommandWallMs();
  const lines = [
    '# Benchmarks',
    '',
    `Made by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} cores. Local mode: the real state machine and handlers on the in-process emulator, virtual time.`,
    'Wall time includes seeding the tutorial environment; "virtual s" is the AWS time the rollouts would take (health checks, draining) from the first push to the last execution\'s end.',
    '',
    '| run | wall ms | virtual s | succeeded | AWS calls | mutating calls | transitions per execution | throttled calls | state-machine retries | cut-overs (ModifyListener) | priorities unique | migrated |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    `Duplicate delivery of the first demo event: ${demo.duplicateMutating ?? '?'} mutating calls (the starter finds the execution with DescribeExecution and answers DUPLICATE).`,
    '',
    '## AWS calls by operation',
    '',
    ...results.flatMap((m) => [`**${m.name}**: ${Object.entries(m.calls).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${op} ${n}`).join(', ')}`, '']),
    '## Targets (issue 3) and how they compare',
    '',
    `- demo ≤ 5 s wall: \`node bin/rollout.cjs demo\` (what \`npm run demo\` runs) takes ${demoCommandMs} ms end to end in a fresh process (best of 3); the migration itself ${results[0]?.wallMs} ms.`,
    `- 50 services ≤ 30 s wall: ${results[2]?.wallMs} ms (throttled run: ${results[3]?.wallMs} ms).`,
    '- A new-service rollout makes only the mutating calls its steps need: RegisterTaskDefinition, CreateTargetGroup, CreateRule, CreateService, ModifyRule (one per traffic step), and the lock writes the state machine makes itself (UpdateItem: take, then release with the release record); the last one starts the cut-over, its own execution (UpdateItem to take and release the monolith\'s lock, ModifyRule on /api*, ModifyListener, UpdateService on the monolith).',
    '',
    ...strategySection(strategies),
    ...lambdaBundlesSection(),
  ];
  writeFileSync(join(PROJECT_ROOT, 'BENCHMARKS.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (require.main === module) main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
