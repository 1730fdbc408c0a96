/** Internal state of the emulator: one plain object graph that every service module reads and writes. */
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { RegisterTaskDefinitionCommandInput, LoadBalancer, NetworkConfiguration, DeploymentConfiguration, LaunchType } from '@aws-sdk/client-ecs';
import type { ActionState, TargetState } from './types';
import { createCloudWatchState, type CloudWatchState } from './cloudwatch/state';
import { createTrafficState, type TrafficState } from './runtime/traffic-state';
import type { ServiceDeploymentRecord } from './runtime/service-deployment-types';

export interface HealthCheckState {
  enabled: boolean;
  protocol: string;
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}
export interface TargetRecord {
  id: string;
  port: number;
  state: TargetState;
  /** virtual ms at which the next health check's answer is taken, or draining ends (runtime/health.ts) */
  dueAt?: number;
  taskId?: string;
  /** virtual ms of the registration: health checks go out every interval from here */
  registeredAt: number;
  /** consecutive passed and failed health checks, counted against the group's thresholds */
  passes: number;
  failures: number;
}
export interface TargetGroupRecord {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  vpcId: string;
  targetType: string;
  protocolVersion: string;
  healthCheck: HealthCheckState;
  attributes: Record<string, string>;
  targets: TargetRecord[];
}
export interface LoadBalancerRecord {
  arn: string;
  name: string;
  dnsName: string;
  vpcId: string;
  scheme: string;
  subnets: string[];
  securityGroups: string[];
  createdAt: number;
}
export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  /** HTTPS listeners: the server certificate (exactly one, as CreateListener requires) and the security policy. */
  certificateArn?: string;
  sslPolicy?: string;
  defaultActions: ActionState[];
  defaultRuleArn: string;
}
export interface RuleRecord {
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: Array<{ field: string; values: string[] }>;
  actions: ActionState[];
}
export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  input: RegisterTaskDefinitionCommandInput;
}
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export interface DeploymentRecord {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  /** circuit breaker tripped without a rollback target: ECS stops launching tasks */
  launchHalted: boolean;
  /** blue/green-family deployments: the group each of the service's loadBalancers registers this deployment's tasks in */
  targetGroupArns?: string[];
  /** the service deployment (runtime/service-deployment-types.ts) this ECS deployment belongs to */
  serviceDeploymentId?: string;
  /** the service revision this deployment runs (a rollback runs the revision it returns to) */
  revisionArn: string;
}
export interface ServiceRecord {
  arn: string;
  name: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  launchType?: LaunchType;
  networkConfiguration?: NetworkConfiguration;
  loadBalancers: LoadBalancer[];
  deploymentConfiguration: DeploymentConfiguration;
  createdAt: number;
  clientToken?: string;
  fingerprint: string;
  deployments: DeploymentRecord[];
  events: Array<{ id: string; createdAt: number; message: string }>;
  lastCompletedTaskDefinitionArn?: string;
  /** the service revision of that last completed deployment (what a rollback returns to) */
  lastCompletedRevisionArn?: string;
  /** seconds after a task starts during which the scheduler ignores its failed ELB health checks (0 when unset) */
  healthCheckGracePeriodSeconds?: number;
  /** every service deployment ECS started for the service, newest first (DescribeServiceDeployments) */
  serviceDeployments: ServiceDeploymentRecord[];
  /** blue/green-family: by loadBalancers index, the group serving production after the last finished deployment */
  liveTargetGroups?: Array<string | undefined>;
}
export interface TaskRecord {
  id: string;
  arn: string;
  clusterArn: string;
  serviceArn: string;
  deploymentId: string;
  taskDefinitionArn: string;
  status: 'PENDING' | 'RUNNING' | 'STOPPED';
  /** ECS decided to stop it; it keeps RUNNING while its targets drain */
  stopping: boolean;
  createdAt: number;
  startAt: number;
  stopAt?: number;
  stoppedReason?: string;
  targetId: string;
  hostPort: number;
}
export interface EcrImageRecord {
  digest: string;
  tags: string[];
  pushedAt: number;
}
export interface TableRecord {
  input: CreateTableCommandInput;
  arn: string;
  createdAt: number;
  items: Map<string, Record<string, AttributeValue>>;
}

export interface EmulatorContext {
  accountId: string;
  region: string;
  taskStartSeconds: number;
  now: () => number;
  /** virtual ms up to which the background runtime has been simulated */
  simulatedUntil: number;
  counter: number;
  vpcs: Map<string, { cidr: string }>;
  subnets: Map<string, { vpcId: string }>;
  loadBalancers: Map<string, LoadBalancerRecord>;
  listeners: Map<string, ListenerRecord>;
  rules: Map<string, RuleRecord>;
  targetGroups: Map<string, TargetGroupRecord>;
  tags: Map<string, Map<string, string>>;
  clusters: Map<string, { arn: string; name: string }>;
  taskDefinitions: Map<string, TaskDefinitionRecord>;
  services: Map<string, ServiceRecord>;
  tasks: TaskRecord[];
  ecrRepositories: Map<string, { createdAt: number; images: EcrImageRecord[] }>;
  tables: Map<string, TableRecord>;
  unhealthyImages: Set<string>;
  /** images whose application answers health checks only this many seconds after its task started */
  slowImages: Map<string, number>;
  /** CloudWatch: metric series and alarms (cloudwatch/) */
  cloudwatch: CloudWatchState;
  /** simulated requests through the listeners and the images marked faulty or slow to respond (runtime/traffic.ts) */
  traffic: TrafficState;
}

export function createContext(accountId: string, region: string, taskStartSeconds: number, now: () => number): EmulatorContext {
  return {
    accountId, region, taskStartSeconds, now, simulatedUntil: now(), counter: 0,
    vpcs: new Map(), subnets: new Map(), loadBalancers: new Map(), listeners: new Map(), rules: new Map(),
    targetGroups: new Map(), tags: new Map(), clusters: new Map(), taskDefinitions: new Map(), services: new Map(),
    tasks: [], ecrRepositories: new Map(), tables: new Map(), unhealthyImages: new Set(), slowImages: new Map(),
    cloudwatch: createCloudWatchState(), traffic: createTrafficState(),
  };
}

/** Deterministic hex id from the context's counter (no Math.random: runs must be reproducible). */
export function nextHex(ctx: EmulatorContext, length: number): string {
  ctx.counter += 1;
  return ctx.counter.toString(16).padStart(length, '0');
}
