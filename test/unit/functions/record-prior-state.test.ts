import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/record-prior-state';
import { AwsRequestError, UnknownRepositoryError, ValidationError } from '../../../lib/errors';
import {
  LISTENER_ARN,
  aws,
  awsError,
  defaultRule,
  ecsService,
  expectNoMutations,
  forward,
  givenRules,
  givenServices,
  givenTargetGroups,
  manifestNamed,
  observedTargetGroup,
  pathRule,
  rejectionOf,
  releaseFor,
  resetAws,
  ruleArn,
  targetGroupArn,
  taskDefinitionArn,
  testDeps,
} from './fixtures';

describe('record-prior-state', () => {
  beforeEach(() => resetAws());

  it('records that nothing of a new service exists yet, reading only', async () => {
    // Act
    const release = await makeHandler(testDeps())(releaseFor('posts'));

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeRulesCommand, { ListenerArn: LISTENER_ARN });
    expect(release.before).toEqual({ service: { exists: false }, targetGroupExisted: false, rule: null });
    expect(release.targetGroupArn).toBeUndefined();
    expectNoMutations();
  });

  it('records the running revision, desired count, target group and rule actions of an existing service', async () => {
    // Prepare
    const postsGroup = targetGroupArn('posts');
    givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 7), desiredCount: 2 }));
    givenTargetGroups(observedTargetGroup(manifestNamed('posts')));
    givenRules(pathRule(1, ['/api/posts*'], forward([postsGroup, 1])), defaultRule(forward([targetGroupArn('api'), 1])));

    // Act
    const release = await makeHandler(testDeps())(releaseFor('posts'));

    // Assess
    expect(release.before).toEqual({
      service: { exists: true, taskDefinitionArn: taskDefinitionArn('posts', 7), desiredCount: 2 },
      targetGroupExisted: true,
      targetGroup: {
        healthCheckPath: '/',
        healthCheckIntervalSeconds: 6,
        healthCheckTimeoutSeconds: 5,
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
        matcher: '200',
        deregistrationDelaySeconds: 300,
      },
      rule: { ruleArn: ruleArn('rule-1'), actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: postsGroup, Weight: 1 }] } }] },
    });
    expect(release.targetGroupArn).toBe(postsGroup);
    expectNoMutations();
  });

  it('treats an INACTIVE (deleted) service as absent', async () => {
    // Prepare
    givenServices(ecsService('posts', { status: 'INACTIVE' }));

    // Act
    const release = await makeHandler(testDeps())(releaseFor('posts'));

    // Assess
    expect(release.before?.service).toEqual({ exists: false });
  });

  it('throws ValidationError naming the field when the release lacks imageUri', async () => {
    // Prepare
    const { imageUri: _imageUri, ...withoutImage } = releaseFor('posts');

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(withoutImage));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.imageUri');
  });

  it('throws UnknownRepositoryError for a service with no manifest', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('comments')));

    // Assess
    expect(error).toBeInstanceOf(UnknownRepositoryError);
    expect(error.message).toBe('no manifest for service comments');
  });

  it('throws AwsRequestError with the code when reading the rules is denied', async () => {
    // Prepare
    aws.elbv2.on(DescribeRulesCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform DescribeRules', 403));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toBe(`describe rules of listener ${LISTENER_ARN}: AccessDenied: User is not authorized to perform DescribeRules`);
  });
});
