/**
 * `--faulty SERVICE[:RATE]`, `--slow SERVICE[:MS]` and `--alarm NAME` of `demo` and `simulate`: what the local run's
 * users meet (local/runner/traffic.ts) and which CloudWatch alarms are in ALARM for the run. Checked before anything
 * runs, like `--fail` (cli/fault-options.ts): a bad value is a UsageError, one line, exit 2.
 */
import { join } from 'node:path';
import { Option } from 'commander';
import { loadCatalogFromDirectory } from '../lib/config/load-catalog';
import { alarmNameProblem } from '../lib/domain/alarm-name';
import { findByName, type Catalog } from '../lib/domain/catalog';
import { DEFAULT_ADDED_LATENCY_MS, DEFAULT_ERROR_RATE } from '../local/emulator/runtime/traffic-state';
import type { ServiceFault, ServiceSlowness } from '../local/runner/traffic';
import { PROJECT_ROOT } from './project-root';
import { UsageError } from './usage-error';

/** The three flags as commander collects them: every value given, in order. */
export interface TrafficFlags {
  readonly faulty?: readonly string[];
  readonly slow?: readonly string[];
  readonly alarm?: readonly string[];
}

/** The flags as ScenarioOptions has them. */
export interface TrafficMarks {
  readonly faulty: ServiceFault[];
  readonly slow: ServiceSlowness[];
  readonly alarms: string[];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export const faultyOption = () =>
  new Option('--faulty <SERVICE[:RATE]>', `that service's pushed images pass health checks but answer RATE (0-1, default ${DEFAULT_ERROR_RATE}) of requests with 5xx (repeatable)`).argParser(collect);
export const slowOption = () => new Option('--slow <SERVICE[:MS]>', `that service's pushed images answer every request MS ms later (default ${DEFAULT_ADDED_LATENCY_MS}) (repeatable)`).argParser(collect);
export const alarmOption = () => new Option('--alarm <NAME>', 'the CloudWatch alarm NAME is in ALARM for the whole run (repeatable)').argParser(collect);

// A plain decimal: digits, an optional fraction; no sign, exponent, unit or percent.
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/** A spec as the message shows it: as typed, quoted when that would read ambiguously (empty parts, spaces). */
const shown = (spec: string) => (/^[\w.-]+(?::[\w.%-]+)?$/.test(spec) ? spec : JSON.stringify(spec));

function serviceOf(flag: string, spec: string, form: string, catalog: Catalog): { service: string; value: string | undefined } {
  const colon = spec.indexOf(':');
  const service = colon < 0 ? spec : spec.slice(0, colon);
  if (service === '') throw new UsageError(`invalid ${flag} ${shown(spec)}: use ${form}`);
  if (!findByName(catalog, service)) {
    const known = catalog.services.map((manifest) => manifest.name).sort();
    throw new UsageError(`invalid ${flag} ${shown(spec)}: no service ${service} (the services are ${known.join(', ')})`);
  }
  return { service, value: colon < 0 ? undefined : spec.slice(colon + 1) };
}

/** `--faulty SERVICE[:RATE]`: RATE the share of requests answered 5xx, 0-1 (default 0.5). */
export function parseFaulty(spec: string, catalog: Catalog): ServiceFault {
  const { service, value } = serviceOf('--faulty', spec, 'SERVICE or SERVICE:RATE', catalog);
  if (value === undefined) return { service };
  const rate = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!(rate >= 0 && rate <= 1)) throw new UsageError(`invalid --faulty ${shown(spec)}: the rate must be 0-1, the share of requests answered 5xx (0.5: half of them)`);
  return { service, errorRate: rate };
}

