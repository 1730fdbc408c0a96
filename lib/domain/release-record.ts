import type { PushSummary } from './push-event';

/**
 * The release record on a service's lock item, as DynamoDB returns it ("Release service lock" writes
 * deployedDigest and deployedTime, the live push's digest and EventBridge event time).
 */
export interface ReleaseRecord {
  readonly digest: string;
  readonly eventTime: string;
}

export function releaseRecordOf(attributes: Record<string, unknown> | undefined): ReleaseRecord | undefined {
  const digest = (attributes?.deployedDigest as { S?: unknown } | undefined)?.S;
  const eventTime = (attributes?.deployedTime as { S?: unknown } | undefined)?.S;
  return typeof digest === 'string' && typeof eventTime === 'string' ? { digest, eventTime } : undefined;
}

/** A newer push (by event time) of another image is already live: this one must not replace it. */
export function isSuperseded(attributes: Record<string, unknown> | undefined, push: Pick<PushSummary, 'digest' | 'time'>): boolean {
  const live = releaseRecordOf(attributes);
  return live !== undefined && live.digest !== push.digest && Date.parse(live.eventTime) > Date.parse(push.time);
}
