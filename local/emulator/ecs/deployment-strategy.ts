/**
 * CreateService / UpdateService checks of the deployment strategy fields (API reference, DeploymentConfiguration,
 * CanaryConfiguration, LinearConfiguration, DeploymentAlarms, LoadBalancer, AdvancedConfiguration). AWS documents the
 * valid values, not the error messages: the messages below are the emulator's (always InvalidParameterException).
 *
 * - strategy: ROLLING | BLUE_GREEN | LINEAR | CANARY (DeploymentStrategy enum).
 * - bakeTimeInMinutes: "You must provide this parameter when you use the BLUE_GREEN deployment strategy"; 0-1440 (the
 *   range the console, CloudFormation and Terraform documentation give; the ECS API reference states none).
 * - canaryConfiguration: "Only valid when the deployment strategy is CANARY"; canaryPercent "multiples of 0.1 from 0.1
 *   to 100.0"; canaryBakeTimeInMinutes "0 to 1440 minutes".
 * - linearConfiguration: "Only valid when the deployment strategy is LINEAR"; stepPercent "multiples of 0.1 from 3.0 to
 *   100.0"; stepBakeTimeInMinutes "0 to 1440 minutes".
 * - alarms: alarmNames, enable and rollback are required members.
 * - advancedConfiguration (developer guide, "Application Load Balancer resources for blue/green, linear, and canary
 *   deployments", Service configuration): alternateTargetGroupArn, productionListenerRule, roleArn ("the role that
 *   allows Amazon ECS to manage Elastic Load Balancing resources"), optional testListenerRule.
 *
 * Checks AWS does not document and the emulator makes: the alternate group must exist and differ from the service's
 * target group, the listener rules must exist, a blue/green-family strategy needs an advancedConfiguration on every
 * load balancer of the service (a service without load balancers may still use it: no traffic is shifted), and
 * lifecycle hooks are refused (the emulator runs no Lambda functions).
 */
import type { DeploymentConfiguration, LoadBalancer } from '@aws-sdk/client-ecs';
import type { EmulatorContext } from '../context';
import { ecsError } from '../errors';
import { findRule } from '../runtime/listener-rule-weights';
import { DEPLOYMENT_STRATEGIES, type DeploymentStrategyName } from '../runtime/service-deployment-types';

const MAX_BAKE_MINUTES = 1440;
const invalid = (message: string): Error => ecsError('InvalidParameterException', message);

export const isBlueGreenFamily = (strategy: string | undefined): boolean => strategy === 'BLUE_GREEN' || strategy === 'CANARY' || strategy === 'LINEAR';

function minutes(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > MAX_BAKE_MINUTES)) {
    throw invalid(`${field} must be an integer between 0 and ${MAX_BAKE_MINUTES}.`);
  }
}

/** A percentage in tenths: a multiple of 0.1 from `minimum` to 100.0. */
function tenthsPercent(value: number | undefined, field: string, minimum: number): void {
  if (value === undefined) return;
  const tenths = value * 10;
  if (!(value >= minimum && value <= 100) || Math.abs(tenths - Math.round(tenths)) > 1e-9) {
    throw invalid(`${field} must be a multiple of 0.1 from ${minimum.toFixed(1)} to 100.0.`);
  }
}

export function validateDeploymentConfiguration(configuration: DeploymentConfiguration): void {
  const strategy = configuration.strategy ?? 'ROLLING';
  if (!(DEPLOYMENT_STRATEGIES as readonly string[]).includes(strategy)) {
    throw invalid(`Invalid deployment strategy '${String(strategy)}'. Valid values are ${DEPLOYMENT_STRATEGIES.join(', ')}.`);
  }
  minutes(configuration.bakeTimeInMinutes, 'bakeTimeInMinutes');
  if (strategy === 'BLUE_GREEN' && configuration.bakeTimeInMinutes === undefined) throw invalid('bakeTimeInMinutes must be provided for the BLUE_GREEN deployment strategy.');
  if (configuration.canaryConfiguration && strategy !== 'CANARY') throw invalid('canaryConfiguration is only valid for the CANARY deployment strategy.');
  if (configuration.linearConfiguration && strategy !== 'LINEAR') throw invalid('linearConfiguration is only valid for the LINEAR deployment strategy.');
  tenthsPercent(configuration.canaryConfiguration?.canaryPercent, 'canaryPercent', 0.1);
  minutes(configuration.canaryConfiguration?.canaryBakeTimeInMinutes, 'canaryBakeTimeInMinutes');
  tenthsPercent(configuration.linearConfiguration?.stepPercent, 'stepPercent', 3);
  minutes(configuration.linearConfiguration?.stepBakeTimeInMinutes, 'stepBakeTimeInMinutes');
  const alarms = configuration.alarms;
  if (alarms && (!Array.isArray(alarms.alarmNames) || typeof alarms.enable !== 'boolean' || typeof alarms.rollback !== 'boolean')) {
    throw invalid('alarms requires alarmNames, enable and rollback.');
  }
  if ((configuration.lifecycleHooks ?? []).length > 0) throw new Error('emulator does not implement ecs deployment lifecycleHooks');
}

/** The advanced settings of each load balancer, against the resources they name. */
export function validateAdvancedConfigurations(ctx: EmulatorContext, loadBalancers: LoadBalancer[], strategy: DeploymentStrategyName): void {
  for (const loadBalancer of loadBalancers) {
    const advanced = loadBalancer.advancedConfiguration;
    if (!advanced) {
      if (isBlueGreenFamily(strategy)) throw invalid(`advancedConfiguration is required on every load balancer of a service with the ${strategy} deployment strategy.`);
      continue;
    }
    if (!advanced.roleArn) throw invalid('advancedConfiguration.roleArn must be provided: the role that allows Amazon ECS to manage Elastic Load Balancing resources.');
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(advanced.roleArn)) throw invalid(`advancedConfiguration.roleArn '${advanced.roleArn}' is not an IAM role ARN.`);
    const alternate = advanced.alternateTargetGroupArn;
    if (!alternate) throw invalid('advancedConfiguration.alternateTargetGroupArn must be provided.');
    if (alternate === loadBalancer.targetGroupArn) throw invalid('advancedConfiguration.alternateTargetGroupArn must be different from the targetGroupArn of the load balancer.');
    if (!ctx.targetGroups.has(alternate)) throw invalid(`Unable to describe target group ${alternate}: target group not found.`);
    if (!advanced.productionListenerRule) throw invalid('advancedConfiguration.productionListenerRule must be provided.');
    if (!findRule(ctx, advanced.productionListenerRule)) throw invalid(`Listener rule ${advanced.productionListenerRule} not found.`);
    if (advanced.testListenerRule !== undefined && !findRule(ctx, advanced.testListenerRule)) throw invalid(`Listener rule ${advanced.testListenerRule} not found.`);
  }
}