/** `--slow SERVICE[:MS]`: MS added to every response, >= 0 (default 2000). */
export function parseSlow(spec: string, catalog: Catalog): ServiceSlowness {
  const { service, value } = serviceOf('--slow', spec, 'SERVICE or SERVICE:MS', catalog);
  if (value === undefined) return { service };
  const ms = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!(ms >= 0 && Number.isFinite(ms))) {
    const seconds = /^(\d+(?:\.\d+)?)s$/.exec(value)?.[1];
    const hint = seconds === undefined ? '' : `; for ${seconds} s write ${service}:${Number(seconds) * 1000}`;
    throw new UsageError(`invalid --slow ${shown(spec)}: MS must be a number of milliseconds >= 0 (added to every response${hint})`);
  }
  return { service, addedLatencyMs: ms };
}

/**
 * One value per SERVICE: the same one twice (`posts` and `posts:0.5` alike) only warns; two different ones
 * contradict each other (which applies?) and are refused.
 */
function onePerService<T extends { service: string }>(flag: string, specs: readonly string[], parse: (spec: string) => T, effective: (mark: T) => number): { marks: T[]; warnings: string[] } {
  const seen = new Map<string, { spec: string; mark: T }>();
  const warnings: string[] = [];
  for (const spec of specs) {
    const mark = parse(spec);
    const earlier = seen.get(mark.service);
    if (earlier === undefined) seen.set(mark.service, { spec, mark });
    else if (effective(earlier.mark) !== effective(mark)) {
      throw new UsageError(`invalid ${flag} ${shown(spec)}: ${flag} ${shown(earlier.spec)} already says how ${mark.service} answers (one ${flag} per SERVICE)`);
    } else warnings.push(earlier.spec === spec ? `${flag} ${spec} is given twice: once is enough` : `${flag} ${spec} says what ${flag} ${earlier.spec} says: once is enough`);
  }
  return { marks: [...seen.values()].map(({ mark }) => mark), warnings };
}

/** `--alarm NAME`, as CloudWatch names alarms; a name given twice only warns. */
export function parseAlarms(names: readonly string[]): { alarms: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const alarms: string[] = [];
  for (const name of names) {
    const problem = alarmNameProblem(name);
    if (problem !== undefined) throw new UsageError(`invalid --alarm ${JSON.stringify(name)}: ${problem}`);
    if (alarms.includes(name)) warnings.push(`--alarm ${name} is given twice: once is enough`);
    else alarms.push(name);
  }
  return { alarms, warnings };
}

/** An `--alarm` no manifest's `traffic.alarms` names is in ALARM, but no rollout's bake reads it (a typo?). */
export function unreadAlarms(alarms: readonly string[], catalog: Catalog): string[] {
  const named = new Set(catalog.services.flatMap((manifest) => manifest.traffic.alarms));
  return alarms.filter((name) => !named.has(name)).map((name) => `--alarm ${name}: no manifest's traffic.alarms names it, so no rollout reads it`);
}

/**
 * The flags checked against the catalog the run uses (`--services DIR`, default services/), as ScenarioOptions has
 * them, with the warnings to print (one line each). Throws a UsageError naming the flag, the value and why.
 */
export function trafficMarks(flags: TrafficFlags, servicesDir: string | undefined): TrafficMarks & { warnings: string[] } {
  const { faulty = [], slow = [], alarm = [] } = flags;
  if (faulty.length === 0 && slow.length === 0 && alarm.length === 0) return { faulty: [], slow: [], alarms: [], warnings: [] };
  const catalog = loadCatalogFromDirectory(servicesDir ?? join(PROJECT_ROOT, 'services'));
  const faults = onePerService('--faulty', faulty, (spec) => parseFaulty(spec, catalog), (mark) => mark.errorRate ?? DEFAULT_ERROR_RATE);
  const slowness = onePerService('--slow', slow, (spec) => parseSlow(spec, catalog), (mark) => mark.addedLatencyMs ?? DEFAULT_ADDED_LATENCY_MS);
  const alarms = parseAlarms(alarm);
  return {
    faulty: faults.marks,
    slow: slowness.marks,
    alarms: alarms.alarms,
    warnings: [...faults.warnings, ...slowness.warnings, ...alarms.warnings, ...unreadAlarms(alarms.alarms, catalog)],
  };
}
