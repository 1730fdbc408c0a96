import { InvalidEventPatternError, matchesEventPattern, type EventPattern } from '../../../local/eventbridge/match-pattern';

const pushEvent = {
  source: 'aws.ecr',
  'detail-type': 'ECR Image Action',
  account: '123456789012',
  detail: {
    result: 'SUCCESS',
    'repository-name': 'posts',
    'image-digest': 'sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c',
    'action-type': 'PUSH',
    'image-tag': 'v1',
    tags: ['v1', 'latest'],
    size: 42,
    scanned: false,
    note: null,
  },
};

describe('matchesEventPattern', () => {
  it.each<[string, EventPattern, boolean]>([
    ['a value listed for a top-level field', { source: ['aws.ecr'] }, true],
    ['one of several listed values (OR)', { source: ['aws.s3', 'aws.ecr'] }, true],
    ['no listed value', { source: ['aws.s3'] }, false],
    ['an empty list of values', { source: [] }, false],
    ['every field of the pattern (AND)', { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'] }, true],
    ['one field of the pattern failing', { source: ['aws.ecr'], 'detail-type': ['Other'] }, false],
    ['a nested object', { detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } }, true],
    ['a nested object with one mismatch', { detail: { 'action-type': ['PUSH'], result: ['FAILURE'] } }, false],
    ['a nested field that is absent', { detail: { missing: ['x'] } }, false],
    ['a nested pattern where the event has a leaf', { source: { inner: ['x'] } }, false],
    ['exact case only', { source: ['AWS.ECR'] }, false],
    ['a number', { detail: { size: [42] } }, true],
    ['a number given as a string does not', { detail: { size: ['42'] } }, false],
    ['a boolean', { detail: { scanned: [false] } }, true],
    ['null', { detail: { note: [null] } }, true],
    ['any element of an array value', { detail: { tags: ['latest'] } }, true],
    ['no element of an array value', { detail: { tags: ['v2'] } }, false],
    ['prefix', { detail: { 'image-digest': [{ prefix: 'sha256:' }] } }, true],
    ['prefix not matching', { detail: { 'image-digest': [{ prefix: 'sha512:' }] } }, false],
    ['prefix on a non-string', { detail: { size: [{ prefix: '4' }] } }, false],
    ['suffix', { detail: { 'image-digest': [{ suffix: '682c' }] } }, true],
    ['equals-ignore-case', { detail: { 'action-type': [{ 'equals-ignore-case': 'push' }] } }, true],
    ['anything-but a value', { detail: { 'action-type': [{ 'anything-but': 'DELETE' }] } }, true],
    ['anything-but the value itself', { detail: { 'action-type': [{ 'anything-but': 'PUSH' }] } }, false],
    ['anything-but a list', { detail: { result: [{ 'anything-but': ['FAILURE', 'SUCCESS'] }] } }, false],
    ['anything-but a list without the value', { detail: { result: [{ 'anything-but': ['FAILURE'] }] } }, true],
    ['anything-but a prefix', { detail: { 'repository-name': [{ 'anything-but': { prefix: 'po' } }] } }, false],
    ['anything-but another prefix', { detail: { 'repository-name': [{ 'anything-but': { prefix: 'us' } }] } }, true],
    ['anything-but on an absent field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
    ['exists true on a present field', { detail: { 'image-tag': [{ exists: true }] } }, true],
    ['exists true on an absent field', { detail: { missing: [{ exists: true }] } }, false],
    ['exists false on an absent field', { detail: { missing: [{ exists: false }] } }, true],
    ['exists false on a present field', { detail: { 'image-tag': [{ exists: false }] } }, false],
    ['exists true on an object (not a leaf)', { detail: [{ exists: true }] }, false],
    ['wildcard', { detail: { 'image-tag': [{ wildcard: 'v*' }] } }, true],
    ['wildcard not matching', { detail: { 'image-tag': [{ wildcard: '*-prod' }] } }, false],
    ['wildcard on a non-string', { detail: { size: [{ wildcard: '*' }] } }, false],
    ['$or with one matching branch', { detail: { $or: [{ 'image-tag': ['v2'] }, { 'repository-name': ['posts'] }] } }, true],
    ['$or with no matching branch', { detail: { $or: [{ 'image-tag': ['v2'] }, { 'repository-name': ['users'] }] } }, false],
    ['$or beside another field that fails', { source: ['aws.s3'], $or: [{ account: ['123456789012'] }, { source: ['aws.ecr'] }] }, false],
    ['an empty pattern', {}, true],
  ])('matches %s: %j -> %s', (_case, pattern, expected) => {
    expect(matchesEventPattern(pattern, pushEvent)).toBe(expected);
  });

  it('matches a push without image-tag only when the pattern does not require one', () => {
    const { 'image-tag': _tag, ...detail } = pushEvent.detail;
    const byDigest = { ...pushEvent, detail };

    expect(matchesEventPattern({ detail: { 'action-type': ['PUSH'] } }, byDigest)).toBe(true);
    expect(matchesEventPattern({ detail: { 'image-tag': [{ exists: true }] } }, byDigest)).toBe(false);
  });

  it('does not match an event that is not an object', () => {
    expect(matchesEventPattern({ source: ['aws.ecr'] }, 'aws.ecr')).toBe(false);
    expect(matchesEventPattern({ source: [{ exists: false }] }, null)).toBe(true);
  });

  it.each<[string, unknown, RegExp]>([
    ['a field that is neither list nor object', { source: 'aws.ecr' }, /field source: must be an array of values or an object/],
    ['numeric matching', { detail: { size: [{ numeric: ['>', 1] }] } }, /operator numeric is not supported/],
    ['a filter with two operators', { source: [{ prefix: 'a', suffix: 'b' }] }, /exactly one operator/],
    ['prefix with a number', { source: [{ prefix: 1 }] }, /prefix needs a string/],
    ['exists with a string', { source: [{ exists: 'yes' }] }, /exists must be true or false/],
    ['a pattern that is an array', [], /must be a JSON object/],
    ['$or with one branch', { $or: [{ source: ['aws.ecr'] }] }, /\$or needs a list of at least two patterns/],
    ['wildcard with a number', { source: [{ wildcard: 1 }] }, /wildcard needs a string/],
  ])('rejects %s with InvalidEventPatternError', (_case, pattern, message) => {
    const match = () => matchesEventPattern(pattern as EventPattern, pushEvent);

    expect(match).toThrow(InvalidEventPatternError);
    expect(match).toThrow(message);
  });
});
