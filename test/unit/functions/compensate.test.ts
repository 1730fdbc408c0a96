import { DeleteServiceCommand, DescribeServiceDeploymentsCommand, StopServiceDeploymentCommand, UpdateServiceCommand, type ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { DeleteRuleCommand, DeleteTargetGroupCommand, ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/compensate';
import type { Release } from '../../../lib/domain/release';
import { CompensationError, TransientAwsError } from '../../../lib/errors';
import { CUTOVER_EXECUTION, dueCutover, liveMicroserviceRules, microservices, monolithGroup } from './cutover.fixtures';
import {
  ACCOUNT,
  CLUSTER,
  FIXED_503,
  LEASE_UNTIL,
  LISTENER_ARN,
  NOW,
  REGION,
  aws,
  awsError,
  commandsSent,
  defaultRule,
  ecsService,
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

const executionName = 'posts-98cf390a9790526325315c828548fb07';
const postsGroup = targetGroupArn('posts');
const toMonolith = forward([monolithGroup, 1]);
const lambdaCause = (errorType: string, errorMessage: string) => JSON.stringify({ errorType, errorMessage, trace: [] });
const unhealthy = { Error: 'ServiceUnhealthyError', Cause: lambdaCause('ServiceUnhealthyError', 'health gate for posts: deployment failed: tasks failed to start') };

/** A first rollout of posts: nothing existed; the step that failed ran after the rule, service and group were made. */
const newServiceRelease: Release = releaseFor('posts', {
  before: { service: { exists: false }, targetGroupExisted: false, rule: null },
  taskDefinitionArn: taskDefinitionArn('posts', 1),
  targetGroupArn: postsGroup,
  ruleArn: ruleArn('rule-1'),
});

function givenNewServiceDeployed(): void {
  givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));
  givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 1) }));
  givenTargetGroups(observedTargetGroup(manifestNamed('posts')));
}

const mutationsSent = () => commandsSent().filter((name) => /^(Create|Delete|Modify|Update|Put|Register)/.test(name));

