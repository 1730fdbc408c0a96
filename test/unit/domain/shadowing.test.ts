import { pathPatternCovers, shadowingRule } from '../../../lib/domain/shadowing';
import type { ObservedRule } from '../../../lib/domain/routing';

describe('pathPatternCovers (every request of the inner pattern matches the outer one)', () => {
  it.each<[string, string, boolean]>([
    ['/api*', '/api/posts*', true],
    ['/api/posts*', '/api*', false],
    ['/api/svc-10*', '/api/svc-100*', true],
    ['/api/users*', '/api/posts*', false],
    ['/api/posts', '/api/posts', true],
    ['/api/posts', '/api/Posts', false],
    ['/api/posts/admin*', '/api/posts*', false],
    ['/a*b', '/ab*', false],
    ['/a?c*', '/abc*', true],
    ['/a?c', '/a*c', false],
    ['*', '/anything*', true],
    ['/x*z', '/x*y*z', true],
    ['/img/*.png', '/img/*.jpg', false],
    ['/api/*', '/api', false],
  ])('%s covers %s -> %s', (outer, inner, expected) => {
    expect(pathPatternCovers(outer, inner)).toBe(expected);
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

  it("names the first rule before the service's priority that takes every request of one of its paths", () => {
    const rules = [rule('default', []), rule(99, ['/api*']), rule(10, ['/api/po*']), rule(150, ['/api/posts*'])];

    expect(shadowingRule(posts, rules)).toEqual({ ruleArn: 'arn:rule/10', priority: 10, paths: ['/api/po*'], path: '/api/posts*' });
  });

  it('does not count a more specific rule first, nor a rule with other conditions (host, header): they take only some requests', () => {
    expect(shadowingRule(posts, [rule(5, ['/api/posts/admin*']), rule(6, ['/api*'], true)])).toBeUndefined();
  });

  it("ignores the service's own rule, the default rule, later rules and rules on other paths", () => {
    const rules = [rule('default', []), rule(1, ['/api/users*']), rule(150, ['/api/posts*']), rule(200, ['/api*'])];

    expect(shadowingRule(posts, rules)).toBeUndefined();
  });
});
