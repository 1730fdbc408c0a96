/** The emulator's traffic hooks for tests and the local runner: request streams, and images that answer badly. */
import type { EmulatorContext } from './context';
import { configureTraffic, markImageFaulty, markImageSlow, type TrafficConfig } from './runtime/traffic-state';

export type { TrafficConfig, TrafficStream } from './runtime/traffic-state';

export interface TrafficControls {
  /** Starts (or replaces) the request streams from now on; AWS/ApplicationELB metrics follow, minute by minute. */
  start(config: TrafficConfig): void;
  stop(): void;
  /** Tasks running this image ('sha256:…' or an image URI) pass health checks but answer `errorRate` of requests 5xx (default 0.5). */
  markImageFaulty(imageRef: string, errorRate?: number): void;
  /** Tasks running this image take `addedLatencyMs` longer to answer every request (default 2000). */
  markImageSlow(imageRef: string, addedLatencyMs?: number): void;
}

/** `settle` brings the runtime up to now first, so a change counts from the current virtual instant. */
export function trafficControls(ctx: EmulatorContext, settle: () => void): TrafficControls {
  return {
    start: (config) => {
      settle();
      configureTraffic(ctx.traffic, config);
    },
    stop: () => {
      settle();
      ctx.traffic.streams = [];
    },
    markImageFaulty: (imageRef, errorRate) => {
      settle();
      markImageFaulty(ctx.traffic, imageRef, errorRate);
    },
    markImageSlow: (imageRef, addedLatencyMs) => {
      settle();
      markImageSlow(ctx.traffic, imageRef, addedLatencyMs);
    },
  };
}
