import { DescribeRulesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/record-prior-state';
import { AwsRequestError, UnknownRepositoryError, ValidationError } from '../../../lib/errors';
import {
  DIGEST,
  LISTENER_ARN,
  aws,
  awsError,
  defaultRule,
  digestOf,
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

/** The lock item as "Acquire service lock" hands it on (UpdateItem, ReturnValues ALL_OLD): a release record of posts. */
const lockWithRecord = (digest: string, time: string) => ({
  Attributes: { pk: { S: 'lock#posts' }, deployedDigest: { S: digest }, deployedTime: { S: time }, deployedBy: { S: 'posts-earlier' } },
});
/** A lock item that never held a release record: UpdateItem returns no Attributes. */
const freshLock = {};

const record = (release: unknown, lock: unknown = freshLock) => makeHandler(testDeps())({ release, lock });

describe('record-prior-state', () => {
  beforeEach(() => resetAws());

  it('records that nothing of a new service exists yet, reading only', async () => {
    // Act
    const release = await record(releaseFor('posts'));

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeRulesCommand, { ListenerArn: LISTENER_ARN });
    expect(release.before).toEqual({ service: { exists: false }, targetGroupExisted: false, alternateTargetGroupExisted: false, rule: null });
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
    const release = await record(releaseFor('posts'));

    // Assess
    expect(release.before).toEqual({
      service: { exists: true, taskDefinitionArn: taskDefinitionArn('posts', 7), desiredCount: 2, healthCheckGracePeriodSeconds: 0 },
      targetGroupExisted: true,
      alternateTargetGroupExisted: false,
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
    const release = await record(releaseFor('posts'));

    // Assess
    expect(release.before?.service).toEqual({ exists: false });
  });

  it.each([
    ['a newer push of another image is live', lockWithRecord(digestOf('newer'), '2026-11-26T09:00:01Z'), true],
    ['this very image is live (a re-run)', lockWithRecord(DIGEST, '2026-11-26T09:00:01Z'), false],
    ['an older push is live', lockWithRecord(digestOf('older'), '2026-11-26T08:59:59Z'), false],
    ['the lock item has no release record', freshLock, false],
    ['the lock item has a release record without its time', { Attributes: { deployedDigest: { S: digestOf('newer') } } }, false],
  ])('decides superseded under the lock when %s', async (_case, lock, superseded) => {
    // Act
    const release = await record(releaseFor('posts'), lock);

    // Assess
    expect(release.superseded).toBe(superseded);
    expect(release.before).toEqual({ service: { exists: false }, targetGroupExisted: false, alternateTargetGroupExisted: false, rule: null });
    expectNoMutations();
  });

  it('is not superseded when the step gets no lock item at all', async () => {
    // Act
    const release = await makeHandler(testDeps())({ release: releaseFor('posts') });

    // Assess
    expect(release.superseded).toBe(false);
  });

  it('marks a monolith push retired when a cut-over retired the monolith while it waited for the lock', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));
    givenTargetGroups(observedTargetGroup(manifestNamed('api')));
    givenRules(defaultRule([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }]));

    // Act
    const release = await record(releaseFor('api'));

    // Assess
    expect(release.retired).toBe(true);
  });

  it('keeps a monolith push live while its group still gets traffic', async () => {
    // Prepare
    givenServices(ecsService('api'));
    givenTargetGroups(observedTargetGroup(manifestNamed('api')));

    // Act
    const release = await record(releaseFor('api'));

    // Assess
    expect(release.retired).toBe(false);
  });

  it('throws ValidationError naming the field when the lock item is not an object', async () => {
    // Act
    const error = await rejectionOf(record(releaseFor('posts'), 'lock#posts'));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('lock');
  });

  it('throws ValidationError naming the field when the release lacks imageUri', async () => {
    // Prepare
    const { imageUri: _imageUri, ...withoutImage } = releaseFor('posts');

    // Act
    const error = await rejectionOf(record(withoutImage));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.imageUri');
  });

  it('throws UnknownRepositoryError for a service with no manifest', async () => {
    // Act
    const error = await rejectionOf(record(releaseFor('comments')));

    // Assess
    expect(error).toBeInstanceOf(UnknownRepositoryError);
    expect(error.message).toBe('no manifest for service comments');
  });

  it('throws AwsRequestError with the code when reading the rules is denied', async () => {
    // Prepare
    aws.elbv2.on(DescribeRulesCommand).rejects(awsError('AccessDenied', 'User is not authorized to perform DescribeRules', 403));

    // Act
    const error = await rejectionOf(record(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toBe(`describe rules of listener ${LISTENER_ARN}: AccessDenied: User is not authorized to perform DescribeRules`);
  });
});
