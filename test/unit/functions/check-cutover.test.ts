import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetGroupAttributesCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/check-cutover';
import { buildCatalog } from '../../../lib/domain/catalog';
import { AwsRequestError, ValidationError } from '../../../lib/errors';
import { CUTOVER_EXECUTION, cutoverRelease, dueCutover, givenCutoverDue, liveMicroserviceRules, monolithGroup } from './cutover.fixtures';
import {
  CLUSTER,
  FIXED_503,
  aws,
  awsError,
  defaultRule,
  ecsService,
  expectNoMutations,
  forward,
  givenServices,
  givenTargetHealth,
  pathRule,
  rejectionOf,
  resetAws,
  ruleArn,
  targetGroupArn,
  testConfig,
  testDeps,
} from './fixtures';

const input = { executionName: CUTOVER_EXECUTION, startedBy: cutoverRelease.executionName };
const check = (deps = testDeps()) => makeHandler(deps)(input);
/** A reason string, or an asymmetric matcher for one. */
const notReady = (reason: unknown) => ({ executionName: CUTOVER_EXECUTION, ready: false, reason, plan: [] });

describe('check-cutover', () => {
  beforeEach(() => resetAws());

  it('plans to drop the default action and the /api* rule once every microservice is live, reading only', async () => {
    // Prepare
    givenCutoverDue();

    // Act
    const cutover = await check();

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: ['api', 'posts', 'threads', 'users'] });
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetGroupAttributesCommand, { TargetGroupArn: monolithGroup });
    expect(cutover).toEqual(dueCutover({ reason: 'all 3 microservices live; 2 listener action(s) still reach the monolith, which runs 1 task(s)' }));
    expectNoMutations();
  });

  it("records each action's current value as its before, so compensation can put back a weighted rule as it was", async () => {
    // Prepare
    const canary = targetGroupArn('canary');
    const weighted = forward([monolithGroup, 1], [canary, 3]);
    givenCutoverDue({ rules: [...liveMicroserviceRules(), pathRule(50, ['/api/legacy*'], weighted, 'rule-legacy'), defaultRule(FIXED_503)] });

    // Act
    const cutover = await check();

    // Assess
    expect(cutover.ready).toBe(true);
    expect(cutover.plan).toEqual([
      { ruleArn: ruleArn('rule-legacy'), isDefault: false, priority: 50, before: weighted, after: forward([canary, 3]) },
    ]);
    expectNoMutations();
  });

  it('is not ready while a microservice still shares its paths with the monolith, and reads no target health', async () => {
    // Prepare
    givenCutoverDue({
      rules: [
        ...liveMicroserviceRules().filter((rule) => rule.Priority !== '1'),
        pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [targetGroupArn('posts'), 0])),
        defaultRule(forward([monolithGroup, 1])),
      ],
    });

    // Act
    const cutover = await check();

    // Assess
    expect(cutover).toEqual(notReady('not every microservice is live: posts (paths not routed to it yet)'));
    expect(aws.elbv2).not.toHaveReceivedCommand(DescribeTargetHealthCommand);
    expectNoMutations();
  });

  it('is not ready while a live-looking microservice has too few healthy targets', async () => {
    // Prepare
    givenCutoverDue();
    givenTargetHealth({ [targetGroupArn('posts')]: ['healthy'], [targetGroupArn('users')]: ['unhealthy'], [targetGroupArn('threads')]: ['healthy'] });

    // Act
    const cutover = await check();

    // Assess
    expect(cutover).toEqual(notReady(expect.stringMatching(/^not every microservice is live: users \(/)));
    expect(aws.elbv2).toHaveReceivedCommandWith(DescribeTargetHealthCommand, { TargetGroupArn: targetGroupArn('users') });
  });

  it('is not ready while a microservice is not deployed', async () => {
    // Prepare
    givenCutoverDue();
    givenServices(ecsService('api'), ecsService('posts'), ecsService('users'));

    // Act
    const cutover = await check();

    // Assess
    expect(cutover).toEqual(notReady('not every microservice is live: threads (not deployed)'));
  });

  it('reports already cut over when nothing forwards to the monolith and it runs no tasks', async () => {
    // Prepare
    givenCutoverDue({ monolithDesired: 0, rules: [...liveMicroserviceRules(), pathRule(99, ['/api*'], FIXED_503), defaultRule(FIXED_503)] });

    // Act
    const cutover = await check();

    // Assess
    expect(cutover).toEqual(notReady('already cut over: the monolith gets no traffic and runs no tasks'));
  });

  it('reports nothing to cut over when the catalog has no monolith', async () => {
    // Prepare
    const noMonolith = buildCatalog([{ file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1 } }]);

    // Act
    const cutover = await check(testDeps(testConfig({ catalog: noMonolith })));

    // Assess
    expect(cutover).toEqual(notReady('no monolith in services/: nothing to cut over'));
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
  });

  it.each([
    ['a missing startedBy', { executionName: CUTOVER_EXECUTION }, 'startedBy'],
    ['an empty executionName', { executionName: '', startedBy: cutoverRelease.executionName }, 'executionName'],
  ])('throws ValidationError naming the field for %s, before any AWS call', async (_case, malformed, field) => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(malformed));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe(field);
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
  });

  it('throws AwsRequestError with the code when DescribeServices is denied', async () => {
    // Prepare
    givenCutoverDue();
    aws.ecs.on(DescribeServicesCommand).rejects(awsError('AccessDeniedException', 'not authorized', 400));

    // Act
    const error = await rejectionOf(check());

    // Assess
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error.code).toBe('AccessDeniedException');
  });
});
