/**
 * Property: overlapping pushes (2-5, of 1-3 microservices and the monolith, at random virtual times, with random
 * images, faults, API throttling and a seeded random schedule) always end in a sound state. Invariants read AWS
 * state, the AWS call log and execution records only (interleavings-invariants.ts), never state names.
 * A failure prints fast-check's seed and path and the case; replay it with
 *   FAST_CHECK_SEED=<seed> FAST_CHECK_PATH=<path> npx jest test/property/interleavings.test.ts
 */
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { monolithOf } from '../../lib/domain/catalog';
import { generateServices } from '../../local/runner/generate-services';
import { LocalPipeline, type Delivery } from '../../local/runner/pipeline';
import { executionReport } from '../../local/runner/report';
import { describeCase, interleavingCase, MONOLITH, type InterleavingCase, type PlannedPush } from './interleavings-case';
import { violations, type RunRecord } from './interleavings-invariants';
import { RunObserver } from './interleavings-observer';

/** 1,000 cases from the fixed seed in CI; INTERLEAVINGS_RUNS explores more (with FAST_CHECK_SEED=random); INTERLEAVINGS_STATS prints coverage and CPU per case. */
const NUM_RUNS = Number(process.env.INTERLEAVINGS_RUNS ?? 1000);
/** After the last execution ends, AWS still converges (tasks start, targets pass checks, connections drain). */
const CONVERGE_MS = 15 * 60_000;

const folders = [1, 2, 3].map((count) => generateServices(count));

async function run(c: InterleavingCase): Promise<RunRecord> {
  const folder = folders[c.microservices.length - 1];
  if (folder?.names.join() !== c.microservices.join()) throw new Error(`generated services ${folder?.names.join()} are not the case's ${c.microservices.join()}`);
  const pipeline = await LocalPipeline.tutorial({ servicesDir: folder.dir, throttling: c.throttling, cutoverMode: c.cutoverMode, schedule: c.schedule });
  try {
    const monolith = monolithOf(pipeline.catalog);
    if (!monolith || monolith.name !== MONOLITH) throw new Error(`the generated services folder has no ${MONOLITH} monolith`);
    const observer = new RunObserver(pipeline, pipeline.catalog.services, monolith);
    observer.observe('start');
    for (const fault of c.faults) pipeline.injectFault(fault);
    const deliveries: { push: PlannedPush; delivery: Delivery }[] = [];
    let clock = 0;
    for (const push of c.pushes) {
      if (push.deliverAtMs > clock) await pipeline.time.advance(push.deliverAtMs - clock);
      clock = push.deliverAtMs;
      if (push.unhealthy) pipeline.emulator.markImageUnhealthy(push.digest);
      deliveries.push({ push, delivery: await pipeline.deliver(push.label, push.event) });
    }
    await pipeline.settle();
    await pipeline.time.advance(CONVERGE_MS);
    observer.flush();
    observer.observe('end');
    return { c, deliveries, executions: pipeline.sfn.executions, facts: observer.facts, windows: observer.windows };
  } finally {
    pipeline.dispose();
  }
}

function explain(record: RunRecord, problems: readonly string[]): string {
  const outcomes = record.deliveries.map(({ push, delivery }) => {
    const report = executionReport(delivery);
    return `  ${push.label}: ${report.status ?? 'no status'} ${report.name ?? ''}${report.error ? ` ${report.error}: ${report.cause ?? ''}` : ''}`;
  });
  // the path each execution took (cut-over executions included): for diagnosis only, the invariants never read it
  const paths = [...record.executions.values()].map((execution) => `  ${execution.name} ${execution.status}: ${execution.states.join(' > ')}`);
  return [...problems.map((problem) => `- ${problem}`), '--- case ---', describeCase(record.c), '--- outcomes ---', ...outcomes, '--- executions ---', ...paths].join('\n');
}

const stats = { cpuMs: 0, cases: 0, sameServiceDifferentImages: 0, cutOver: 0, failed: 0, superseded: 0, duplicate: 0 };

function count(record: RunRecord): void {
  stats.cases += 1;
  const images = new Map<string, Set<string>>();
  for (const { push } of record.deliveries) images.set(push.service, (images.get(push.service) ?? new Set()).add(push.digest));
  if ([...images.values()].some((digests) => digests.size > 1)) stats.sameServiceDifferentImages += 1;
  if (record.facts.some((facts) => !facts.defaultToMonolith)) stats.cutOver += 1;
  const statuses = record.deliveries.map(({ delivery }) => executionReport(delivery).status);
  if (statuses.includes('FAILED')) stats.failed += 1;
  if (statuses.includes('SUPERSEDED')) stats.superseded += 1;
  if (statuses.includes('DUPLICATE')) stats.duplicate += 1;
}

describe('overlapping pushes under random interleavings', () => {
  afterAll(() => {
    for (const { dir } of folders) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps the latest push live, restores what failed and cuts over once (${NUM_RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(interleavingCase, async (c) => {
        const cpu = process.cpuUsage();
        const record = await run(c);
        const used = process.cpuUsage(cpu);
        stats.cpuMs += (used.user + used.system) / 1000;
        count(record);
        const problems = violations(record);
        if (problems.length > 0) throw new Error(`${problems.length} invariant(s) violated (replay: FAST_CHECK_SEED and FAST_CHECK_PATH from the line above):\n${explain(record, problems)}`);
      }),
      { numRuns: NUM_RUNS, ...(process.env.FAST_CHECK_PATH ? { path: process.env.FAST_CHECK_PATH } : {}) },
    );

    if (process.env.INTERLEAVINGS_STATS) console.log(JSON.stringify({ ...stats, cpuMsPerCase: Math.round(stats.cpuMs / stats.cases) }));
    if (process.env.FAST_CHECK_PATH || NUM_RUNS < 100) return;
    // the generator must really reach the races it is about, not pass by exploring nothing
    expect(stats.sameServiceDifferentImages / stats.cases).toBeGreaterThan(0.3);
    expect(stats.cutOver / stats.cases).toBeGreaterThan(0.15);
    expect(stats.failed / stats.cases).toBeGreaterThan(0.1);
    expect(stats.superseded).toBeGreaterThan(0);
    expect(stats.duplicate).toBeGreaterThan(0);
  }, 900_000);
});
