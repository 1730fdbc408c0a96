/**
 * The traffic model: steady request streams through the listeners, counted per minute of virtual time without
 * simulating single requests. Between two runtime events nothing that routes a request changes, so the flow
 * (traffic-flow.ts) is computed once per interval and its rates are added to the current minute; each minute that
 * ends becomes AWS/ApplicationELB datapoints (traffic-metrics.ts) and every alarm is evaluated (cloudwatch/evaluate.ts).
 * Cost: one routing pass per interval in which time moved, plus one publication per virtual minute.
 */
import { evaluateAlarms } from '../cloudwatch/evaluate';
import type { EmulatorContext } from '../context';
import { FlowBuilder } from './traffic-flow';
import { accumulate, newMinute, publishMinute } from './traffic-metrics';

const MINUTE_MS = 60_000;

/** Counts requests up to `until` (called by the runtime before anything changes at `until`). */
export function advanceTraffic(ctx: EmulatorContext, until: number): void {
  const state = ctx.traffic;
  if (state.accountedUntil === undefined || until <= state.accountedUntil) {
    state.accountedUntil ??= until;
    return;
  }
  const measuring = state.streams.length > 0;
  if (!measuring && state.minute === undefined && ctx.cloudwatch.alarms.size === 0) {
    state.accountedUntil = until;
    return;
  }
  const flow = measuring ? new FlowBuilder(ctx, state).build() : undefined;
  let from = state.accountedUntil;
  while (from < until) {
    const minuteStart = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    const minuteEnd = minuteStart + MINUTE_MS;
    const to = Math.min(until, minuteEnd);
    if (flow) {
      state.minute ??= newMinute(minuteStart);
      accumulate(state.minute, flow, to - from);
    }
    from = to;
    if (to === minuteEnd) {
      if (state.minute) publishMinute(ctx, state, state.minute);
      state.minute = undefined;
      evaluateAlarms(ctx, minuteEnd);
    }
  }
  state.accountedUntil = until;
}
