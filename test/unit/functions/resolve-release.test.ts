import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { makeHandler } from '../../../functions/resolve-release';
import {
  AwsRequestError,
  EnvironmentNotFoundError,
  ForeignImageError,
  ImageNotFoundError,
  ShadowedPathError,
  TagNotDeployedError,
  TransientAwsError,
  UnknownAlarmError,
  UnknownRepositoryError,
  ValidationError,
} from '../../../lib/errors';
import {
  DIGEST,
  NOW,
  aws,
  awsError,
  defaultRule,
  ecsService,
  expectNoMutations,
  forward,
  givenRules,
  givenServices,
  givenTargetGroups,
  givenTargetHealth,
  imageUriFor,
  manifestNamed,
  observedTargetGroup,
  pathRule,
  pushEvent,
  registeredTaskDefinition,
  rejectionOf,
  resetAws,
  targetGroupArn,
  taskDefinitionArn,
  testConfig,
  testDeps,
  catalog,
} from './fixtures';

const executionName = 'posts-98cf390a9790526325315c828548fb07';
const resolve = (event: unknown) => makeHandler(testDeps())({ event, executionName });

describe('resolve-release', () => {
  beforeEach(() => resetAws());

  it('refuses a push whose traffic.alarms names an alarm CloudWatch does not have, naming it, changing nothing', async () => {
    // Prepare
    const deps = testDeps();
    const services = deps.config.catalog.services.map((m) => (m.name === 'posts' ? { ...m, traffic: { ...m.traffic, alarms: ['posts-5xx', 'posts-typo'] } } : m));
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'posts-5xx', StateValue: 'OK' }] });

    // Act
    const error = await rejectionOf(makeHandler({ ...deps, config: { ...deps.config, catalog: { ...deps.config.catalog, services } } })({ event: pushEvent(), executionName }));

    // Assess
    expect(aws.cloudwatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, { AlarmNames: ['posts-5xx', 'posts-typo'] });
    expect(error).toBeInstanceOf(UnknownAlarmError);
    expect(error.message).toBe('resolve release of posts: traffic.alarms names posts-typo, which CloudWatch does not have in us-east-1: create it or fix the name in its service.yml; nothing was changed');
    expectNoMutations();
  });

  it('pins the pushed image by digest and checks it exists in ECR, changing nothing', async () => {
    // Act
    const release = await resolve(pushEvent());

    // Assess
    expect(aws.ecr).toHaveReceivedCommandWith(DescribeImagesCommand, { repositoryName: 'posts', imageIds: [{ imageDigest: DIGEST }] });
    expect(release).toEqual({
      executionName,
      service: 'posts',
      role: 'microservice',
      push: { id: '3027b6b5-2122-43d0-b928-4600315b61fe', account: '123456789012', region: 'us-east-1', time: '2026-11-26T09:00:00Z', repository: 'posts', digest: DIGEST, tag: 'v1' },
      imageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${DIGEST}`,
      retired: false,
      upToDate: false,
      lockKey: 'lock#posts',
      // NOW (09:05) + three times the 10 min health gate + 12 min draining retries + 15 min margin + an update through
      // ECS's canary: its two 5 min bakes, the old tasks' 5 min drain and 5 min margin
      leaseUntil: '2026-11-26T10:22:00.000Z',
      lockWaitSeconds: 10,
      changes: [],
    });
    expectNoMutations();
  });

  it("fixes the lock key and lease from the pushed service's own manifest and the handler's clock", async () => {
    // Prepare
    givenServices(ecsService('api'));
    givenTargetGroups(observedTargetGroup(manifestNamed('api')));
    const later = Date.parse('2026-11-27T23:30:00.250Z');

    // Act
    const release = await makeHandler({ ...testDeps(), now: () => later })({ event: pushEvent({ repository: 'api' }), executionName });

    // Assess
    expect(release.lockKey).toBe('lock#api');
    expect(release.leaseUntil).toBe('2026-11-28T00:27:00.250Z');
  });

  it('marks the release up to date when the service already runs this image, healthy and routed', async () => {
    // Prepare
    const posts = manifestNamed('posts');
    const postsGroup = targetGroupArn('posts');
    givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 7) }));
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(registeredTaskDefinition(posts, imageUriFor('posts')));
    givenTargetHealth({ [postsGroup]: ['healthy'] });
    givenRules(pathRule(1, ['/api/posts*'], forward([postsGroup, 1])), defaultRule(forward([targetGroupArn('api'), 1])));

    // Act
    const release = await resolve(pushEvent());

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn('posts', 7) });
    expect(release.upToDate).toBe(true);
    expectNoMutations();
  });

  it('does not call the release up to date while the paths still go to the monolith', async () => {
    // Prepare
    const postsGroup = targetGroupArn('posts');
    givenServices(ecsService('posts'));
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves(registeredTaskDefinition(manifestNamed('posts'), imageUriFor('posts')));
    givenTargetHealth({ [postsGroup]: ['healthy'] });
    givenRules(pathRule(1, ['/api/posts*'], forward([targetGroupArn('api'), 1], [postsGroup, 0])), defaultRule(forward([targetGroupArn('api'), 1])));

    // Act
    const release = await resolve(pushEvent());

    // Assess
    expect(release.upToDate).toBe(false);
  });

  it('marks a monolith push retired when the monolith runs no tasks and nothing forwards to it', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));
    givenTargetGroups(observedTargetGroup(manifestNamed('api')));
    givenRules(defaultRule([{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }]));

    // Act
    const release = await resolve(pushEvent({ repository: 'api' }));

    // Assess
    expect(release).toMatchObject({ service: 'api', role: 'monolith', retired: true, upToDate: false });
  });

  it('keeps a monolith push live while its group still gets traffic', async () => {
    // Prepare
    givenServices(ecsService('api'));
    givenTargetGroups(observedTargetGroup(manifestNamed('api')));

    // Act
    const release = await resolve(pushEvent({ repository: 'api' }));

    // Assess
    expect(release).toMatchObject({ service: 'api', role: 'monolith', retired: false });
  });

  it('throws EnvironmentNotFoundError when the monolith has neither a service nor a target group', async () => {
    // Act
    const error = await rejectionOf(resolve(pushEvent({ repository: 'api' })));

    // Assess
    expect(error).toBeInstanceOf(EnvironmentNotFoundError);
    expect(error.message).toMatch(/monolith service api is not in cluster demo/);
  });

  it.each([
    ['a missing executionName', { event: pushEvent() }, 'executionName'],
    ['a malformed digest', { event: pushEvent({ digest: 'sha256:abc' }), executionName }, 'detail.image-digest'],
    ['a 13-digit account', { event: pushEvent({ account: '1234567890123' }), executionName }, 'account'],
    ['a DELETE action', { event: { ...pushEvent(), detail: { ...pushEvent().detail, 'action-type': 'DELETE' } }, executionName }, 'detail.action-type'],
  ])('throws ValidationError naming the field for %s', async (_case, input, field) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(input));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
    expect(aws.ecr).not.toHaveReceivedCommand(DescribeImagesCommand);
  });

  it('throws UnknownRepositoryError for a repository no manifest claims', async () => {
    // Act
    const error = await rejectionOf(resolve(pushEvent({ repository: 'comments' })));

    // Assess
    expect(error).toBeInstanceOf(UnknownRepositoryError);
    expect(error.message).toBe('resolve release: repository comments is not claimed by any services/*/service.yml');
  });

  it("throws ShadowedPathError, naming the rule and its priority, when a rule before the service's takes its paths", async () => {
    // Prepare: a hand-made rule at priority 1 sends /api/* to the monolith; posts sits at 5.
    const services = catalog.services.map((manifest) => (manifest.name === 'posts' ? { ...manifest, priority: 5 } : manifest));
    givenRules(defaultRule(forward([targetGroupArn('api'), 1])), pathRule(1, ['/api/*'], forward([targetGroupArn('api'), 1]), 'hand-made'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps(testConfig({ catalog: { services } })))({ event: pushEvent(), executionName }));

    // Assess
    expect(error).toBeInstanceOf(ShadowedPathError);
    expect(error.message).toMatch(/^resolve release: rule \S+hand-made at priority 1 \(paths \/api\/\*\) comes before posts's priority 5 and takes requests for \/api\/posts\*: give posts a priority number below 1 or move that rule after 5; nothing was changed$/);
    expectNoMutations();
  });

  it('throws TagNotDeployedError for an untagged push (delivered without the rule), before asking ECR', async () => {
    // Act
    const error = await rejectionOf(resolve({ ...pushEvent(), detail: { ...pushEvent().detail, 'image-tag': undefined } }));

    // Assess
    expect(error).toBeInstanceOf(TagNotDeployedError);
    expect(error.message).toBe('resolve release: an untagged push of posts (a platform manifest, an attestation or a push by digest) deploys nothing: push a tag; nothing was changed');
    expect(aws.ecr).not.toHaveReceivedCommand(DescribeImagesCommand);
    expectNoMutations();
  });

  it("throws TagNotDeployedError for a tag outside the manifest's deployTags, naming them", async () => {
    // Prepare
    const services = catalog.services.map((manifest) => (manifest.name === 'posts' ? { ...manifest, deployTags: ['v*', 'stable'] } : manifest));
    const deps = testDeps(testConfig({ catalog: { services } }));

    // Act
    const refused = await rejectionOf(makeHandler(deps)({ event: pushEvent({ tag: 'latest' }), executionName }));
    const accepted = await makeHandler(deps)({ event: pushEvent({ tag: 'v2' }), executionName });

    // Assess
    expect(refused).toBeInstanceOf(TagNotDeployedError);
    expect(refused.message).toBe("resolve release: tag latest of posts does not deploy: its manifest's deployTags are v*, stable; nothing was changed");
    expect(accepted.push.tag).toBe('v2');
  });

  it.each([
    ['another account', { account: '999999999999' }, /account 999999999999 is not the pipeline's account 123456789012/],
    ['another region', { region: 'eu-west-1' }, /region eu-west-1 is not the pipeline's region us-east-1/],
  ])('throws ForeignImageError for an image from %s before asking ECR', async (_case, options, message) => {
    // Act
    const error = await rejectionOf(resolve(pushEvent(options)));

    // Assess
    expect(error).toBeInstanceOf(ForeignImageError);
    expect(error.message).toMatch(message);
    expect(aws.ecr).not.toHaveReceivedCommand(DescribeImagesCommand);
  });

  it.each(['ImageNotFoundException', 'RepositoryNotFoundException'])('throws ImageNotFoundError when ECR answers %s', async (code) => {
    // Prepare
    aws.ecr.on(DescribeImagesCommand).rejects(awsError(code));

    // Act
    const error = await rejectionOf(resolve(pushEvent()));

    // Assess
    expect(error).toBeInstanceOf(ImageNotFoundError);
    expect(error.message).toBe(`resolve image posts@${DIGEST}: ${code} (deleted since the push, or never pushed)`);
  });

  it('throws TransientAwsError when ECR throttles', async () => {
    // Prepare
    aws.ecr.on(DescribeImagesCommand).rejects(awsError('ThrottlingException', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(resolve(pushEvent()));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe(`describe image posts@${DIGEST}: ThrottlingException: Rate exceeded`);
  });

  it('throws AwsRequestError with the code when ECR denies access', async () => {
    // Prepare
    aws.ecr.on(DescribeImagesCommand).rejects(awsError('AccessDeniedException', 'not authorized', 403));

    // Act
    const error = await rejectionOf(resolve(pushEvent()));

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
  });

  it('asks to wait longer for a held lock the longer the push has waited, and gives up by name after two hours, changing nothing', async () => {
    // Prepare
    const startedAt = new Date(NOW - 1500 * 1000).toISOString();

    // Act
    const release = await makeHandler(testDeps())({ event: pushEvent({}), executionName, startedAt });
    const error = await rejectionOf(makeHandler(testDeps())({ event: pushEvent({}), executionName, startedAt: new Date(NOW - 7201 * 1000).toISOString() }));

    // Assess
    expect(release.lockWaitSeconds).toBe(60);
    expect(error).toMatchObject({ name: 'LockWaitTimeoutError', message: expect.stringContaining('7201s after the push (limit 7200s): nothing was changed') });
    expectNoMutations();
  });
});
