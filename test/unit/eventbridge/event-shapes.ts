/**
 * Every shape of "ECR Image Action" event the pipeline can be handed, and what must become of it: whether the
 * rule serverless.yml deploys matches it, what startRollout does when it gets it (from the rule, or delivered
 * anyway: a rule edited by hand, a test invoke, a replay from the dead-letter queue), and what the execution's
 * first step, Resolve release, does with an event the starter started. event-shapes.test.ts checks each row.
 */
import { pushEvent } from '../../../local/runner/scenario';

/**
 * A named error, and for a ValidationError the field it names: one of a list where the event has several faults,
 * since which one is reported first is the schema's order, not a requirement.
 */
export interface Refusal {
  readonly refuses: string;
  readonly field?: string | readonly string[];
}

export interface EventShape {
  readonly shape: string;
  readonly event: unknown;
  /** The deployed rule's pattern: matched events invoke startRollout; the rest never reach it. */
  readonly rule: 'matches' | 'ignores';
  /** startRollout, handed the event: one StartExecution, or a named refusal and none. */
  readonly starter: 'starts' | Refusal;
  /** Resolve release, for an event the starter starts: a release (read-only), or a named refusal before any change. */
  readonly resolve?: 'resolves' | Refusal;
}

type Detail = Record<string, unknown>;
type Event = Record<string, unknown> & { detail: Detail };

/** A real push of the tutorial's posts repository; each row has its own tag, so its own digest and execution name. */
function push(tag: string, change: (event: Event) => void = () => undefined, repository = 'posts'): Event {
  const event = structuredClone(pushEvent(repository, tag, '2026-11-26T09:00:00Z')) as Event;
  change(event);
  return event;
}

const without = (field: string) => (event: Event) => {
  delete event.detail[field];
};
const detail = (fields: Detail) => (event: Event) => {
  Object.assign(event.detail, fields);
};


// The 10 000-character values are far over the starter's 8 KiB limit for what it passes to Step Functions.
const HUGE = 'x'.repeat(10_000);

