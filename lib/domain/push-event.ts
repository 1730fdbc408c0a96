import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { text, validate } from './parse-input';

/** sha256 digests as ECR reports them: 'sha256:' + 64 lowercase hex characters. */
export const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * An ECR "ECR Image Action" event (AmazonECR/latest/userguide/ecr-eventbridge.html). Only the fields the
 * pipeline reads are checked; unknown extra fields are tolerated because AWS may add fields to events.
 */
export const PushEventSchema = v.object({
  id: v.optional(text(1, 256)),
  source: v.literal('aws.ecr'),
  'detail-type': v.literal('ECR Image Action'),
  account: v.pipe(v.string(), v.regex(/^\d{12}$/, 'must be a 12-digit AWS account id')),
  region: v.pipe(v.string(), v.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region such as us-east-1')),
  time: v.pipe(v.string(), v.isoTimestamp('must be an ISO 8601 timestamp')),
  detail: v.object({
    result: v.literal('SUCCESS'),
    'action-type': v.literal('PUSH'),
    'repository-name': text(2, 256),
    'image-digest': v.pipe(v.string(), v.regex(DIGEST, 'must be sha256: followed by 64 lowercase hex characters')),
    'image-tag': v.optional(v.pipe(v.string(), v.regex(/^[\w][\w.-]{0,127}$/, 'must be a valid image tag (max 128 chars)'))),
  }),
});

export type PushEvent = v.InferOutput<typeof PushEventSchema>;

/** Parses an ECR push event or throws ValidationError naming the first bad field. */
export function parsePushEvent(input: unknown): PushEvent {
  return validate(PushEventSchema, input, 'invalid ECR push event', { root: '(event)' });
}

/** The fields of a push the workflow carries, small enough for Step Functions' payload limit. */
export interface PushSummary {
  readonly id?: string;
  readonly account: string;
  readonly region: string;
  readonly time: string;
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
}

export function summarizePush(event: PushEvent): PushSummary {
  return {
    id: event.id,
    account: event.account,
    region: event.region,
    time: event.time,
    repository: event.detail['repository-name'],
    digest: event.detail['image-digest'],
    tag: event.detail['image-tag'],
  };
}

/** A failed rollout of an image can be retried by pushing it again: attempts 2..9 get a "-N" suffix. */
export const MAX_ATTEMPTS = 9;

/**
 * Execution names: 1-80 chars, unique per state machine for 90 days, no ':' or '/' (Step Functions
 * StartExecution). Same repository + digest → same name, so a duplicate delivery cannot start a second run.
 * A repository name that had to be shortened or had characters replaced gets a short hash of the original,
 * so "team/posts" and "team.posts" never share a name. Room is kept for the "-N" of a retry attempt.
 */
export function executionNameFor(repository: string, digest: string, attempt = 1): string {
  const hex = digest.replace(/^sha256:/, '').slice(0, 32);
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const sanitized = repository.replace(/[^A-Za-z0-9_-]/g, '-');
  const room = 80 - hex.length - 1 - 2;
  if (sanitized === repository && repository.length <= room) return `${repository}-${hex}${suffix}`;
  const tag = createHash('sha256').update(repository).digest('hex').slice(0, 8);
  return `${sanitized.slice(0, room - tag.length - 1)}-${tag}-${hex}${suffix}`;
}
