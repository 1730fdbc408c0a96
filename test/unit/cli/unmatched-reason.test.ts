import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unmatchedReason } from '../../../cli/render/unmatched';
import { buildCatalog } from '../../../lib/domain/catalog';
import { buildPushEventPattern } from '../../../lib/domain/event-pattern';
import { explainMismatch, matchesEventPattern, type EventPattern } from '../../../local/eventbridge/match-pattern';
import { pushEvent } from '../../../local/runner/scenario';

// posts deploys only v* and release-*; the others every tag: the pattern has an $or of two branches.
const catalog = buildCatalog([
  { file: 'services/api/service.yml', content: { name: 'api', repository: 'api', role: 'monolith', paths: ['/api*'], priority: 99 } },
  { file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1, deployTags: ['v*', 'release-*'] } },
  { file: 'services/users/service.yml', content: { name: 'users', repository: 'users', paths: ['/api/users*'], priority: 2 } },
]);
const pattern = buildPushEventPattern(catalog) as unknown as EventPattern;
const push = (repository: string, tag: string) => pushEvent(repository, tag, '2026-11-26T09:00:00Z');
const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'events');

describe('explainMismatch', () => {
  it('explains exactly the events the pattern does not match (the same checks as matchesEventPattern)', () => {
    // Prepare
    const files = [...readdirSync(FIXTURES).filter((name) => name.endsWith('.json')), ...readdirSync(join(FIXTURES, 'not-matching')).map((name) => join('not-matching', name))];
    const events = [...files.map((name) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as unknown), push('posts', 'latest'), push('posts', 'v2'), push('users', 'latest'), {}, null];

    // Act, Assess
    for (const event of events) expect(explainMismatch(pattern, event) === undefined).toBe(matchesEventPattern(pattern, event));
  });

  it('under $or, names every repository of every branch when none is the event\'s', () => {
    // Act
    const mismatch = explainMismatch(pattern, push('billing', 'v1'));

    // Assess
    expect(mismatch).toMatchObject({ field: 'detail.repository-name', present: true, actual: 'billing' });
    expect([...(mismatch?.expected ?? [])].sort()).toEqual(['api', 'posts', 'users']);
  });

  it("under $or, takes the branch of the event's repository when its tag is what fails", () => {
    // Act
    const mismatch = explainMismatch(pattern, push('posts', 'latest'));

    // Assess
    expect(mismatch).toEqual({ field: 'detail.image-tag', expected: ['release-*', 'v*'].map((wildcard) => ({ wildcard })), present: true, actual: 'latest' });
  });
});

describe('unmatchedReason', () => {
  it.each<[string, unknown, string]>([
    ['a tag its service does not deploy', push('posts', 'latest'), 'detail.image-tag is "latest": not a tag posts deploys (deployTags: release-*, v*)'],
    ['an unknown repository', push('billing', 'v1'), 'detail.repository-name is "billing": not a repository of the catalog (known: api, posts, users)'],
    ['an untagged push', { ...push('users', 'v1'), detail: { ...(push('users', 'v1').detail as object), 'image-tag': undefined } }, 'detail.image-tag is missing: an untagged push (a platform manifest, an attestation or a push by digest) deploys nothing'],
    ['another source', { ...push('users', 'v1'), source: 'aws.s3' }, 'source is "aws.s3", the rule wants "aws.ecr"'],
    ['no detail at all', { source: 'aws.ecr', 'detail-type': 'ECR Image Action' }, 'detail.action-type is missing, the rule wants "PUSH"'],
  ])('says which field fails for %s', (_case, event, reason) => {
    // Act, Assess
    expect(unmatchedReason(pattern, JSON.parse(JSON.stringify(event)) as unknown, catalog)).toBe(reason);
  });
});
