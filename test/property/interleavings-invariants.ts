/** What must hold after any interleaving of overlapping pushes, judged from AWS state and execution records. */
import type { Delivery } from '../../local/runner/pipeline';
import type { ExecutionRecord } from '../../local/runner/local-step-functions';
import { executionReport, type ExecutionReport } from '../../local/runner/report';
import { MONOLITH, type InterleavingCase, type PlannedPush } from './interleavings-case';
import type { Facts } from './interleavings-observer';

export interface RunRecord {
  readonly c: InterleavingCase;
  readonly deliveries: readonly { readonly push: PlannedPush; readonly delivery: Delivery }[];
  readonly executions: ReadonlyMap<string, ExecutionRecord>;
  readonly facts: readonly Facts[];
  readonly windows: ReadonlyMap<string, { start: number; stop?: number }>;
}

interface Outcome {
  readonly push: PlannedPush;
  readonly report: ExecutionReport;
}

const ENDED = ['SUCCEEDED', 'SUPERSEDED', 'DUPLICATE', 'FAILED'];

function imageDigestOf(facts: Facts, service: string): string | undefined {
  const active = facts.state.services.find((candidate) => candidate.name === service && candidate.status === 'ACTIVE');
  const image = facts.state.taskDefinitions.find((definition) => definition.arn === active?.taskDefinition)?.images[0];
  return image?.slice(image.indexOf('@') + 1);
}

/** A FAILED execution leaves each lock's resources as they were when it took that lock, when it gives it back. */
function checkRestored(run: RunRecord, record: ExecutionRecord, label: string, problems: string[]): void {
  const window = run.windows.get(record.name);
  if (!window || window.stop === undefined) return;
  const during = run.facts.slice(window.start, window.stop + 1);
  const held = new Set(during.flatMap((facts) => [...facts.holders].filter(([, holder]) => holder === record.name).map(([lock]) => lock)));
  for (const lock of held) {
    const from = run.facts.findIndex((facts, index) => index >= window.start && facts.holders.get(lock) === record.name);
    const next = run.facts.findIndex((facts, index) => index > from && facts.holders.get(lock) !== record.name);
    const to = next === -1 || next > window.stop ? window.stop : next;
    const service = run.c.microservices.includes(lock) ? lock : MONOLITH;
    const before = run.facts[from]?.slices.get(service);
    const after = run.facts[to]?.slices.get(service);
    if (before !== after) {
      problems.push(`${label} FAILED (${record.error ?? 'no error'}) but did not put back ${service} as it was when it took lock ${lock} [facts ${from} -> ${to}]:\n    before ${before}\n    after  ${after}`);
    }
  }
}

function checkService(run: RunRecord, service: string, outcomes: readonly Outcome[], cutOver: boolean, problems: string[]): void {
  const first = run.facts[0];
  const last = run.facts[run.facts.length - 1];
  if (!first || !last) return;
  const mine = outcomes.filter((outcome) => outcome.push.service === service);
  const deployed = mine.filter((outcome) => outcome.report.status === 'SUCCEEDED');
  const latest = [...deployed].sort((a, b) => b.push.eventTimeMs - a.push.eventTimeMs)[0];
  for (const superseded of mine.filter((outcome) => outcome.report.status === 'SUPERSEDED')) {
    if (!deployed.some((outcome) => outcome.push.eventTimeMs > superseded.push.eventTimeMs) && !(service === MONOLITH && cutOver)) {
      problems.push(`${superseded.push.label} SUPERSEDED, but no later push of ${service} succeeded`);
    }
  }
  const live = imageDigestOf(last, service);
  if (service === MONOLITH && cutOver) {
    // after the cut-over a monolith push is a no-op that still SUCCEEDS: only "no other image" can be judged
    const allowed = [imageDigestOf(first, service), ...deployed.map((outcome) => outcome.push.digest)];
    if (!allowed.includes(live)) problems.push(`${service} runs ${live}, which no successful push and not the seed deployed`);
    return;
  }
  if (latest) {
    if (live !== latest.push.digest) problems.push(`${service} runs ${live ?? 'nothing'}, but its latest successful push is ${latest.push.label} (${latest.push.digest})`);
    if (service !== MONOLITH && !last.live.has(service)) problems.push(`${service} is not live at the end, though ${latest.push.label} SUCCEEDED`);
  } else if (last.slices.get(service) !== first.slices.get(service)) {
    problems.push(`no push of ${service} succeeded, yet it is not as it was before the run:\n    before ${first.slices.get(service)}\n    after  ${last.slices.get(service)}`);
  }
}

