import type { HandlerFactory } from '../lib/runtime/lambda';
import { makeHandler as checkCutover } from './check-cutover';
import { makeHandler as checkDrained } from './check-drained';
import { makeHandler as checkServiceHealth } from './check-service-health';
import { makeHandler as compensate } from './compensate';
import { makeHandler as deployService } from './deploy-service';
import { makeHandler as dropMonolithTraffic } from './drop-monolith-traffic';
import { makeHandler as ensureListenerRule } from './ensure-listener-rule';
import { makeHandler as ensureTargetGroup } from './ensure-target-group';
import { makeHandler as recordPriorState } from './record-prior-state';
import { makeHandler as registerTaskDefinition } from './register-task-definition';
import { makeHandler as resolveRelease } from './resolve-release';
import { makeHandler as scaleMonolith } from './scale-monolith';
import { makeHandler as shiftTraffic } from './shift-traffic';
import { makeHandler as startCutover } from './start-cutover';

/**
 * The workflows' Lambda Task resources (the `${…FunctionArn}` placeholders in statemachines/*.asl.yaml)
 * and the handler behind each. serverless.yml substitutes the same names with the functions' ARNs.
 */
export const stepHandlers: Record<string, HandlerFactory<unknown>> = {
  ResolveReleaseFunctionArn: resolveRelease,
  RecordPriorStateFunctionArn: recordPriorState,
  RegisterTaskDefinitionFunctionArn: registerTaskDefinition,
  EnsureTargetGroupFunctionArn: ensureTargetGroup,
  EnsureListenerRuleFunctionArn: ensureListenerRule,
  DeployServiceFunctionArn: deployService,
  CheckServiceHealthFunctionArn: checkServiceHealth,
  ShiftTrafficFunctionArn: shiftTraffic,
  StartCutoverFunctionArn: startCutover,
  CheckCutoverFunctionArn: checkCutover,
  DropMonolithTrafficFunctionArn: dropMonolithTraffic,
  ScaleMonolithFunctionArn: scaleMonolith,
  CheckDrainedFunctionArn: checkDrained,
  CompensateFunctionArn: compensate,
};
