import { buildCatalog } from '../../../lib/domain/catalog';
import { assertPatternFits, buildPushEventPattern } from '../../../lib/domain/event-pattern';
import { matchesEventPattern, type EventPattern } from '../../../local/eventbridge/match-pattern';

const manifest = (name: string, priority: number, extra: Record<string, unknown> = {}) => ({
  file: `services/${name}/service.yml`,
  content: { name, repository: name, paths: [`/api/${name}*`], priority, ...extra },
});

const push = (repository: string, tag?: string) => ({
  source: 'aws.ecr',
  'detail-type': 'ECR Image Action',
  detail: { result: 'SUCCESS', 'action-type': 'PUSH', 'repository-name': repository, 'image-digest': `sha256:${'a'.repeat(64)}`, ...(tag ? { 'image-tag': tag } : {}) },
});

describe('buildPushEventPattern', () => {
  it('asks for a tag, any tag, when no manifest restricts them: one branch, no $or', () => {
    const pattern = buildPushEventPattern(buildCatalog([manifest('users', 2), manifest('posts', 1)]));

    expect(pattern).toEqual({
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': ['posts', 'users'], 'image-tag': [{ exists: true }] },
    });
  });

  it('gives repositories with deployTags a branch of their own, exact tags as values and patterns as wildcards', () => {
    const catalog = buildCatalog([manifest('posts', 1, { deployTags: ['v*', 'stable'] }), manifest('users', 2), manifest('threads', 3)]);

    const pattern = buildPushEventPattern(catalog);

    expect(pattern.detail).toEqual({
      'action-type': ['PUSH'],
      result: ['SUCCESS'],
      $or: [
        { 'repository-name': ['posts'], 'image-tag': ['stable', { wildcard: 'v*' }] },
        { 'repository-name': ['threads', 'users'], 'image-tag': [{ exists: true }] },
      ],
    });
    const matches = (event: unknown) => matchesEventPattern(pattern as unknown as EventPattern, event);
    expect([matches(push('posts', 'v3')), matches(push('posts', 'stable')), matches(push('posts', 'latest'))]).toEqual([true, true, false]);
    expect([matches(push('users', 'latest')), matches(push('users')), matches(push('posts'))]).toEqual([true, false, false]);
  });
});

describe('assertPatternFits', () => {
  it("refuses a pattern over EventBridge's default 2048-character quota, naming the size", () => {
    const long = buildCatalog(Array.from({ length: 12 }, (_, i) => manifest(`service-${String.fromCharCode(97 + i)}`, i + 1, { repository: `team/${'r'.repeat(200)}-${i}` })));

    expect(() => assertPatternFits(buildPushEventPattern(long), 'services/')).toThrow(/^invalid manifests in services\/: the EventBridge rule's pattern for their repositories is \d{4} characters, over EventBridge's default quota of 2048/);
    expect(assertPatternFits(buildPushEventPattern(buildCatalog([manifest('posts', 1)])), 'services/')).toContain('"posts"');
  });
});
