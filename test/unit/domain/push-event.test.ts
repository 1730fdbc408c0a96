import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { executionNameFor, parsePushEvent, summarizePush } from '../../../lib/domain/push-event';
import { ValidationError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const DIGEST = 'sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c';
const event = {
  version: '0',
  id: '3027b6b5-2122-43d0-b928-4600315b61fe',
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2026-11-26T09:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { result: 'SUCCESS', 'repository-name': 'posts', 'image-digest': DIGEST, 'action-type': 'PUSH', 'image-tag': 'v1' },
};
const withDetail = (detail: Record<string, unknown>) => ({ ...event, detail: { ...event.detail, ...detail } });
const { account: _account, ...withoutAccount } = event;
const { 'image-digest': _digest, ...detailWithoutDigest } = event.detail;

const validationErrorOf = (input: unknown) => thrownBy(ValidationError, () => parsePushEvent(input));

describe('parsePushEvent', () => {
  it('summarizes a successful push with the fields the workflow carries', () => {
    // Act
    const push = summarizePush(parsePushEvent(event));

    // Assess
    expect(push).toEqual({
      id: '3027b6b5-2122-43d0-b928-4600315b61fe',
      account: '123456789012',
      region: 'us-east-1',
      time: '2026-11-26T09:00:00Z',
      repository: 'posts',
      digest: DIGEST,
      tag: 'v1',
    });
  });

  it('accepts an untagged push and fields AWS may add', () => {
    // Act
    const push = summarizePush(parsePushEvent({ ...event, detail: { ...detailWithoutDigest, 'image-digest': DIGEST, 'image-tag': undefined, 'new-field': 1 } }));

    // Assess
    expect(push.tag).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a DELETE', withDetail({ 'action-type': 'DELETE' }), 'detail.action-type'],
    ['a FAILURE', withDetail({ result: 'FAILURE' }), 'detail.result'],
    ['a digest that is not sha256', withDetail({ 'image-digest': 'sha512:abc' }), 'detail.image-digest'],
    ['an upper-case digest', withDetail({ 'image-digest': DIGEST.toUpperCase().replace('SHA256', 'sha256') }), 'detail.image-digest'],
    ['a truncated digest', withDetail({ 'image-digest': DIGEST.slice(0, 40) }), 'detail.image-digest'],
    ['a missing digest', { ...event, detail: detailWithoutDigest }, 'detail.image-digest'],
    ['a missing account', withoutAccount, 'account'],
    ['a malformed region', { ...event, region: 'mars' }, 'region'],
    ['a time that is not ISO 8601', { ...event, time: 'yesterday' }, 'time'],
    ['another source', { ...event, source: 'aws.s3' }, 'source'],
    ['another detail-type', { ...event, 'detail-type': 'ECR Image Scan' }, 'detail-type'],
    ['a one-character repository name', withDetail({ 'repository-name': 'p' }), 'detail.repository-name'],
    ['a missing detail', { ...event, detail: undefined }, 'detail'],
  ])('rejects %s with a ValidationError naming the field', (_case, input, field) => {
    // Act
    const error = validationErrorOf(input);

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^invalid ECR push event: ${field}: `));
  });

  it('names the event itself when it is not an object', () => {
    // Act
    const error = validationErrorOf('not an event');

    // Assess
    expect(error.field).toBe('(event)');
  });
});

describe('executionNameFor', () => {
  const sha = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
  const tagOf = (repository: string) => createHash('sha256').update(repository).digest('hex').slice(0, 8);
  // ECR repository names: lowercase components separated by '.', '_', '-', nested with '/', up to 256 chars.
  const component = fc.stringMatching(/^[a-z0-9]{1,12}(?:[._-][a-z0-9]{1,12}){0,2}$/);
  const repositoryName = fc.array(component, { minLength: 1, maxLength: 20 }).map((parts) => parts.join('/').slice(0, 256).replace(/[._/-]+$/, '') || 'r');

  it.each([
    ['posts', DIGEST, 'posts-98cf390a9790526325315c828548fb07'],
    ['team/posts', DIGEST, `team-posts-${tagOf('team/posts')}-98cf390a9790526325315c828548fb07`],
    ['a'.repeat(256), DIGEST, `${'a'.repeat(36)}-${tagOf('a'.repeat(256))}-98cf390a9790526325315c828548fb07`],
  ])('names %s@%s as %s', (repository, digest, expected) => {
    // Act
    const name = executionNameFor(repository, digest);

    // Assess
    expect(name).toBe(expected);
  });

  it('always fits Step Functions: 1-80 characters, no ":" or "/", only name-safe characters', () => {
    fc.assert(
      fc.property(repositoryName, fc.string(), (repository, seed) => {
        const name = executionNameFor(repository, sha(seed));
        expect(name.length).toBeGreaterThan(0);
        expect(name.length).toBeLessThanOrEqual(80);
        expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
    );
  });

  it('gives the same push the same name, so a re-delivery is a duplicate', () => {
    fc.assert(
      fc.property(repositoryName, fc.string(), (repository, seed) => {
        expect(executionNameFor(repository, sha(seed))).toBe(executionNameFor(repository, sha(seed)));
      }),
    );
  });

  it('gives repositories that differ only in characters a name cannot hold different names', () => {
    fc.assert(
      fc.property(repositoryName, fc.string(), (repository, seed) => {
        const lookalike = repository.replace(/[/._]/g, '-');
        fc.pre(lookalike !== repository);
        expect(executionNameFor(repository, sha(seed))).not.toBe(executionNameFor(lookalike, sha(seed)));
      }),
    );
  });

  it('gives different digests of one repository different names', () => {
    fc.assert(
      fc.property(repositoryName, fc.string(), fc.string(), (repository, seedA, seedB) => {
        fc.pre(seedA !== seedB);
        expect(executionNameFor(repository, sha(seedA))).not.toBe(executionNameFor(repository, sha(seedB)));
      }),
    );
  });
});
