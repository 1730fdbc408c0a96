/** fast-check arbitraries for hostile ECR events: a valid push, bent in one to three places. */
import fc from 'fast-check';
import { pushEvent } from '../../local/runner/scenario';

type Path = readonly string[];
type Mutation = { kind: 'delete'; path: Path } | { kind: 'set'; path: Path; value: unknown } | { kind: 'extra'; path: Path; key: string; value: unknown };

const FIELDS: readonly Path[] = [
  ['id'], ['version'], ['source'], ['detail-type'], ['account'], ['region'], ['time'], ['resources'], ['detail'],
  ['detail', 'result'], ['detail', 'repository-name'], ['detail', 'image-digest'], ['detail', 'action-type'], ['detail', 'image-tag'],
];

const HEX64 = 'a'.repeat(64);
export const malformedDigest = fc.oneof(
  fc.constantFrom('', 'sha256:', `sha256:${HEX64.toUpperCase()}`, `sha256:${HEX64}0`, `sha256:${HEX64.slice(1)}`, `sha512:${HEX64}`, HEX64, `sha256:${'g'.repeat(64)}`, ` sha256:${HEX64}`, `sha256:${HEX64}\n`),
  fc.string({ unit: 'binary', maxLength: 80 }).map((tail) => `sha256:${tail}`),
);

const hugeString = fc.constantFrom('x', 'é', '\u{1F680}', '\u0000', '../', '%s').chain((unit) => fc.integer({ min: 300, max: 100_000 }).map((n) => unit.repeat(n)));

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 64 }),
  hugeString,
  malformedDigest,
  fc.constantFrom(null, undefined, 0, -1, NaN, Infinity, true, [], {}, 'DELETE', 'FAILURE', 'aws.s3', 'ECR Scan', '999999999999', 'eu-west-1', 'not-a-date', '2026-13-45T99:00:00Z'),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...FIELDS).map((path): Mutation => ({ kind: 'delete', path })),
  fc.record({ path: fc.constantFrom(...FIELDS), value: hostileValue }).map(({ path, value }): Mutation => ({ kind: 'set', path, value })),
  fc.record({ path: fc.constantFrom([], ['detail']), key: fc.string({ maxLength: 20 }), value: hostileValue }).map(({ path, key, value }): Mutation => ({ kind: 'extra', path, key, value })),
);

function apply(event: Record<string, unknown>, change: Mutation): void {
  const parentPath = change.kind === 'extra' ? change.path : change.path.slice(0, -1);
  let parent: unknown = event;
  for (const key of parentPath) parent = parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[key] : undefined;
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return;
  const target = parent as Record<string, unknown>;
  if (change.kind === 'extra') {
    // own data property even for keys like __proto__, as JSON.parse would make it
    Object.defineProperty(target, change.key, { value: change.value, enumerable: true, configurable: true, writable: true });
    return;
  }
  const key = change.path[change.path.length - 1] ?? '';
  if (change.kind === 'delete') delete target[key];
  else target[key] = change.value;
}

/** A valid push of a tutorial repository (or an unknown one), then 1-3 hostile changes. */
export const bentPushEvent: fc.Arbitrary<unknown> = fc
  .record({
    repository: fc.constantFrom('posts', 'users', 'threads', 'api', 'unknown-repo', 'posts/nested'),
    tag: fc.constantFrom('v1', 'latest', '1.2.3'),
    changes: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  })
  .map(({ repository, tag, changes }) => {
    const event = structuredClone(pushEvent(repository, tag, '2026-11-26T09:00:00Z'));
    for (const change of changes) apply(event, change);
    return event;
  });

/**
 * Named bent shapes of a push. Not all are refused where one might think: startRollout starts an execution for
 * every tagged shape with a repository and a well-formed digest, DELETE and FAILURE included, and Resolve release
 * refuses those (test/unit/eventbridge/event-shapes.ts says what becomes of each shape, and at which step).
 */
export const namedHostilePush: fc.Arbitrary<unknown> = fc
  .record({
    repository: fc.constantFrom('posts', 'users', 'threads'),
    shape: fc.constantFrom('tag-only', 'digest-only', 'DELETE', 'FAILURE', 'other-source', 'other-detail-type', 'other-account', 'other-region', 'bad-digest'),
    digest: malformedDigest,
  })
  .map(({ repository, shape, digest }) => {
    const event = pushEvent(repository, 'v1', '2026-11-26T09:00:00Z') as Record<string, unknown> & { detail: Record<string, unknown> };
    if (shape === 'tag-only') delete event.detail['image-digest'];
    if (shape === 'digest-only') delete event.detail['image-tag'];
    if (shape === 'DELETE') event.detail['action-type'] = 'DELETE';
    if (shape === 'FAILURE') event.detail.result = 'FAILURE';
    if (shape === 'other-source') event.source = 'aws.s3';
    if (shape === 'other-detail-type') event['detail-type'] = 'ECR Image Scan';
    if (shape === 'other-account') event.account = '999999999999';
    if (shape === 'other-region') event.region = 'eu-west-1';
    if (shape === 'bad-digest') event.detail['image-digest'] = digest;
    return event;
  });

const isOrHas = (value: unknown, wanted: string): boolean => value === wanted || (Array.isArray(value) && value.includes(wanted));

/** Anything but a successful PUSH: action-type other than PUSH or result other than SUCCESS (absent included), the rest a valid push. */
export const notASuccessfulPush: fc.Arbitrary<unknown> = fc
  .record({
    repository: fc.constantFrom('posts', 'users', 'threads', 'api'),
    action: fc.option(fc.oneof(fc.constantFrom('PUSH', 'DELETE', 'push', 'Push', 'REPLICATE'), hostileValue), { nil: undefined }),
    result: fc.option(fc.oneof(fc.constantFrom('SUCCESS', 'FAILURE', 'success', 'PARTIAL'), hostileValue), { nil: undefined }),
  })
  // EventBridge matches an array value by any element: ['PUSH'] would be a PUSH to the rule, so it counts as one here
  .filter(({ action, result }) => !isOrHas(action, 'PUSH') || !isOrHas(result, 'SUCCESS'))
  .map(({ repository, action, result }) => {
    const event = structuredClone(pushEvent(repository, 'v1', '2026-11-26T09:00:00Z')) as Record<string, unknown> & { detail: Record<string, unknown> };
    // undefined stands for an absent field, as it would be in the JSON EventBridge delivers
    if (action === undefined) delete event.detail['action-type'];
    else event.detail['action-type'] = action;
    if (result === undefined) delete event.detail.result;
    else event.detail.result = result;
    return event;
  });

export const nonObjectEvent: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, 0, '', 'aws.ecr', true, [], [{}]),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.double(),
  fc.array(fc.anything(), { maxLength: 3 }),
);