describe('compensate', () => {
  beforeEach(() => resetAws());

  it('removes the rule, service and target group a first rollout created, reports them in cause and names its lock', async () => {
    // Prepare
    givenNewServiceDeployed();

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: newServiceRelease, error: unhealthy } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteRuleCommand, { RuleArn: ruleArn('rule-1') });
    expect(aws.ecs).toHaveReceivedCommandWith(DeleteServiceCommand, { cluster: CLUSTER, service: 'posts', force: true });
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteTargetGroupCommand, { TargetGroupArn: postsGroup });
    expect(outcome).toEqual({
      Error: 'ServiceUnhealthyError',
      Cause:
        'ServiceUnhealthyError: health gate for posts: deployment failed: tasks failed to start. Restored: ' +
        'removed rule /api/posts*: those paths go to the monolith again; removed new service posts; removed new target group posts.',
      restored: ['removed rule /api/posts*: those paths go to the monolith again', 'removed new service posts', 'removed new target group posts'],
    });
  });

  it('after a tripped bake at 10 %, puts the rule back and ends the execution\'s trafficSteps at 0', async () => {
    // Prepare
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 900], [postsGroup, 100])), pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));
    givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 1) }));
    const tripped = { Error: 'TrafficGateError', Cause: lambdaCause('TrafficGateError', 'traffic gate for posts: alarm posts-5xx was in ALARM at 10 %') };
    const shifted: Release = { ...newServiceRelease, trafficSteps: [{ at: '2026-11-26T09:00:00.000Z', percent: 10 }] };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: shifted, error: tripped } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteRuleCommand, { RuleArn: ruleArn('rule-1') });
    expect(outcome.trafficSteps).toEqual([{ at: '2026-11-26T09:00:00.000Z', percent: 10 }, { at: '2026-11-26T09:05:00.000Z', percent: 0 }]);
    expect(outcome.Cause).toMatch(/^TrafficGateError: traffic gate for posts: alarm posts-5xx was in ALARM at 10 %\. Restored: removed rule/);
  });

  it('reports the steps as they were when the rule needed no restoring (nothing shifted back)', async () => {
    // Prepare: the rule is already gone (a re-run of compensation)
    givenRules(pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));
    const shifted: Release = { ...newServiceRelease, trafficSteps: [{ at: '2026-11-26T09:00:00.000Z', percent: 10 }] };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: shifted, error: unhealthy } });

    // Assess
    expect(outcome.trafficSteps).toEqual([{ at: '2026-11-26T09:00:00.000Z', percent: 10 }]);
  });

  it('puts back the health-check grace period the rollout changed, with the revision', async () => {
    // Prepare: the service had no grace period (ECS: 0); "Deploy service" set the manifest's 60 s.
    const release = releaseFor('posts', {
      before: { service: { exists: true, taskDefinitionArn: taskDefinitionArn('posts', 7), desiredCount: 1, healthCheckGracePeriodSeconds: 0 }, targetGroupExisted: true, rule: null },
      taskDefinitionArn: taskDefinitionArn('posts', 8),
      targetGroupArn: postsGroup,
    });
    givenRules(defaultRule(toMonolith));
    givenServices({ ...ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 8) }), healthCheckGracePeriodSeconds: 60 });
    givenTargetGroups(observedTargetGroup(manifestNamed('posts')));

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, error: unhealthy } });

    // Assess
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { service: 'posts', taskDefinition: taskDefinitionArn('posts', 7), desiredCount: 1, healthCheckGracePeriodSeconds: 0 });
    expect(outcome.restored).toContain('service posts back to posts:7 × 1, health-check grace period 0 s');
  });

  it('puts an existing service back on its previous revision and desired count and restores the previous rule actions', async () => {
    // Prepare
    const release = releaseFor('posts', {
      before: {
        service: { exists: true, taskDefinitionArn: taskDefinitionArn('posts', 7), desiredCount: 2 },
        targetGroupExisted: true,
        rule: { ruleArn: ruleArn('rule-1'), actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 1 }] } }] },
      },
      taskDefinitionArn: taskDefinitionArn('posts', 8),
      targetGroupArn: postsGroup,
    });
    givenRules(pathRule(1, ['/api/posts*'], forward([monolithGroup, 1], [postsGroup, 0])), defaultRule(toMonolith));
    givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 8), desiredCount: 1 }));
    givenTargetGroups(observedTargetGroup(manifestNamed('posts')));

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, error: unhealthy } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-1'), Actions: toMonolith });
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'posts', taskDefinition: taskDefinitionArn('posts', 7), desiredCount: 2 });
    expect(aws.ecs).not.toHaveReceivedCommand(DeleteServiceCommand);
    expect(aws.elbv2).not.toHaveReceivedCommand(DeleteRuleCommand);
    expect(aws.elbv2).not.toHaveReceivedCommand(DeleteTargetGroupCommand);
    expect(outcome.restored).toEqual(
      expect.arrayContaining(['rule /api/posts* restored to its previous actions', 'service posts back to posts:7 × 2']),
    );
    expect(outcome.Cause).toContain('service posts back to posts:7 × 2');
  });

  it('removes the target group it created even when ensure-target-group failed after creating it', async () => {
    // Prepare: CreateTargetGroup succeeded, then setting the deregistration delay was refused, so the
    // step's output (release.targetGroupArn) never reached the state.
    const release = releaseFor('posts', { before: { service: { exists: false }, targetGroupExisted: false, rule: null }, taskDefinitionArn: taskDefinitionArn('posts', 1) });
    givenTargetGroups(observedTargetGroup(manifestNamed('posts')));
    const refused = { Error: 'AwsRequestError', Cause: lambdaCause('AwsRequestError', 'set deregistration delay of target group posts: AccessDenied: not authorized') };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, error: refused } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteTargetGroupCommand, { TargetGroupArn: postsGroup });
    expect(outcome.restored).toContain('removed new target group posts');
  });

  it('changes nothing when the world is already as recorded (a re-run of compensation)', async () => {
    // Prepare
    givenRules(pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: newServiceRelease, error: unhealthy } });

    // Assess
    expect(mutationsSent()).toEqual([]);
    expect(outcome.restored).toEqual([]);
    expect(outcome.Cause).toBe('ServiceUnhealthyError: health gate for posts: deployment failed: tasks failed to start. Restored: nothing needed restoring.');
  });

  it('leaves the service alone when the failure came before the prior state was recorded', async () => {
    // Prepare
    givenNewServiceDeployed();
    const conflict = { Error: 'PriorityConflictError', Cause: 'not json' };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: releaseFor('posts'), error: conflict } });

    // Assess
    expect(mutationsSent()).toEqual([]);
    expect(outcome).toEqual({ Error: 'PriorityConflictError', Cause: 'PriorityConflictError: not json. Restored: nothing needed restoring.', restored: [] });
  });

  it('does not touch the service of a retired monolith push', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));
    const release = releaseFor('api', { retired: true, before: { service: { exists: true, taskDefinitionArn: taskDefinitionArn('api', 3), desiredCount: 1 }, targetGroupExisted: true, rule: null } });

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, error: unhealthy } });

    // Assess
    expect(mutationsSent()).toEqual([]);
    expect(outcome).toMatchObject({ restored: [] });
  });

  it('does not undo the service of a superseded push: the newer push that is live is not its to undo', async () => {
    // Prepare: the recorded prior state differs from the world, so a restore would send calls
    givenNewServiceDeployed();
    const release: Release = { ...newServiceRelease, superseded: true };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, error: unhealthy } });

    // Assess
    expect(mutationsSent()).toEqual([]);
    expect(outcome).toMatchObject({ restored: [] });
  });

  it('names no lock and restores nothing when "Resolve release" itself failed', async () => {
    // Prepare
    givenNewServiceDeployed();
    const invalid = { Error: 'ValidationError', Cause: lambdaCause('ValidationError', 'resolve release: invalid input: detail.image-digest: Invalid string') };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { event: {}, error: invalid } });

    // Assess
    expect(commandsSent()).toEqual([]);
    expect(outcome).toEqual({
      Error: 'ValidationError',
      Cause: 'ValidationError: resolve release: invalid input: detail.image-digest: Invalid string. Restored: nothing needed restoring.',
      restored: [],
    });
  });

  it('throws CompensationError naming what was restored so far when a call is refused', async () => {
    // Prepare
    givenNewServiceDeployed();
    aws.ecs.on(DeleteServiceCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform ecs:DeleteService', 400));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ executionName, state: { release: newServiceRelease, error: unhealthy } }));

    // Assess
    expect(error).toBeInstanceOf(CompensationError);
    expect(error.message).toBe(
      'compensate after ServiceUnhealthyError: health gate for posts: deployment failed: tasks failed to start: restoring failed: ' +
        'delete service posts in cluster demo: AccessDeniedException: not authorized to perform ecs:DeleteService; ' +
        'restored so far: removed rule /api/posts*: those paths go to the monolith again',
    );
  });

  it('lets a throttle through as TransientAwsError so the state machine retries compensation', async () => {
    // Prepare
    givenNewServiceDeployed();
    aws.elbv2.on(DeleteRuleCommand).rejects(awsError('Throttling', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ executionName, state: { release: newServiceRelease, error: unhealthy } }));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
  });
});

