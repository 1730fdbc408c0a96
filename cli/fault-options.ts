import { UsageError } from './usage-error';

const operationOf = (spec: string) => /^[A-Za-z]+/.exec(spec)?.[0] ?? spec;

/**
 * `--fail` specs that contradict each other (one OPERATION given two ways: which applies?) are refused; the same spec
 * twice only warns. Returns the warnings, one line each.
 */
export function checkFaultSpecs(specs: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const warnings: string[] = [];
  for (const spec of specs) {
    const operation = operationOf(spec);
    const earlier = seen.get(operation);
    if (earlier === undefined) seen.set(operation, spec);
    else if (earlier === spec) warnings.push(`--fail ${spec} is given twice: once is enough`);
    else throw new UsageError(`invalid --fail ${spec}: --fail ${earlier} already says how ${operation} fails (one --fail per OPERATION: OPERATION, OPERATION:N or OPERATION:timeout)`);
  }
  return warnings;
}

/** Faults that never fired because nothing called their operation during the run: one warning each. */
export function unfiredFaults(specs: readonly string[], calls: readonly { operation: string }[]): string[] {
  const called = new Set(calls.map((call) => call.operation));
  return [...new Set(specs)].filter((spec) => !called.has(operationOf(spec))).map((spec) => `--fail ${spec} never fired: nothing called ${operationOf(spec)} in this run`);
}