export const EVENT_SHAPES: readonly EventShape[] = [
  // successful pushes to a catalog repository
  { shape: 'tagged PUSH SUCCESS to a microservice repository', event: push('shape-tagged'), rule: 'matches', starter: 'starts', resolve: 'resolves' },
  { shape: 'tagged PUSH SUCCESS to the monolith repository', event: push('shape-monolith', undefined, 'api'), rule: 'matches', starter: 'starts', resolve: 'resolves' },
  // buildx pushes untagged platform manifests and an attestation beside the tagged index: only the tag is a release
  { shape: 'untagged PUSH SUCCESS (image-tag absent)', event: push('shape-untagged', without('image-tag')), rule: 'ignores', starter: { refuses: 'TagNotDeployedError' } },
  // `exists` matches an empty string, so the rule lets it through; the starter does not
  { shape: 'PUSH with an empty image-tag', event: push('shape-empty-tag', detail({ 'image-tag': '' })), rule: 'matches', starter: { refuses: 'TagNotDeployedError' } },
  { shape: 'PUSH without image-digest (tag only)', event: push('shape-no-digest', without('image-digest')), rule: 'matches', starter: { refuses: 'ValidationError', field: 'detail.image-digest' } },
  { shape: 'PUSH with an empty image-digest', event: push('shape-empty-digest', detail({ 'image-digest': '' })), rule: 'matches', starter: { refuses: 'ValidationError', field: 'detail.image-digest' } },
  { shape: 'PUSH with an upper-case digest', event: push('shape-bad-digest', (event) => (event.detail['image-digest'] = String(event.detail['image-digest']).toUpperCase().replace('SHA256', 'sha256'))), rule: 'matches', starter: { refuses: 'ValidationError', field: 'detail.image-digest' } },
  { shape: 'PUSH with fields the pipeline does not read', event: push('shape-extra', (event) => ((event.note = 'hi'), detail({ 'artifact-media-type': 'application/vnd.oci.image.manifest.v1+json' })(event))), rule: 'matches', starter: 'starts', resolve: 'resolves' },
  { shape: 'oversized PUSH: 200 KB in a field the pipeline does not read (dropped before StartExecution)', event: push('shape-huge-extra', detail({ 'manifest-media-type': 'y'.repeat(200_000) })), rule: 'matches', starter: 'starts', resolve: 'resolves' },
  { shape: 'oversized PUSH: a 10 000-character image-tag', event: push('shape-huge-tag', detail({ 'image-tag': HUGE })), rule: 'matches', starter: { refuses: 'ValidationError', field: 'detail.image-tag' } },
  { shape: 'oversized PUSH: a 10 000-character event id', event: push('shape-huge-id', (event) => (event.id = HUGE)), rule: 'matches', starter: { refuses: 'ValidationError', field: 'id' } },
  { shape: 'PUSH of an image in another account', event: push('shape-account', (event) => (event.account = '999999999999')), rule: 'matches', starter: 'starts', resolve: { refuses: 'ForeignImageError' } },
  { shape: 'PUSH of an image in another region', event: push('shape-region', (event) => (event.region = 'eu-west-1')), rule: 'matches', starter: 'starts', resolve: { refuses: 'ForeignImageError' } },
  { shape: 'PUSH with a time that is not ISO 8601', event: push('shape-time', (event) => (event.time = 'yesterday')), rule: 'matches', starter: 'starts', resolve: { refuses: 'ValidationError', field: 'time' } },

  // not a successful push: the rule ignores it, and delivered anyway it must start nothing
  { shape: 'DELETE SUCCESS', event: push('shape-delete', detail({ 'action-type': 'DELETE' })), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.action-type' }, resolve: { refuses: 'ValidationError', field: 'detail.action-type' } },
  { shape: 'PUSH FAILURE', event: push('shape-failure', detail({ result: 'FAILURE' })), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.result' }, resolve: { refuses: 'ValidationError', field: 'detail.result' } },
  { shape: 'DELETE FAILURE', event: push('shape-delete-failure', detail({ 'action-type': 'DELETE', result: 'FAILURE' })), rule: 'ignores', starter: { refuses: 'ValidationError', field: ['detail.action-type', 'detail.result'] }, resolve: { refuses: 'ValidationError', field: 'detail.result' } },
  { shape: 'PUSH FAILURE without image-digest (as a failed push may report)', event: push('shape-failure-no-digest', (event) => ((event.detail.result = 'FAILURE'), without('image-digest')(event))), rule: 'ignores', starter: { refuses: 'ValidationError', field: ['detail.image-digest', 'detail.result'] } },
  { shape: 'action-type absent', event: push('shape-no-action', without('action-type')), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.action-type' }, resolve: { refuses: 'ValidationError', field: 'detail.action-type' } },
  { shape: 'result absent', event: push('shape-no-result', without('result')), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.result' }, resolve: { refuses: 'ValidationError', field: 'detail.result' } },
  { shape: 'action-type "push" in lower case', event: push('shape-lower-push', detail({ 'action-type': 'push' })), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.action-type' }, resolve: { refuses: 'ValidationError', field: 'detail.action-type' } },

  // not an ECR image action, or not one of ours: the rule ignores it; delivered anyway, Resolve release refuses it by name
  { shape: 'source aws.s3', event: push('shape-source', (event) => (event.source = 'aws.s3')), rule: 'ignores', starter: 'starts', resolve: { refuses: 'ValidationError', field: 'source' } },
  { shape: 'detail-type "ECR Image Scan"', event: push('shape-detail-type', (event) => (event['detail-type'] = 'ECR Image Scan')), rule: 'ignores', starter: 'starts', resolve: { refuses: 'ValidationError', field: 'detail-type' } },
  { shape: 'PUSH SUCCESS to a repository no manifest claims', event: push('shape-unknown', undefined, 'unknown-repo'), rule: 'ignores', starter: 'starts', resolve: { refuses: 'UnknownRepositoryError' } },
  { shape: 'PUSH SUCCESS to a repository whose name extends a catalog one', event: push('shape-prefix', undefined, 'posts-legacy'), rule: 'ignores', starter: 'starts', resolve: { refuses: 'UnknownRepositoryError' } },
  { shape: 'repository-name absent', event: push('shape-no-repository', without('repository-name')), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.repository-name' } },
  { shape: 'repository-name empty', event: push('shape-empty-repository', detail({ 'repository-name': '' })), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail.repository-name' } },
  { shape: 'detail absent', event: push('shape-no-detail', (event) => delete (event as Partial<Event>).detail), rule: 'ignores', starter: { refuses: 'ValidationError', field: 'detail' } },
  { shape: 'not an object (null)', event: null, rule: 'ignores', starter: { refuses: 'ValidationError', field: '(event)' } },
  { shape: 'not an object (a JSON string)', event: JSON.stringify(pushEvent('posts', 'shape-string', '2026-11-26T09:00:00Z')), rule: 'ignores', starter: { refuses: 'ValidationError', field: '(event)' } },
];
