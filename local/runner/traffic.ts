/**
 * The local run's users: a steady stream of requests per service's paths (each manifest's, the monolith's
 * included) through the tutorial's listener, and services whose new images answer badly (faulty: 5xx for a share
 * of requests; slow: added response time), for images pushed after they are marked, like `--unhealthy`.
 */
import type { Catalog } from '../../lib/domain/catalog';
import { findByName, findByRepository } from '../../lib/domain/catalog';
import { representativePath } from '../../lib/domain/routing';
import type { AwsEmulator, TrafficStream } from '../emulator';

export const DEFAULT_REQUESTS_PER_SECOND = 20;

export interface TrafficOptions {
  /** Requests per second per service's path family, split evenly over its paths (default 20). */
  readonly requestsPerSecond?: number;
  /** TargetResponseTime of a normal answer, in ms (default 20). */
  readonly baseResponseTimeMs?: number;
}

export class TrafficOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrafficOptionsError';
  }
}

/** One stream per path pattern of every manifest, at a concrete path the pattern matches (/api/posts* -> /api/posts). */
export function trafficStreams(catalog: Catalog, listenerArn: string, requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND): TrafficStream[] {
  if (!(requestsPerSecond >= 0) || !Number.isFinite(requestsPerSecond)) throw new TrafficOptionsError(`traffic: requestsPerSecond must be a finite number >= 0, got ${requestsPerSecond}`);
  return catalog.services.flatMap((manifest) =>
    manifest.paths.map((pattern) => ({ listenerArn, path: representativePath(pattern), requestsPerSecond: requestsPerSecond / manifest.paths.length })));
}

export function startTraffic(emulator: AwsEmulator, catalog: Catalog, listenerArn: string, options: TrafficOptions = {}): void {
  emulator.traffic.start({
    streams: trafficStreams(catalog, listenerArn, options.requestsPerSecond),
    ...(options.baseResponseTimeMs !== undefined ? { baseResponseTimeMs: options.baseResponseTimeMs } : {}),
  });
}

export interface ServiceFault {
  readonly service: string;
  /** Share of requests answered 5xx, 0-1 (default 0.5). */
  readonly errorRate?: number;
}
export interface ServiceSlowness {
  readonly service: string;
  /** Added to every response, in ms (default 2000). */
  readonly addedLatencyMs?: number;
}
export interface ServiceMarks {
  readonly faulty?: readonly ServiceFault[];
  readonly slow?: readonly ServiceSlowness[];
}

/** What is wrong with these marks ("faulty nope: no such service…"), checked before anything runs; undefined when fine. */
export function serviceMarksProblem(catalog: Catalog, marks: ServiceMarks): string | undefined {
  const check = new ServiceBehaviours(undefined, catalog);
  try {
    check.mark(marks);
    return undefined;
  } catch (error) {
    if (error instanceof TrafficOptionsError) return error.message;
    throw error;
  }
}

/** Services marked faulty or slow; each image of theirs pushed from then on is marked in the emulator. */
export class ServiceBehaviours {
  private readonly faulty = new Map<string, number | undefined>();
  private readonly slow = new Map<string, number | undefined>();

  constructor(private readonly emulator: AwsEmulator | undefined, private readonly catalog: Catalog) {}

  mark(marks: ServiceMarks): void {
    for (const { service, errorRate } of marks.faulty ?? []) this.markServiceFaulty(service, errorRate);
    for (const { service, addedLatencyMs } of marks.slow ?? []) this.markServiceSlow(service, addedLatencyMs);
  }

  /** Its tasks pass health checks but answer `errorRate` of requests with 5xx (default 0.5). */
  markServiceFaulty(service: string, errorRate?: number): void {
    this.requireService(service, 'faulty');
    if (errorRate !== undefined && !(errorRate >= 0 && errorRate <= 1)) throw new TrafficOptionsError(`faulty ${service}: the error rate must be 0-1, got ${errorRate}`);
    this.faulty.set(service, errorRate);
  }

  /** Its tasks answer every request `addedLatencyMs` later (default 2000). */
  markServiceSlow(service: string, addedLatencyMs?: number): void {
    this.requireService(service, 'slow');
    if (addedLatencyMs !== undefined && !(addedLatencyMs >= 0 && Number.isFinite(addedLatencyMs))) {
      throw new TrafficOptionsError(`slow ${service}: the added latency must be a number of ms >= 0, got ${addedLatencyMs}`);
    }
    this.slow.set(service, addedLatencyMs);
  }

  /** Called for every image landing in ECR. */
  onPush(repository: string, digest: string): void {
    const manifest = findByRepository(this.catalog, repository);
    if (!manifest || !this.emulator) return;
    if (this.faulty.has(manifest.name)) this.emulator.traffic.markImageFaulty(digest, this.faulty.get(manifest.name));
    if (this.slow.has(manifest.name)) this.emulator.traffic.markImageSlow(digest, this.slow.get(manifest.name));
  }

  private requireService(service: string, what: string): void {
    if (!findByName(this.catalog, service)) throw new TrafficOptionsError(`${what} ${service}: no such service in the catalog`);
  }
}
