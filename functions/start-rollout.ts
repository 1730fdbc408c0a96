import * as v from 'valibot';
import { TagNotDeployedError, ValidationError } from '../lib/errors';
import { DIGEST, MAX_ATTEMPTS, executionNameFor } from '../lib/domain/push-event';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { rolloutSfnAdapter } from '../lib/runtime/clients';
import { validate } from '../lib/domain/parse-input';

// Just enough to name the execution and to know it is a successful push; "Resolve release" validates the whole event inside the workflow,
// where a rejection is visible in the Step Functions console.
const StarterEventSchema = v.looseObject({
  detail: v.looseObject({
    // The rule lets only successful PUSHes through; a DELETE or a FAILURE delivered some other way starts nothing.
    'action-type': v.literal('PUSH', 'must be PUSH: only a push starts a rollout'),
    result: v.literal('SUCCESS', 'must be SUCCESS: a failed push starts no rollout'),
    'repository-name': v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
    'image-digest': v.pipe(v.string(), v.regex(DIGEST, 'must be sha256: followed by 64 lowercase hex characters')),
    'image-tag': v.optional(v.string()),
  }),
});

/** The execution carries only the fields the workflow reads: unknown extras never reach Step Functions. */
const EVENT_FIELDS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region'] as const;
const DETAIL_FIELDS = ['result', 'repository-name', 'image-digest', 'action-type', 'image-tag'] as const;
/** Far below Step Functions' 256 KiB state limit: a real ECR event is well under 1 KiB. */
const MAX_EVENT_BYTES = 8 * 1024;

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}

function trimmedEvent(event: Record<string, unknown>): Record<string, unknown> {
  const top = pick(event, EVENT_FIELDS);
  const detail = pick(event.detail as Record<string, unknown>, DETAIL_FIELDS);
  const trimmed = { ...top, detail };
  const bytes = Buffer.byteLength(JSON.stringify(trimmed));
  if (bytes > MAX_EVENT_BYTES) {
    const sizes = [...EVENT_FIELDS.map((key) => [key, top[key]] as const), ...DETAIL_FIELDS.map((key) => [`detail.${key}`, detail[key]] as const)];
    const [field] = sizes.reduce((largest, entry) => (JSON.stringify(entry[1] ?? '').length > JSON.stringify(largest[1] ?? '').length ? entry : largest));
    throw new ValidationError(`start rollout: invalid ECR push event: ${field}: the event is ${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte limit`, field);
  }
  return trimmed;
}

export type StartOutcome = { status: 'STARTED'; name: string; executionArn: string } | { status: 'DUPLICATE'; name: string };

export const makeHandler = (deps: HandlerDeps<'sfn'>) => async (event: unknown): Promise<StartOutcome> => {
  const parsed = validate(StarterEventSchema, event, 'start rollout: invalid ECR push event', { root: '(event)' });
  const repository = parsed.detail['repository-name'];
  const digest = parsed.detail['image-digest'];
  // The rule's pattern lets only tagged pushes through; one delivered some other way is refused here, before
  // it becomes an execution (buildx's untagged platform manifests and attestation are not releases).
  if (!parsed.detail['image-tag']) {
    throw new TagNotDeployedError(`start rollout: an untagged push of ${repository}@${digest} (a platform manifest, an attestation or a push by digest) starts no rollout: only a tagged push does`);
  }
  const eventId = (event as { id?: unknown }).id;
  // receivedAt makes every delivery's input distinct, so a re-delivery always gets ExecutionAlreadyExists
  // (StartExecution with an identical input would silently return the running execution instead).
  const input = { event: trimmedEvent(event as Record<string, unknown>), receivedAt: new Date(deps.now()).toISOString() };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const name = executionNameFor(repository, digest, attempt);
    // Look before starting: a duplicate then costs one read, not a refused StartExecution.
    let existing = await deps.sfn.describe(name);
    if (!existing) {
      const result = await deps.sfn.start(name, input);
      if (result.started) {
        deps.logger.info('rollout started', { execution: name, repository, digest, attempt });
        return { status: 'STARTED', name, executionArn: result.executionArn };
      }
      existing = await deps.sfn.describe(name); // another delivery started it a moment ago
    }
    // A re-delivery of the same event, or an image that is rolling out or rolled out, is a duplicate.
    // A new push of an image whose rollout failed (after a fix elsewhere) is a retry: the next name.
    const sameEvent = eventId !== undefined && (existing?.input as { event?: { id?: unknown } } | undefined)?.event?.id === eventId;
    if (!existing || sameEvent || ['RUNNING', 'SUCCEEDED', 'PENDING_REDRIVE'].includes(existing.status)) {
      deps.logger.info('duplicate delivery: an execution with this name already exists', { execution: name, repository, digest, status: existing?.status });
      return { status: 'DUPLICATE', name };
    }
  }
  const last = executionNameFor(repository, digest, MAX_ATTEMPTS);
  deps.logger.warn('every retry name for this image is used: push a new image to roll out', { execution: last, repository, digest });
  return { status: 'DUPLICATE', name: last };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ sfn: rolloutSfnAdapter(config) }));
