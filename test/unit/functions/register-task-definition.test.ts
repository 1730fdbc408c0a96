import { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { makeHandler } from '../../../functions/register-task-definition';
import { ForeignImageError, TransientAwsError, ValidationError } from '../../../lib/errors';
import {
  DIGEST,
  EXECUTION_ROLE_ARN,
  aws,
  awsError,
  digestOf,
  expectNoMutations,
  imageUriFor,
  manifestNamed,
  registeredTaskDefinition,
  rejectionOf,
  releaseFor,
  resetAws,
  taskDefinitionArn,
  testDeps,
} from './fixtures';

const posts = manifestNamed('posts');
const pinnedImage = `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${DIGEST}`;

describe('register-task-definition', () => {
  beforeEach(() => resetAws());

  it('registers a revision with the pinned image, hostPort 0 in bridge mode and 256 MiB when the family is new', async () => {
    // Prepare
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: taskDefinitionArn('posts', 1) } });

    // Act
    const release = await makeHandler(testDeps())(releaseFor('posts'));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, { taskDefinition: 'posts' });
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, {
      family: 'posts',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      executionRoleArn: EXECUTION_ROLE_ARN,
      containerDefinitions: [
        { name: 'posts', image: pinnedImage, essential: true, memory: 256, cpu: 256, portMappings: [{ containerPort: 3000, hostPort: 0, protocol: 'tcp' }] },
      ],
    });
    expect(release.taskDefinitionArn).toBe(taskDefinitionArn('posts', 1));
    expect(release.changes).toEqual(['registered posts:1']);
  });

  it('registers a new revision when the latest one runs another image', async () => {
    // Prepare
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(registeredTaskDefinition(posts, imageUriFor('posts', digestOf('v0')), 7));
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: taskDefinitionArn('posts', 8) } });

    // Act
    const release = await makeHandler(testDeps())(releaseFor('posts'));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
    expect(release.taskDefinitionArn).toBe(taskDefinitionArn('posts', 8));
  });

  it('reuses the latest revision without registering when it already runs this image with these settings', async () => {
    // Prepare
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(registeredTaskDefinition(posts, pinnedImage, 7));

    // Act
    const release = await makeHandler(testDeps())(releaseFor('posts', { changes: ['x'] }));

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expectNoMutations();
    expect(release.taskDefinitionArn).toBe(taskDefinitionArn('posts', 7));
    expect(release.changes).toEqual(['x']);
  });

  it('registers again when the execution role changed since the latest revision', async () => {
    // Prepare
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(registeredTaskDefinition(posts, pinnedImage, 7, { executionRoleArn: 'arn:aws:iam::123456789012:role/old' }));
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: taskDefinitionArn('posts', 8) } });

    // Act
    await makeHandler(testDeps())(releaseFor('posts'));

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, { executionRoleArn: EXECUTION_ROLE_ARN });
  });

  it.each([
    ['another account', `999999999999.dkr.ecr.us-east-1.amazonaws.com/posts@${DIGEST}`],
    ['another region', `123456789012.dkr.ecr.eu-west-1.amazonaws.com/posts@${DIGEST}`],
    ['another repository', `123456789012.dkr.ecr.us-east-1.amazonaws.com/users@${DIGEST}`],
    ['a tag instead of a digest', '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts:latest'],
  ])('throws ForeignImageError for an image URI in %s and registers nothing', async (_case, imageUri) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('posts', { imageUri })));

    // Assess
    expect(error).toBeInstanceOf(ForeignImageError);
    expect(error.message).toBe(`refuse image ${imageUri}: not in repository posts of 123456789012/us-east-1`);
    expectNoMutations();
  });

  it('throws ValidationError naming the field when imageUri is empty', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('posts', { imageUri: '' })));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('release.imageUri');
  });

  it('throws TransientAwsError when RegisterTaskDefinition is throttled', async () => {
    // Prepare
    aws.ecs.on(RegisterTaskDefinitionCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(releaseFor('posts')));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe('register task definition posts: ThrottlingException: Rate exceeded');
  });
});
