import { parseCutover } from '../../../lib/domain/cutover-state';
import { parseRelease } from '../../../lib/domain/release-schema';
import { ValidationError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const DIGEST = 'sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c';
const release = {
  executionName: 'posts-98cf390a9790526325315c828548fb07',
  service: 'posts',
  role: 'microservice',
  push: { account: '123456789012', region: 'us-east-1', time: '2026-11-26T09:00:00Z', repository: 'posts', digest: DIGEST },
  imageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${DIGEST}`,
  retired: false,
  lockKey: 'lock#posts',
  leaseUntil: '2026-11-26T10:00:00.000Z',
  changes: [],
};

const validationErrorOf = (parse: () => unknown) => thrownBy(ValidationError, parse);

describe('parseRelease', () => {
  it('accepts a release, defaults upToDate to false and keeps fields later steps add', () => {
    // Act
    const parsed = parseRelease({ ...release, targetGroupArn: 'tg/posts' }, 'deploy service');

    // Assess
    expect(parsed).toEqual({ ...release, upToDate: false, targetGroupArn: 'tg/posts' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an execution name over 80 characters', { executionName: 'x'.repeat(81) }, 'release.executionName'],
    ['an unknown role', { role: 'sidecar' }, 'release.role'],
    ['a malformed digest', { push: { ...release.push, digest: 'sha256:abc' } }, 'release.push.digest'],
    ['an empty image URI', { imageUri: '' }, 'release.imageUri'],
    ['a prior state without its rule', { before: { service: { exists: false }, targetGroupExisted: false } }, 'release.before.rule'],
    ['changes that are not a list', { changes: 'none' }, 'release.changes'],
    ['a lease that is not an ISO timestamp', { leaseUntil: 'in an hour' }, 'release.leaseUntil'],
    ['no lock key', { lockKey: '' }, 'release.lockKey'],
  ])('rejects %s with a ValidationError naming the field and the step', (_case, overrides, field) => {
    // Act
    const error = validationErrorOf(() => parseRelease({ ...release, ...overrides }, 'deploy service'));

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^deploy service: invalid input: ${field.replace(/\./g, '\\.')}: `));
  });
});

describe('parseCutover', () => {
  it.each<[string, unknown, string]>([
    ['a missing ready flag', { executionName: 'cutover-x-1', reason: 'x', plan: [] }, 'cutover.ready'],
    ['a missing execution name', { ready: false, reason: 'x', plan: [] }, 'cutover.executionName'],
    ['a plan entry without its previous actions', { executionName: 'cutover-x-1', ready: true, reason: 'x', plan: [{ ruleArn: 'r', isDefault: false, priority: 99, after: [] }] }, 'cutover.plan.0.before'],
    ['a monolith without its desired count', { executionName: 'cutover-x-1', ready: true, reason: 'x', plan: [], monolith: { service: 'api', targetGroupArn: 'tg', deregistrationDelaySeconds: 300 } }, 'cutover.monolith.desiredCount'],
  ])('rejects %s with a ValidationError naming the field', (_case, input, field) => {
    // Act
    const error = validationErrorOf(() => parseCutover(input, 'compensate'));

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^compensate: invalid input: cutover\./);
  });
});
