import { pathPatternsOverlap, shadowingRule } from '../../../lib/domain/shadowing';
import type { ObservedRule } from '../../../lib/domain/routing';

describe('pathPatternsOverlap (some request path matches both ALB patterns)', () => {
  it.each<[string, string, boolean]>([
    ['/api*', '/api/posts*', true],
    ['/api/posts*', '/api*', true],
    ['/api/users*', '/api/posts*', false],
    ['/api/posts', '/api/posts', true],
    ['/api/posts', '/api/Posts', false],
    ['/a*b', '/ab*', true],
    ['/a*b', '/ac', false],
    ['/a?c', '/abc*', true],
    ['/a?c', '/ac', false],
    ['*', '/anything', true],
    ['/x*y*z', '/x*z', true],
    ['/img/*.png', '/img/*.jpg', false],
    ['/api/*', '/api', false],
  ])('%s and %s -> %s', (a, b, expected) => {
    expect(pathPatternsOverlap(a, b)).toBe(expected);
    expect(pathPatternsOverlap(b, a)).toBe(expected);
  });
});

const rule = (priority: number | 'default', paths: string[], otherConditions = false): ObservedRule => ({
  ruleArn: `arn:rule/${priority}`,
  priority,
  paths,
  otherConditions,
  actions: [{ Type: 'forward', TargetGroupArn: 'arn:tg/api' }],
});

describe('shadowingRule', () => {
  const posts = { priority: 150, paths: ['/api/posts*'] };

  it("names the first rule before the service's priority that takes some of its paths", () => {
    const rules = [rule('default', []), rule(99, ['/api*']), rule(10, ['/api/po*']), rule(150, ['/api/posts*'])];

    expect(shadowingRule(posts, rules)).toEqual({ ruleArn: 'arn:rule/10', priority: 10, paths: ['/api/po*'], path: '/api/posts*' });
  });

  it('counts a rule without path conditions (e.g. host only): it takes every path for its host', () => {
    expect(shadowingRule(posts, [rule(5, [], true)])).toMatchObject({ priority: 5, path: '/api/posts*' });
  });

  it("ignores the service's own rule, the default rule, later rules and rules on other paths", () => {
    const rules = [rule('default', []), rule(1, ['/api/users*']), rule(150, ['/api/posts*']), rule(200, ['/api*'])];

    expect(shadowingRule(posts, rules)).toBeUndefined();
  });
});
