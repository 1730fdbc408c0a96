import { isSuperseded, releaseRecordOf } from '../../../lib/domain/release-record';

const PUSH = { digest: `sha256:${'a'.repeat(64)}`, time: '2026-11-26T09:00:00Z' };
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;

/** A lock item's attributes as DynamoDB returns them (ALL_OLD), with a release record. */
const recordOf = (digest: string, time: string) => ({ pk: { S: 'lock#posts' }, deployedDigest: { S: digest }, deployedTime: { S: time }, deployedBy: { S: 'posts-earlier' } });

describe('isSuperseded', () => {
  it.each([
    ['a newer push of another image is live', recordOf(OTHER_DIGEST, '2026-11-26T09:00:01Z'), true],
    ['a newer push is live, its time written with milliseconds', recordOf(OTHER_DIGEST, '2026-11-26T09:00:00.001Z'), true],
    ['this very image is live, even with a later time (re-pushed)', recordOf(PUSH.digest, '2026-11-26T09:30:00Z'), false],
    ['an older push of another image is live', recordOf(OTHER_DIGEST, '2026-11-26T08:59:59Z'), false],
    ['a push of another image at the same moment is live', recordOf(OTHER_DIGEST, PUSH.time), false],
    ['the lock item has no release record yet', { pk: { S: 'lock#posts' }, owner: { S: 'posts-other' } }, false],
    ['the record has no time', { deployedDigest: { S: OTHER_DIGEST } }, false],
    ['the record has no digest', { deployedTime: { S: '2026-11-26T09:00:01Z' } }, false],
    ['the record is not of type S', { deployedDigest: { N: '1' }, deployedTime: { N: '2' } }, false],
    ['there was no lock item at all', undefined, false],
  ])('when %s: %s', (_case, attributes, expected) => {
    // Act
    const superseded = isSuperseded(attributes, PUSH);

    // Assess
    expect(superseded).toBe(expected);
  });
});

describe('releaseRecordOf', () => {
  it('reads the digest and event time of a release record', () => {
    // Act
    const record = releaseRecordOf(recordOf(OTHER_DIGEST, '2026-11-26T09:00:01Z'));

    // Assess
    expect(record).toEqual({ digest: OTHER_DIGEST, eventTime: '2026-11-26T09:00:01Z' });
  });

  it('has no record for an item without one', () => {
    // Act
    const record = releaseRecordOf({ pk: { S: 'lock#posts' } });

    // Assess
    expect(record).toBeUndefined();
  });
});
