/**
 * The two ways ECS detects a failed deployment (developer guide, "Amazon ECS deployment failure detection": the
 * deployment circuit breaker and CloudWatch alarms; "Both methods only support rolling update deployment and
 * blue/green deployment types"; "When both methods are used, either can trigger deployment failure"; "The rollback
 * method requires a previous deployment in COMPLETED state").
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { EmulatorContext } from '../context';
import type { MonitorStatus } from './service-deployment-types';

/** ECS developer guide, deployment circuit breaker: threshold = 0.5 x desired count, at least 3, at most 200. */
export function circuitBreakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

/** The deployment's alarms that are in ALARM now ("Amazon ECS calls DescribeAlarms to poll the alarms"). */
export function alarmsInAlarm(ctx: EmulatorContext, alarmNames: readonly string[]): string[] {
  return alarmNames.filter((name) => ctx.cloudwatch.alarms.get(name)?.stateValue === 'ALARM');
}

/**
 * Whether ECS watches the alarms for a deployment starting now. Developer guide, "How CloudWatch alarms detect Amazon
 * ECS deployment failures": "If an alarm is in the ALARM state at the beginning of a deployment, Amazon ECS will not
 * monitor alarms for the duration of that deployment (Amazon ECS ignores the alarm configuration)." API reference,
 * ServiceDeploymentAlarms: "Amazon ECS is not using alarms for service deployment failures when the status is DISABLED."
 */
export function initialAlarmStatus(ctx: EmulatorContext, configuration: DeploymentConfiguration): MonitorStatus {
  const alarms = configuration.alarms;
  if (alarms?.enable !== true) return 'DISABLED';
  return alarmsInAlarm(ctx, alarms.alarmNames ?? []).length > 0 ? 'DISABLED' : 'MONITORING';
}