function checkCutover(run: RunRecord, problems: string[]): boolean {
  let drops = 0;
  let restores = 0;
  run.facts.forEach((facts, index) => {
    const previous = run.facts[index - 1];
    if (!previous) return;
    if (previous.defaultToMonolith && !facts.defaultToMonolith) {
      drops += 1;
      const notLive = run.c.microservices.filter((service) => !facts.live.has(service));
      if (notLive.length > 0) problems.push(`cut-over dropped the monolith's traffic while ${notLive.join(', ')} was not live [facts ${index}: ${facts.cause}]`);
    }
    if (!previous.defaultToMonolith && facts.defaultToMonolith) restores += 1;
    if (!previous.defaultToMonolith && !facts.defaultToMonolith && facts.cause.startsWith('after ModifyListener')) {
      problems.push(`a second cut-over: ModifyListener on a listener already cut over [facts ${index}]`);
    }
    if (previous.monolithDesired > 0 && facts.monolithDesired === 0 && (facts.defaultToMonolith || facts.ruleToMonolith)) {
      problems.push(`the monolith was scaled to 0 while the listener still forwarded to it [facts ${index}: ${facts.cause}]`);
    }
  });
  const failed = [...run.executions.values()].filter((record) => record.status === 'FAILED').length;
  if (drops > 1 + failed) problems.push(`the cut-over happened ${drops} times (${restores} undone, ${failed} executions FAILED)`);
  const last = run.facts[run.facts.length - 1];
  const cutOver = last !== undefined && !last.defaultToMonolith;
  if (last && cutOver) {
    const api = last.state.services.find((service) => service.name === MONOLITH);
    if (last.ruleToMonolith) problems.push('the default action is cut over but the monolith rule still forwards to the monolith');
    if (api && (api.desiredCount !== 0 || api.runningCount !== 0)) problems.push(`cut over, yet the monolith runs ${api.runningCount}/${api.desiredCount} tasks`);
  }
  const allLive = run.c.microservices.every((service) => last?.live.has(service));
  if (last && allLive && failed === 0 && !cutOver) problems.push('every microservice is live and nothing failed, but the cut-over never happened');
  return drops > 0;
}

/** Every violated invariant, as a sentence; empty when the run is sound. */
export function violations(run: RunRecord): string[] {
  const problems: string[] = [];
  const outcomes: Outcome[] = run.deliveries.map(({ push, delivery }) => ({ push, report: executionReport(delivery) }));
  for (const { push, report } of outcomes) {
    if (!report.status || !ENDED.includes(report.status)) problems.push(`${push.label} ended ${report.status ?? 'without a status'}${report.cause ? `: ${report.cause}` : ''}`);
    if (report.name === null) problems.push(`${push.label} was refused: ${report.error}: ${report.cause}`);
    if (report.error === 'States.Runtime') problems.push(`${push.label} FAILED on a definition error: ${report.cause}`);
  }
  for (const record of run.executions.values()) if (record.status === 'RUNNING') problems.push(`execution ${record.name} is still RUNNING`);
  const labels = new Map(outcomes.map((outcome) => [outcome.report.name, outcome.push.label]));
  for (const record of run.executions.values()) if (record.status === 'FAILED') checkRestored(run, record, labels.get(record.name) ?? record.name, problems);
  const cutOver = checkCutover(run, problems);
  for (const service of [...run.c.microservices, MONOLITH]) checkService(run, service, outcomes, cutOver, problems);
  const dead = run.facts[run.facts.length - 1]?.deadRoutes ?? [];
  if (dead.length > 0) problems.push(`at the end, traffic goes to groups without a healthy target: ${dead.join('; ')}`);
  return problems;
}
