import { matchesWildcard, tagDeploys } from '../../../lib/domain/deploy-tags';

describe('matchesWildcard (EventBridge wildcard filter)', () => {
  it.each<[string, string, boolean]>([
    ['v*', 'v1.2.3', true],
    ['v*', 'v', true],
    ['v*', 'release-v1', false],
    ['*-prod', 'api-prod', true],
    ['*-prod', 'api-prod-2', false],
    ['release-*-*', 'release-2026-11', true],
    ['v1.2', 'v1x2', false],
    ['latest', 'latest', true],
    ['latest', 'latest2', false],
    ['*', 'anything', true],
  ])('%s against %s -> %s', (pattern, value, expected) => {
    expect(matchesWildcard(pattern, value)).toBe(expected);
  });
});

describe('tagDeploys', () => {
  it('deploys any tag when the manifest names none', () => {
    expect(tagDeploys({}, 'latest')).toBe(true);
  });

  it('deploys only tags matching one of deployTags', () => {
    const manifest = { deployTags: ['v*', 'stable'] };

    expect([tagDeploys(manifest, 'v2'), tagDeploys(manifest, 'stable'), tagDeploys(manifest, 'latest')]).toEqual([true, true, false]);
  });

  it.each([undefined, ''])('never deploys an untagged push (tag %j)', (tag) => {
    expect(tagDeploys({}, tag)).toBe(false);
    expect(tagDeploys({ deployTags: ['*'] }, tag)).toBe(false);
  });
});
