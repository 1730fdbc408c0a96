/** Fault injection: per-operation rules consumed in insertion order ('CreateRule' or 'elbv2:CreateRule'). */
import type { FaultRule, ServiceName } from './types';

type ActiveRule = FaultRule & { remaining: number };

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    const times = rule.times ?? Infinity;
    if (!(times > 0)) throw new Error(`add fault for ${rule.operation}: times must be positive, got ${times}`);
    this.rules.push({ ...rule, remaining: times });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first live rule for this operation, with one use consumed. */
  take(service: ServiceName, operation: string): FaultRule | undefined {
    const rule = this.rules.find((candidate) => candidate.remaining > 0 && (candidate.operation === operation || candidate.operation === `${service}:${operation}`));
    if (!rule) return undefined;
    rule.remaining -= 1;
    const { remaining: _remaining, ...fault } = rule;
    return fault;
  }
}
