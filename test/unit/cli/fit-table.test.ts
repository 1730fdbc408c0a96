import { fitTable, outputWidth } from '../../../cli/render/fit-table';
import { routingTable, shortImage } from '../../../cli/render/routing-table';
import type { StateReport } from '../../../local/runner/report';

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
const group = (name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`;
const image = (name: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}@sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c`;

const state: StateReport = {
  listener: {
    defaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }],
    rules: [
      { priority: 1, paths: ['/api/posts*', '/api/posts-archive/*'], actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: group('posts'), Weight: 0 }, { TargetGroupArn: group('api'), Weight: 100 }] } }] },
    ],
  },
  targetGroups: [],
  services: ['api', 'posts', 'notifications-service'].map((name) => ({ name, desiredCount: 1, runningCount: 1, taskDefinition: `${name}:12`, image: image(name) })),
};

describe('routingTable', () => {
  it.each([100, 80, 64])('fits %i columns, every service name whole', (width) => {
    // Act
    const text = routingTable(state, width);

    // Assess
    expect(widest(text)).toBeLessThanOrEqual(width);
    for (const name of ['api', 'posts', 'notifications-service']) expect(text).toMatch(new RegExp(`│ ${name} +│`));
  });

  it('shortens an image to its repository and the first 6 hex digits of its digest', () => {
    // Act, Assess
    expect(shortImage(image('posts'))).toBe('posts@sha256:98cf39…');
    expect(shortImage('posts:latest')).toBe('posts:latest');
  });
});

describe('fitTable', () => {
  it('keeps natural widths when the table fits', () => {
    // Act
    const text = fitTable([{ head: 'a' }, { head: 'b' }], [['x', 'y']], 100);

    // Assess
    expect(text.split('\n')[0]).toBe('┌───┬───┐');
  });

  it('wraps the widest column between words, never a kept one', () => {
    // Act
    const text = fitTable([{ head: 'name', wrap: 'keep' }, { head: 'paths' }], [['a-long-service-name', '/api/one*, /api/two*, /api/three*']], 40);

    // Assess
    expect(widest(text)).toBeLessThanOrEqual(40);
    expect(text).toContain('│ a-long-service-name │');
    expect(text).toContain('/api/three*');
  });

  it('is 100 columns wide when the output is not a terminal', () => {
    // Act, Assess
    expect(outputWidth({ isTTY: false, columns: 200 })).toBe(100);
    expect(outputWidth({})).toBe(100);
    expect(outputWidth({ isTTY: true, columns: 132 })).toBe(132);
  });
});
