/**
 * ECS service deployments as the emulator keeps them (ECS API reference, "ServiceDeployment"; developer guide, "View
 * service history using Amazon ECS service deployments"): one record per deployment ECS starts, whatever its strategy.
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { ActionState } from '../types';

export const DEPLOYMENT_STRATEGIES = ['ROLLING', 'BLUE_GREEN', 'LINEAR', 'CANARY'] as const;
export type DeploymentStrategyName = (typeof DEPLOYMENT_STRATEGIES)[number];

/** API reference, ServiceDeploymentStatus. */
export type ServiceDeploymentStatus =
  | 'PENDING' | 'SUCCESSFUL' | 'STOPPED' | 'STOP_REQUESTED' | 'IN_PROGRESS'
  | 'ROLLBACK_REQUESTED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_SUCCESSFUL' | 'ROLLBACK_FAILED';

/** API reference, ServiceDeploymentLifecycleStage (the order the developer guide's stage tables list them in). */
export type LifecycleStage =
  | 'RECONCILE_SERVICE' | 'PRE_SCALE_UP' | 'SCALE_UP' | 'POST_SCALE_UP' | 'TEST_TRAFFIC_SHIFT' | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT' | 'POST_PRODUCTION_TRAFFIC_SHIFT' | 'BAKE_TIME' | 'CLEAN_UP';

/** API reference, ServiceDeploymentRollbackMonitorsStatus. */
export type MonitorStatus = 'TRIGGERED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'DISABLED';

/** "Service deployment stages": Completed = SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED. */
export const FINISHED_STATUSES: readonly ServiceDeploymentStatus[] = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'];

export interface ServiceRevisionRecord {
  arn: string;
  taskDefinitionArn: string;
  /** the ECS deployment (Service.deployments[].id) that runs this revision's tasks */
  deploymentId: string;
  requestedTaskCount: number;
}

/** One load balancer of the service with an advancedConfiguration: the groups and rules ECS shifts traffic between. */
export interface TrafficLane {
  /** index in the service's loadBalancers */
  index: number;
  productionRuleArn: string;
  testRuleArn?: string;
  /** the group serving production when the deployment started, and the one the new revision registers in */
  blueGroupArn: string;
  greenGroupArn: string;
  /** the test rule's actions before ECS routed test traffic to green (restored on rollback) */
  testActionsBefore?: ActionState[];
}

export interface BlueGreenProgress {
  lanes: TrafficLane[];
  /** production percentages of green after each traffic shift step (the last is 100) */
  steps: number[];
  /** index of the next step to apply */
  nextStep: number;
  greenPercent: number;
  testPercent: number;
  /** virtual ms at which the current wait (step bake time, bake time) ends */
  waitUntil?: number;
}

export interface ServiceDeploymentRecord {
  id: string;
  arn: string;
  serviceArn: string;
  clusterArn: string;
  strategy: DeploymentStrategyName;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  updatedAt: number;
  status: ServiceDeploymentStatus;
  statusReason?: string;
  lifecycleStage?: LifecycleStage;
  target: ServiceRevisionRecord;
  sources: ServiceRevisionRecord[];
  /** the service's deployment configuration when the deployment started */
  deploymentConfiguration: DeploymentConfiguration;
  rollback?: { reason: string; startedAt: number; serviceRevisionArn: string };
  /** a rolling rollback runs as a new ECS deployment of the rollback revision */
  rollbackDeploymentId?: string;
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  circuitBreaker: { status: MonitorStatus; threshold: number };
  /** BLUE_GREEN, CANARY and LINEAR only */
  blueGreen?: BlueGreenProgress;
}
