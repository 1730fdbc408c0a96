import { ModifyListenerCommand, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { makeHandler } from '../../../functions/drop-monolith-traffic';
import { TransientAwsError, ValidationError } from '../../../lib/errors';
import { dueCutover, liveMicroserviceRules, monolithGroup } from './cutover.fixtures';
import {
  FIXED_503,
  LISTENER_ARN,
  aws,
  awsError,
  defaultRule,
  expectNoMutations,
  forward,
  givenRules,
  pathRule,
  rejectionOf,
  resetAws,
  ruleArn,
  targetGroupArn,
  testConfig,
  testDeps,
} from './fixtures';

const dropGroup = targetGroupArn('drop-traffic');

describe('drop-monolith-traffic', () => {
  beforeEach(() => {
    resetAws();
    givenRules(...liveMicroserviceRules(), pathRule(99, ['/api*'], forward([monolithGroup, 1])), defaultRule(forward([monolithGroup, 1])));
  });

  it('answers 503 on the default action and the /api* rule, and leaves the microservice rules alone', async () => {
    // Act
    const cutover = await makeHandler(testDeps())(dueCutover());

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, { ListenerArn: LISTENER_ARN, DefaultActions: FIXED_503 });
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, { RuleArn: ruleArn('rule-99'), Actions: FIXED_503 });
    expect(aws.elbv2).toHaveReceivedCommandTimes(ModifyRuleCommand, 1);
    expect(cutover).toEqual(dueCutover());
  });

  it('forwards to the drop-traffic target group in drop-target-group mode', async () => {
    // Prepare
    const deps = testDeps(testConfig({ cutoverMode: 'drop-target-group', dropTargetGroupArn: dropGroup }));

    // Act
    await makeHandler(deps)(dueCutover());

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyListenerCommand, {
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: dropGroup, Weight: 1 }] } }],
    });
  });

  it('keeps the other targets of a weighted rule and only removes the monolith', async () => {
    // Prepare
    const canary = targetGroupArn('canary');
    givenRules(pathRule(50, ['/api/legacy*'], forward([monolithGroup, 1], [canary, 3])), defaultRule(FIXED_503));

    // Act
    await makeHandler(testDeps())(dueCutover());

    // Assess
    expect(aws.elbv2).toHaveReceivedCommandWith(ModifyRuleCommand, {
      RuleArn: ruleArn('rule-50'),
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: canary, Weight: 3 }] } }],
    });
    expect(aws.elbv2).not.toHaveReceivedCommand(ModifyListenerCommand);
  });

  it('changes nothing on a retry after the monolith traffic was already dropped', async () => {
    // Prepare
    givenRules(...liveMicroserviceRules(), pathRule(99, ['/api*'], FIXED_503), defaultRule(FIXED_503));

    // Act
    const cutover = await makeHandler(testDeps())(dueCutover());

    // Assess
    expectNoMutations();
    expect(cutover).toEqual(dueCutover());
  });

  it('throws ValidationError naming the field when the cut-over has no monolith', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())(dueCutover({ monolith: undefined })));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('cutover.monolith');
    expectNoMutations();
  });

  it('throws ValidationError naming the field when a plan entry is malformed', async () => {
    // Act
    const error = await rejectionOf(makeHandler(testDeps())({ ...dueCutover(), plan: [{ ruleArn: 'x' }] }));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('cutover.plan.0.isDefault');
  });

  it('throws TransientAwsError when ModifyListener is throttled', async () => {
    // Prepare
    aws.elbv2.on(ModifyListenerCommand).rejects(awsError('Throttling', 'Rate exceeded'));

    // Act
    const error = await rejectionOf(makeHandler(testDeps())(dueCutover()));

    // Assess
    expect(error).toBeInstanceOf(TransientAwsError);
    expect(error.message).toBe(`modify default action of listener ${LISTENER_ARN}: Throttling: Rate exceeded`);
  });
});