describe('compensate after ECS\'s own deployment of an update', () => {
  const postsGreen = targetGroupArn('posts-g');
  const previousRevision = taskDefinitionArn('posts', 7);
  const newRevision = taskDefinitionArn('posts', 8);
  const deploymentArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/posts/0c6ff1f3a3e94d4b`;
  const tripped = { Error: 'TrafficGateError', Cause: lambdaCause('TrafficGateError', 'traffic gate for posts: alarm posts-5xx was in ALARM at 10 %') };
  /**
   * An update of live posts (posts:7 × 1) through ECS's CANARY deployment onto the alternate group, judged at 10 %. The
   * rule was recorded before "Ensure listener rule" added the alternate group at weight 0: a rule written back would
   * differ from the one ECS drives, so a compensation that wrote the rule would send ModifyRule.
   */
  const ecsUpdate: Release = releaseFor('posts', {
    before: {
      service: { exists: true, taskDefinitionArn: previousRevision, desiredCount: 1 },
      targetGroupExisted: true,
      alternateTargetGroupExisted: false,
      rule: { ruleArn: ruleArn('rule-1'), actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: postsGroup, Weight: 1 }] } }] },
    },
    taskDefinitionArn: newRevision,
    targetGroupArn: postsGroup,
    alternateTargetGroupArn: postsGreen,
    ecsDeployment: { arn: deploymentArn, strategy: 'CANARY', greenTargetGroupArn: postsGreen, startedAt: '2026-11-26T09:00:00.000Z', percent: 10, checks: 3 },
    trafficSteps: [{ at: '2026-11-26T09:02:00.000Z', percent: 10 }],
  });
  const givenPostsRule = (primary: number, green: number) => givenRules(pathRule(1, ['/api/posts*'], forward([postsGroup, primary], [postsGreen, green])), pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));

  beforeEach(() => {
    resetAws();
    givenTargetGroups(observedTargetGroup(manifestNamed('posts')), { ...observedTargetGroup(manifestNamed('posts')), TargetGroupArn: postsGreen, TargetGroupName: 'posts-g' });
  });

  it('leaves the rule and the service to ECS when ECS rolled back to the previous revision, and ends trafficSteps at 0', async () => {
    // Prepare: ECS put the weights back (green at 0) and the service on posts:7
    givenPostsRule(1, 0);
    givenServices(ecsService('posts', { taskDefinition: previousRevision }));

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: ecsUpdate, error: tripped } });

    // Assess
    expect(aws.elbv2).not.toHaveReceivedCommand(ModifyRuleCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(mutationsSent()).toEqual([]);
    expect(outcome.restored).toEqual([]);
    expect(outcome.trafficSteps).toEqual([{ at: '2026-11-26T09:02:00.000Z', percent: 10 }, { at: new Date(NOW).toISOString(), percent: 0 }]);
  });

  it.each([
    ['IN_PROGRESS', true],
    ['PENDING', true],
    ['ROLLBACK_IN_PROGRESS', false],
    ['ROLLBACK_REQUESTED', false],
  ])('a deployment of the new revision still %s: %s asks ECS to roll it back, never starts another deployment nor writes the rule', async (status, stops) => {
    // Prepare: the step that watched it died (a Lambda timeout, say); the service is still on posts:8
    givenPostsRule(900, 100);
    givenServices({ ...ecsService('posts', { taskDefinition: newRevision }), currentServiceDeployment: deploymentArn, deploymentConfiguration: { strategy: 'CANARY' } });
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn, status: status as ServiceDeploymentStatus }], failures: [] });
    aws.ecs.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: deploymentArn });

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: ecsUpdate, error: tripped } });

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.elbv2).not.toHaveReceivedCommand(ModifyRuleCommand);
    if (stops) {
      expect(aws.ecs).toHaveReceivedCommandWith(StopServiceDeploymentCommand, { serviceDeploymentArn: deploymentArn, stopType: 'ROLLBACK' });
      expect(outcome.restored).toEqual(["asked ECS to roll posts's deployment back to posts:7 (StopServiceDeployment; ECS finishes it on its own)"]);
    } else {
      expect(aws.ecs).not.toHaveReceivedCommand(StopServiceDeploymentCommand);
      expect(outcome.restored).toEqual([`ECS is already rolling posts's deployment back to posts:7 (${status})`]);
    }
  });

  it('asks ECS to deploy the previous revision again when ECS had finished on the new one, without writing the rule', async () => {
    // Prepare: ECS finished before the gate's last look tripped: all traffic on the green group, the service on posts:8
    givenPostsRule(0, 1);
    givenServices(ecsService('posts', { taskDefinition: newRevision }));
    const finished: Release = { ...ecsUpdate, trafficSteps: [{ at: '2026-11-26T09:02:00.000Z', percent: 10 }, { at: '2026-11-26T09:08:00.000Z', percent: 100 }] };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: finished, error: tripped } });

    // Assess
    expect(aws.elbv2).not.toHaveReceivedCommand(ModifyRuleCommand);
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    // all at once, without a bake or alarms: a manifest alarm still in ALARM must not roll the restore back
    expect(aws.ecs.commandCalls(UpdateServiceCommand)[0]?.args[0].input).toEqual({
      cluster: CLUSTER,
      service: 'posts',
      taskDefinition: previousRevision,
      desiredCount: 1,
      deploymentConfiguration: {
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 0,
        alarms: { alarmNames: [], enable: false, rollback: false },
        deploymentCircuitBreaker: { enable: true, rollback: true },
        minimumHealthyPercent: 100,
        maximumPercent: 200,
      },
    });
    expect(mutationsSent()).toEqual(['UpdateServiceCommand']);
    expect(outcome.restored).toEqual(['asked ECS to deploy posts:7 × 1 of posts again, all at once (BLUE_GREEN; ECS finishes it on its own)']);
    // the traffic is still on the new revision's group: ECS moves it as it deploys posts:7
    expect(outcome.trafficSteps).toEqual(finished.trafficSteps);
  });
});

