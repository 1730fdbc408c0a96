import { parseManifest } from '../../../lib/domain/catalog';
import { planTargetGroup, targetGroupSpec, type ObservedTargetGroup } from '../../../lib/domain/target-group';

const VPC = 'vpc-0a1b2c3d';
const posts = parseManifest({ file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 } });
const spec = targetGroupSpec(posts, VPC);
const observed = (overrides: Partial<ObservedTargetGroup> = {}): ObservedTargetGroup => ({
  TargetGroupArn: 'tg/posts',
  Protocol: 'HTTP',
  Port: 80,
  VpcId: VPC,
  TargetType: 'instance',
  HealthCheckPath: '/',
  HealthCheckIntervalSeconds: 6,
  HealthCheckTimeoutSeconds: 5,
  HealthyThresholdCount: 2,
  UnhealthyThresholdCount: 2,
  Matcher: { HttpCode: '200' },
  ...overrides,
});

describe('targetGroupSpec', () => {
  it('asks for the tutorial group: HTTP on 80 in the VPC with the manifest health check', () => {
    // Assess
    expect(spec).toEqual({
      Name: 'posts',
      Protocol: 'HTTP',
      Port: 80,
      VpcId: VPC,
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 6,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
  });

  it('uses ip targets for awsvpc services', () => {
    // Prepare
    const fargate = parseManifest({ file: 'f', content: { name: 'orders', repository: 'orders', paths: ['/o*'], priority: 4, launchType: 'FARGATE', networkMode: 'awsvpc', memory: 512 } });

    // Assess
    expect(targetGroupSpec(fargate, VPC).TargetType).toBe('ip');
  });
});

describe('planTargetGroup', () => {
  it.each<[string, ObservedTargetGroup | undefined, unknown]>([
    ['creates when none exists', undefined, { kind: 'create' }],
    ['reuses a matching group', observed(), { kind: 'reuse', targetGroupArn: 'tg/posts' }],
    ['reuses a group whose matcher AWS left at its default', observed({ Matcher: undefined }), { kind: 'reuse', targetGroupArn: 'tg/posts' }],
    ['reconciles a drifted health-check path', observed({ HealthCheckPath: '/health' }), { kind: 'reconcile', targetGroupArn: 'tg/posts', drift: ['HealthCheckPath /health → /'] }],
    ['reconciles drifted thresholds', observed({ HealthyThresholdCount: 5, UnhealthyThresholdCount: 3 }), {
      kind: 'reconcile',
      targetGroupArn: 'tg/posts',
      drift: ['HealthyThresholdCount 5 → 2', 'UnhealthyThresholdCount 3 → 2'],
    }],
    ['reconciles a drifted matcher', observed({ Matcher: { HttpCode: '200-399' } }), { kind: 'reconcile', targetGroupArn: 'tg/posts', drift: ['Matcher 200-399 → 200'] }],
    ['refuses another port', observed({ Port: 8080 }), { kind: 'conflict', targetGroupArn: 'tg/posts', reason: 'port 8080 (want 80)' }],
    ['refuses another VPC', observed({ VpcId: 'vpc-other' }), { kind: 'conflict', targetGroupArn: 'tg/posts', reason: `VPC vpc-other (want ${VPC})` }],
    ['refuses another protocol', observed({ Protocol: 'HTTPS' }), { kind: 'conflict', targetGroupArn: 'tg/posts', reason: 'protocol HTTPS (want HTTP)' }],
    ['refuses another target type', observed({ TargetType: 'ip' }), { kind: 'conflict', targetGroupArn: 'tg/posts', reason: 'target type ip (want instance)' }],
    ['lists every fixed mismatch, ignoring health drift', observed({ Port: 8080, VpcId: 'vpc-other', HealthCheckPath: '/x' }), {
      kind: 'conflict',
      targetGroupArn: 'tg/posts',
      reason: `port 8080 (want 80), VPC vpc-other (want ${VPC})`,
    }],
  ])('%s', (_case, existing, expected) => {
    // Act
    const plan = planTargetGroup(spec, existing);

    // Assess
    expect(plan).toEqual(expected);
  });
});
