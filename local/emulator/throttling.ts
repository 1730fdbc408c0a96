/** Optional API throttling: token buckets per API family, refilled on virtual time. Off unless `throttling` is set. */
import type { BucketConfig, BucketName, ServiceName, ThrottleConfig } from './types';

/**
 * Burst / refill per second. Sources: ELBv2 Describe* ~40 burst 10/s (shared/reference/aws-facts.md, ELB API throttling);
 * ECS read 50/20 and mutating 10/5 approximate the ECS "Request throttling for the Amazon ECS API" table (assumed);
 * the remaining families are assumed, generous values.
 */
export const DEFAULT_BUCKETS: Readonly<Record<BucketName, BucketConfig>> = {
  'elbv2:read': { burst: 40, refillPerSecond: 10 },
  'elbv2:write': { burst: 20, refillPerSecond: 5 }, // assumed
  'ecs:read': { burst: 50, refillPerSecond: 20 }, // assumed
  'ecs:write': { burst: 10, refillPerSecond: 5 }, // assumed
  'ecr:read': { burst: 100, refillPerSecond: 20 }, // assumed
  'ecr:write': { burst: 20, refillPerSecond: 5 }, // assumed
  'dynamodb:read': { burst: 1000, refillPerSecond: 500 }, // assumed: on-demand tables rarely throttle a lock table
  'dynamodb:write': { burst: 1000, refillPerSecond: 500 }, // assumed
};

interface Bucket { config: BucketConfig; tokens: number; refilledAt: number }

export class Throttler {
  private readonly buckets = new Map<string, Bucket>();
  private readonly configs: Readonly<Record<string, BucketConfig>> | undefined;

  constructor(option: boolean | ThrottleConfig | undefined) {
    this.configs = option === undefined || option === false ? undefined : { ...DEFAULT_BUCKETS, ...(option === true ? {} : option.buckets) };
  }

  /** Takes one token; false when the family's bucket is empty at virtual time `at`. */
  tryTake(service: ServiceName, mutating: boolean, at: number): boolean {
    const name = `${service}:${mutating ? 'write' : 'read'}`;
    const config = this.configs?.[name];
    if (!config) return true;
    const bucket = this.buckets.get(name) ?? { config, tokens: config.burst, refilledAt: at };
    this.buckets.set(name, bucket);
    const elapsedSeconds = Math.max(0, at - bucket.refilledAt) / 1000;
    bucket.tokens = Math.min(config.burst, bucket.tokens + elapsedSeconds * config.refillPerSecond);
    bucket.refilledAt = at;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