describe('compensate after a failed cut-over', () => {
  const stillDraining = {
    Error: 'MonolithDrainingError',
    Cause: lambdaCause('MonolithDrainingError', 'drain monolith api: 1 task(s) running and 0 target(s) still in its group'),
  };
  /** The cut-over execution's state at "Compensate": its input, what "Check cut-over" planned, the error. */
  const cutoverState = (overrides: Record<string, unknown> = {}) => ({
    lockKey: 'lock#api',
    leaseUntil: LEASE_UNTIL,
    startedBy: 'threads-98cf390a9790526325315c828548fb07',
    services: ['posts', 'users', 'threads'],
    cutover: dueCutover(),
    error: stillDraining,
    ...overrides,
  });
  const compensate = (state: unknown) => makeHandler(testDeps())({ executionName: CUTOVER_EXECUTION, state });

  beforeEach(() => {
    resetAws();
    // Traffic dropped and the monolith scaled to zero; every microservice live, its target group present.
    givenRules(...liveMicroserviceRules(), pathRule(99, ['/api*'], FIXED_503), defaultRule(FIXED_503));
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 1 }), ...microservices.map((name) => ecsService(name)));
    givenTargetGroups(...microservices.map((name) => observedTargetGroup(manifestNamed(name))));
  });

  it("restores the listener actions it dropped and the monolith's desired count, and nothing of any service", async () => {
    // Act
    const outcome = await compensate(cutoverState());

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, { ListenerArn: LISTENER_ARN, DefaultActions: toMonolith });
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-99'), Actions: toMonolith });
    expect(aws.elbv2).toHaveReceivedCommandTimes(ModifyRuleCommand, 1);
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'api', desiredCount: 1 });
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    expect(aws.ecs).not.toHaveReceivedCommand(DeleteServiceCommand);
    expect(aws.elbv2).not.toHaveReceivedCommand(DeleteRuleCommand);
    expect(aws.elbv2).not.toHaveReceivedCommand(DeleteTargetGroupCommand);
    expect(outcome).toEqual({
      Error: 'MonolithDrainingError',
      Cause:
        'MonolithDrainingError: drain monolith api: 1 task(s) running and 0 target(s) still in its group. Restored: ' +
        'rule at priority 99 forwards to the monolith again; default action forwards to the monolith again; monolith api back to 1 task(s).',
      restored: ['rule at priority 99 forwards to the monolith again', 'default action forwards to the monolith again', 'monolith api back to 1 task(s)'],
    });
  });

  it('puts back only the actions that still differ from what was planned over (a re-run after a partial restore)', async () => {
    // Prepare: the default action is back already; the /api* rule is not
    givenRules(...liveMicroserviceRules(), pathRule(99, ['/api*'], FIXED_503), defaultRule(toMonolith));
    givenServices(ecsService('api', { desiredCount: 1 }), ...microservices.map((name) => ecsService(name)));

    // Act
    const outcome = await compensate(cutoverState());

    // Assess
    expect(mutationsSent()).toEqual(['ModifyRuleCommand']);
    expect(outcome.restored).toEqual(['rule at priority 99 forwards to the monolith again']);
  });

  it('changes nothing and names the monolith lock when the cut-over failed before it planned (e.g. lock still held)', async () => {
    // Prepare
    const lockHeld = { Error: 'DynamoDB.ConditionalCheckFailedException', Cause: 'The conditional request failed' };

    // Act
    const outcome = await compensate(cutoverState({ cutover: undefined, error: lockHeld }));

    // Assess
    expect(commandsSent()).toEqual([]);
    expect(outcome).toEqual({
      Error: 'DynamoDB.ConditionalCheckFailedException',
      Cause: 'DynamoDB.ConditionalCheckFailedException: The conditional request failed. Restored: nothing needed restoring.',
      restored: [],
    });
  });

  it('changes nothing when "Check cut-over" found it not due', async () => {
    // Act
    const outcome = await compensate(cutoverState({ cutover: { executionName: CUTOVER_EXECUTION, ready: false, reason: 'not every microservice is live', plan: [] } }));

    // Assess
    expect(mutationsSent()).toEqual([]);
    expect(outcome.restored).toEqual([]);
  });

  it('throws CompensationError naming what was restored so far when restoring the monolith count is refused', async () => {
    // Prepare
    aws.ecs.on(UpdateServiceCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform ecs:UpdateService', 400));

    // Act
    const error = await rejectionOf(compensate(cutoverState()));

    // Assess
    expect(error).toBeInstanceOf(CompensationError);
    expect(error.message).toMatch(/restored so far: rule at priority 99 forwards to the monolith again; default action forwards to the monolith again$/);
  });

  it('throws CompensationError naming the field when the planned cut-over is malformed, changing nothing', async () => {
    // Act
    const error = await rejectionOf(compensate(cutoverState({ cutover: { ...dueCutover(), plan: [{ ruleArn: 'x' }] } })));

    // Assess
    expect(error).toBeInstanceOf(CompensationError);
    expect(error.message).toContain('cutover.plan.0.isDefault');
    expect(mutationsSent()).toEqual([]);
  });
});
