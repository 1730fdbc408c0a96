import { DeleteItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteServiceCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DeleteRuleCommand, DeleteTargetGroupCommand, ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/compensate';
import type { Release } from '../../../lib/domain/release';
import { CompensationError, TransientAwsError } from '../../../lib/errors';
import { dueCutover, liveMicroserviceRules, monolithGroup } from './cutover.fixtures';
import {
  CLUSTER,
  FIXED_503,
  LISTENER_ARN,
  LOCK_TABLE,
  NOW,
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

  it('removes the rule, service and target group a first rollout created, and reports them in cause', async () => {
    // Prepare
    givenNewServiceDeployed();
    aws.dynamodb
      .on(GetItemCommand, { Key: { pk: { S: 'deployed#posts' } } })
      .resolves({ Item: { pk: { S: 'deployed#posts' }, eventTimeMs: { N: '1' }, digest: { S: 'sha256:x' }, executionName: { S: executionName } } });

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: newServiceRelease, error: unhealthy } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteRuleCommand, { RuleArn: ruleArn('rule-1') });
    expect(aws.ecs).toHaveReceivedCommandWith(DeleteServiceCommand, { cluster: CLUSTER, service: 'posts', force: true });
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteTargetGroupCommand, { TargetGroupArn: postsGroup });
    expect(aws.dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: LOCK_TABLE,
      Key: { pk: { S: 'deployed#posts' } },
      ConditionExpression: 'executionName = :me',
      ExpressionAttributeValues: { ':me': { S: executionName } },
    });
    expect(aws.dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, { Key: { pk: { S: 'lock#posts' } }, ExpressionAttributeValues: { ':owner': { S: executionName } } });
    expect(aws.dynamodb).toHaveReceivedCommandWith(DeleteItemCommand, { Key: { pk: { S: 'lock#api' } } }); // the cut-over lock is the monolith's
    expect(outcome.error).toBe('ServiceUnhealthyError');
    expect(outcome.restored).toEqual([
      'removed rule /api/posts*: those paths go to the monolith again',
      'removed new service posts',
      'removed new target group posts',
      expect.stringMatching(/^release record of posts /),
    ]);
    expect(outcome.cause).toBe(
      'ServiceUnhealthyError: health gate for posts: deployment failed: tasks failed to start. Restored: ' + outcome.restored.join('; ') + '.',
    );
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
    expect(outcome.cause).toContain('service posts back to posts:7 × 2');
  });

  it('after a failed cut-over restores the dropped actions and the monolith count, and takes back the service made live', async () => {
    // Prepare
    const release = releaseFor('threads', {
      before: { service: { exists: false }, targetGroupExisted: false, rule: null },
      taskDefinitionArn: taskDefinitionArn('threads', 1),
      targetGroupArn: targetGroupArn('threads'),
      live: true,
    });
    givenRules(...liveMicroserviceRules(), pathRule(99, ['/api*'], FIXED_503), defaultRule(FIXED_503));
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 1 }), ecsService('threads'));
    givenTargetGroups(observedTargetGroup(manifestNamed('threads')));
    const drainTimeout = { Error: 'DrainTimeoutError', Cause: lambdaCause('DrainTimeoutError', 'drain monolith api: 1 task(s) still running after 600s (limit 600s)') };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, cutover: dueCutover(), error: drainTimeout } });

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, { ListenerArn: LISTENER_ARN, DefaultActions: toMonolith });
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-99'), Actions: toMonolith });
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: 'api', desiredCount: 1 });
    expect(aws.elbv2).toHaveReceivedCommandWith(DeleteRuleCommand, { RuleArn: ruleArn('rule-3') });
    expect(aws.ecs).toHaveReceivedCommandWith(DeleteServiceCommand, { service: 'threads' });
    expect(outcome.restored.slice(0, 3)).toEqual([
      'rule at priority 99 forwards to the monolith again',
      'default action forwards to the monolith again',
      'monolith api back to 1 task(s)',
    ]);
    expect(outcome.cause).toMatch(/^DrainTimeoutError: drain monolith api: 1 task\(s\) still running after 600s \(limit 600s\)\. Restored: /);
  });

  it("restores nothing under a lock whose lease lapsed and that another execution now holds: that work is not its to undo", async () => {
    // Prepare
    const release = releaseFor('posts', {
      before: { service: { exists: true, taskDefinitionArn: taskDefinitionArn('posts', 7), desiredCount: 1 }, targetGroupExisted: true, rule: null },
      taskDefinitionArn: taskDefinitionArn('posts', 8),
    });
    givenServices(ecsService('posts', { taskDefinition: taskDefinitionArn('posts', 9) }));
    aws.dynamodb.on(GetItemCommand, { Key: { pk: { S: 'lock#posts' } } }).resolves({ Item: { pk: { S: 'lock#posts' }, owner: { S: 'posts-newer-push' }, expiresAt: { N: String(Math.floor(NOW / 1000) + 600) } } });

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release, error: unhealthy } });

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.elbv2).not.toHaveReceivedCommand(ModifyRuleCommand);
    expect(outcome.restored).toEqual(expect.arrayContaining(['not restored under lock posts: it is now held by posts-newer-push']));
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

  it('changes nothing but the locks when the world is already as recorded (a re-run of compensation)', async () => {
    // Prepare
    givenRules(pathRule(99, ['/api*'], toMonolith), defaultRule(toMonolith));
    aws.dynamodb.on(DeleteItemCommand, { Key: { pk: { S: 'deployed#posts' } } }).rejects(awsError('ConditionalCheckFailedException', 'The conditional request failed'));

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: newServiceRelease, error: unhealthy } });

    // Assess
    expect(mutationsSent().filter((name) => name !== 'DeleteItemCommand')).toEqual([]);
    expect(outcome.restored).toEqual([]);
    expect(outcome.cause).toBe('ServiceUnhealthyError: health gate for posts: deployment failed: tasks failed to start. Restored: nothing needed restoring.');
  });

  it('leaves the service alone when the failure came before the prior state was recorded', async () => {
    // Prepare
    givenNewServiceDeployed();
    const conflict = { Error: 'PriorityConflictError', Cause: 'not json' };

    // Act
    const outcome = await makeHandler(testDeps())({ executionName, state: { release: releaseFor('posts'), error: conflict } });

    // Assess
    expect(mutationsSent().filter((name) => name !== 'DeleteItemCommand')).toEqual([]);
    expect(aws.dynamodb).not.toHaveReceivedCommandWith(DeleteItemCommand, { Key: { pk: { S: 'deployed#posts' } } });
    expect(outcome.cause).toBe('PriorityConflictError: not json. Restored: nothing needed restoring.');
  });

  it('does not touch the service of a retired monolith push', async () => {
    // Prepare
    givenServices(ecsService('api', { desiredCount: 0, runningCount: 0 }));
    const release = releaseFor('api', { retired: true, before: { service: { exists: true, taskDefinitionArn: taskDefinitionArn('api', 3), desiredCount: 1 }, targetGroupExisted: true, rule: null } });

    // Act
    await makeHandler(testDeps())({ executionName, state: { release, error: unhealthy } });

    // Assess
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(DeleteServiceCommand);
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
