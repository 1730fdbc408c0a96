import { cutoverExecutionName, MAX_CUTOVER_ATTEMPTS } from '../../../lib/domain/cutover-name';

const LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/50dc6c495c0c9188/f2f7dc8efc522ab2';
const OTHER_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/50dc6c495c0c9188/0000000000000001';
const SERVICES = ['posts', 'threads', 'users'];

describe('cutoverExecutionName', () => {
  it.each([
    ['the same order', ['posts', 'threads', 'users']],
    ['another order', ['users', 'posts', 'threads']],
    ['reversed', ['users', 'threads', 'posts']],
  ])('gives the same name for the same listener and the same services in %s', (_case, services) => {
    // Act
    const name = cutoverExecutionName(LISTENER, services);

    // Assess
    expect(name).toBe(cutoverExecutionName(LISTENER, SERVICES));
  });

  it.each([
    ['a service added', LISTENER, [...SERVICES, 'comments']],
    ['a service removed', LISTENER, ['posts', 'threads']],
    ['a service renamed', LISTENER, ['posts', 'threads', 'accounts']],
    ['another listener', OTHER_LISTENER, SERVICES],
    ['names that only concatenate alike', LISTENER, ['posts', 'threadsusers']],
  ])('gives another name for %s', (_case, listenerArn, services) => {
    // Act
    const name = cutoverExecutionName(listenerArn, services);

    // Assess
    expect(name).not.toBe(cutoverExecutionName(LISTENER, SERVICES));
  });

  it.each([
    [undefined, /-1$/],
    [1, /-1$/],
    [2, /-2$/],
    [MAX_CUTOVER_ATTEMPTS, new RegExp(`-${MAX_CUTOVER_ATTEMPTS}$`)],
  ])('ends in the attempt number (attempt %s)', (attempt, suffix) => {
    // Act
    const name = cutoverExecutionName(LISTENER, SERVICES, attempt);

    // Assess
    expect(name).toMatch(suffix);
  });

  it('differs between attempts only in the attempt suffix', () => {
    // Act
    const first = cutoverExecutionName(LISTENER, SERVICES, 1);
    const second = cutoverExecutionName(LISTENER, SERVICES, 2);

    // Assess
    expect(second).not.toBe(first);
    expect(second.replace(/-2$/, '')).toBe(first.replace(/-1$/, ''));
  });

  it.each([
    ['three services', LISTENER, SERVICES],
    ['no services', LISTENER, []],
    ['fifty long service names', `${LISTENER}/${'x'.repeat(200)}`, Array.from({ length: 50 }, (_, index) => `service-with-a-rather-long-name-${index}`)],
  ])('is a valid StartExecution name (1-80 characters, no colon or whitespace) for %s', (_case, listenerArn, services) => {
    // Act
    const name = cutoverExecutionName(listenerArn, services, MAX_CUTOVER_ATTEMPTS);

    // Assess
    expect(name.length).toBeGreaterThanOrEqual(1);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(name).not.toContain(':');
  });
});
