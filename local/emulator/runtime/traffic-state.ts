/** What the traffic model keeps between runtime steps: the streams, the marked images and the minute being measured. */
import type { EmulatorContext } from '../context';
import { digestOf } from './images';

export interface TrafficStream {
  listenerArn: string;
  /** A concrete request path (no wildcards), e.g. /api/posts. */
  path: string;
  requestsPerSecond: number;
}

export interface TrafficConfig {
  streams: readonly TrafficStream[];
  /** TargetResponseTime of a request a task answers normally (default 20 ms). */
  baseResponseTimeMs?: number;
}

/** One minute's expected (fractional) counts, turned into whole datapoints when the minute ends. */
export interface MinuteAccumulator {
  start: number;
  groups: Map<string, { loadBalancer: string; targetGroup: string; requests: number; errors: number; latency: Map<number, number> }>;
  loadBalancers: Map<string, Map<string, number>>;
  health: Map<string, { loadBalancer: string; targetGroup: string; healthyMs: number; unhealthyMs: number; coveredMs: number; minimum: [number, number]; maximum: [number, number] }>;
}

export interface TrafficState {
  streams: TrafficStream[];
  baseResponseTimeMs: number;
  /** image ref (digest or URI) -> share of requests answered 5xx */
  faultyImages: Map<string, number>;
  /** image ref -> ms added to every response (not to be confused with ctx.slowImages: slow to start) */
  latencyImages: Map<string, number>;
  /** virtual ms up to which requests have been counted; undefined until the runtime first runs */
  accountedUntil?: number;
  minute?: MinuteAccumulator;
  /** rounding remainders carried from minute to minute, by metric, so counts add up over long runs */
  carries: Map<string, number>;
}

export const DEFAULT_BASE_RESPONSE_TIME_MS = 20;
export const DEFAULT_ERROR_RATE = 0.5;
export const DEFAULT_ADDED_LATENCY_MS = 2000;

export function createTrafficState(): TrafficState {
  return { streams: [], baseResponseTimeMs: DEFAULT_BASE_RESPONSE_TIME_MS, faultyImages: new Map(), latencyImages: new Map(), carries: new Map() };
}

export function configureTraffic(state: TrafficState, config: TrafficConfig): void {
  for (const stream of config.streams) {
    if (!(stream.requestsPerSecond >= 0) || !Number.isFinite(stream.requestsPerSecond)) {
      throw new Error(`start traffic to ${stream.path}: requestsPerSecond must be a finite number >= 0, got ${stream.requestsPerSecond}`);
    }
  }
  const base = config.baseResponseTimeMs ?? DEFAULT_BASE_RESPONSE_TIME_MS;
  if (!(base >= 0)) throw new Error(`start traffic: baseResponseTimeMs must be >= 0, got ${base}`);
  state.streams = config.streams.map((stream) => ({ ...stream }));
  state.baseResponseTimeMs = base;
}

export function markImageFaulty(state: TrafficState, imageRef: string, errorRate = DEFAULT_ERROR_RATE): void {
  if (!(errorRate >= 0 && errorRate <= 1)) throw new Error(`mark image ${imageRef} faulty: errorRate must be 0-1, got ${errorRate}`);
  state.faultyImages.set(imageRef, errorRate);
}

export function markImageSlow(state: TrafficState, imageRef: string, addedLatencyMs = DEFAULT_ADDED_LATENCY_MS): void {
  if (!(addedLatencyMs >= 0) || !Number.isFinite(addedLatencyMs)) throw new Error(`mark image ${imageRef} slow: addedLatencyMs must be >= 0, got ${addedLatencyMs}`);
  state.latencyImages.set(imageRef, addedLatencyMs);
}

/** How a container image answers requests: marked by its full reference or by its digest. */
export function imageBehaviour(ctx: EmulatorContext, state: TrafficState, image: string): { errorRate: number; addedLatencyMs: number } {
  if (state.faultyImages.size === 0 && state.latencyImages.size === 0) return { errorRate: 0, addedLatencyMs: 0 };
  const digest = digestOf(ctx, image);
  const lookup = (marks: Map<string, number>): number => marks.get(image) ?? (digest === undefined ? undefined : marks.get(digest)) ?? 0;
  return { errorRate: lookup(state.faultyImages), addedLatencyMs: lookup(state.latencyImages) };
}
