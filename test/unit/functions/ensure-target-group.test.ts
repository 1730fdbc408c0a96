import {
  CreateTargetGroupCommand,
  DescribeTargetGroupAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { makeHandler } from '../../../functions/ensure-target-group';
import { AwsRequestError, TargetGroupConflictError, TransientAwsError, ValidationError } from '../../../lib/errors';
import {
  VPC_ID,
  aws,
  awsError,
  expectNoMutations,
  givenTargetGroups,
  manifestNamed,
  observedTargetGroup,
  rejectionOf,
  releaseFor,
  resetAws,
  targetGroupArn,
  testDeps,
} from './fixtures';

const posts = manifestNamed('posts');
const postsGroupArn = targetGroupArn('posts');
/** Its alternate group (ECS's blue/green family of updates), as it stands when it matches the manifest. */
const postsAlternate = observedTargetGroup(posts, { TargetGroupName: 'posts-g', TargetGroupArn: targetGroupArn('posts-g') });

describe('ensure-target-group', () => {
  beforeEach(() => resetAws());

  it('creates the target group with the manifest health check when none exists', async () => {
    // Prepare
    aws.elbv2.on(CreateTargetGroupCommand).resolves({ TargetGroups: [{ TargetGroupArn: postsGroupArn }] });
    const handler = makeHandler(testDeps());

    // Act
    const release = await handler(releaseFor('posts'));

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(CreateTargetGroupCommand, {
      Name: 'posts',
      Protocol: 'HTTP',
      Port: 80,
      VpcId: VPC_ID,
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 6,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
    expect(release.targetGroupArn).toBe(postsGroupArn);
    expect(release.changes).toEqual(['created target group posts', 'created target group posts-g']);
    expect(aws.elbv2).toHaveReceivedCommandTimes(CreateTargetGroupCommand, 2);
    expect(aws.elbv2).toHaveReceivedNthSpecificCommandWith(2, CreateTargetGroupCommand, { Name: 'posts-g', HealthCheckPath: '/', HealthCheckIntervalSeconds: 6, Matcher: { HttpCode: '200' } });
  });

  it('reuses a matching target group without any mutating call', async () => {
    // Prepare
    givenTargetGroups(observedTargetGroup(posts), postsAlternate);
    const handler = makeHandler(testDeps());

    // Act
    const release = await handler(releaseFor('posts', { changes: ['registered posts:8'] }));

    // Assess
    expectNoMutations();
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetGroupAttributesCommand, { TargetGroupArn: postsGroupArn });
    expect(release.targetGroupArn).toBe(postsGroupArn);
    expect(release.changes).toEqual(['registered posts:8']);
  });

  it('reconciles health-check drift in place with ModifyTargetGroup', async () => {
    // Prepare
    givenTargetGroups(observedTargetGroup(posts, { HealthCheckIntervalSeconds: 30, Matcher: { HttpCode: '200-299' } }), postsAlternate);
    const handler = makeHandler(testDeps());

    // Act
    const release = await handler(releaseFor('posts'));

    // Assess
    expect(aws.elbv2).not.toHaveReceivedCommand(CreateTargetGroupCommand);
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyTargetGroupCommand, {
      TargetGroupArn: postsGroupArn,
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 6,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    });
    expect(release.changes).toEqual([expect.stringMatching(/^reconciled target group posts: HealthCheckIntervalSeconds 30 → 6, Matcher 200-299 → 200$/)]);
  });

  it('sets the manifest deregistration delay when the group has another one', async () => {
    // Prepare
    givenTargetGroups(observedTargetGroup(posts), postsAlternate);
    aws.elbv2.on(DescribeTargetGroupAttributesCommand).resolves({ Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] });
    const handler = makeHandler(testDeps());

    // Act
    const release = await handler(releaseFor('posts'));

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyTargetGroupAttributesCommand, {
      TargetGroupArn: postsGroupArn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '300' }],
    });
    expect(release.changes).toEqual(['set deregistration delay of posts to 300s', 'set deregistration delay of posts-g to 300s']);
  });

  it.each([
    ['port', { Port: 8080 }, /port 8080 \(want 80\)/],
    ['VPC', { VpcId: 'vpc-0other' }, /VPC vpc-0other \(want vpc-0a1b2c3d4e5f67890\)/],
    ['target type', { TargetType: 'ip' }, /target type ip \(want instance\)/],
  ])('throws TargetGroupConflictError on a %s mismatch and changes nothing', async (_what, overrides, reason) => {
    // Prepare
    givenTargetGroups(observedTargetGroup(posts, overrides));
    const handler = makeHandler(testDeps());

    // Act
    const error = await rejectionOf(handler(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(TargetGroupConflictError);
    expect(error.name).toBe('TargetGroupConflictError');
    expect(error.message).toMatch(reason);
    expectNoMutations();
  });

  it('throws ValidationError naming the field when the release has a malformed digest', async () => {
    // Prepare
    const handler = makeHandler(testDeps());
    const release = releaseFor('posts');

    // Act
    const error = await rejectionOf(handler({ ...release, push: { ...release.push, digest: 'sha256:XYZ' } }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.push.digest');
    expect(error.message).toMatch(/^ensure target group: invalid input: release\.push\.digest/);
  });

  it('throws TransientAwsError when CreateTargetGroup is throttled', async () => {
    // Prepare
    aws.elbv2.on(CreateTargetGroupCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const handler = makeHandler(testDeps());

    // Act
    const error = await rejectionOf(handler(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe('create target group posts: Throttling: Rate exceeded');
  });

  it('throws AwsRequestError with the code when CreateTargetGroup is denied', async () => {
    // Prepare
    aws.elbv2.on(CreateTargetGroupCommand).rejects(awsError('AccessDenied', 'not authorized to perform CreateTargetGroup', 403));
    const handler = makeHandler(testDeps());

    // Act
    const error = await rejectionOf(handler(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDenied');
  });
});
