import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentConfiguration,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { EnvironmentNotFoundError } from '../errors';
import type { ObservedService } from '../domain/health';
import type { ObservedTaskDefinition, TaskDefinitionSpec } from '../domain/task-definition';
import type { EcsDeploymentSettings } from '../domain/ecs-update';
import { awsCall, awsErrorCode } from './aws-call';

export interface ServiceView extends ObservedService {
  readonly serviceName: string;
  readonly taskDefinition: string;
  readonly targetGroupArns: readonly string[];
  /** advancedConfiguration.alternateTargetGroupArn of its load balancers (set by an ECS blue/green-family update). */
  readonly alternateTargetGroupArns?: readonly string[];
  /** Absent when the service was created without one (ECS then uses 0). */
  readonly healthCheckGracePeriodSeconds?: number;
  /** deploymentConfiguration.strategy (ROLLING when ECS answers none). */
  readonly strategy?: string;
  /** The ARN of the service deployment ECS runs or ran last (service.currentServiceDeployment). */
  readonly currentServiceDeployment?: string;
}

function toView(service: Service): ServiceView {
  return {
    serviceName: service.serviceName ?? '',
    status: service.status ?? 'UNKNOWN',
    desiredCount: service.desiredCount ?? 0,
    runningCount: service.runningCount ?? 0,
    taskDefinition: service.taskDefinition ?? '',
    targetGroupArns: (service.loadBalancers ?? []).map((lb) => lb.targetGroupArn ?? '').filter(Boolean),
    alternateTargetGroupArns: (service.loadBalancers ?? []).map((lb) => lb.advancedConfiguration?.alternateTargetGroupArn ?? '').filter(Boolean),
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    strategy: service.deploymentConfiguration?.strategy ?? 'ROLLING',
    ...(service.currentServiceDeployment ? { currentServiceDeployment: service.currentServiceDeployment } : {}),
    deployments: (service.deployments ?? []).map((deployment) => ({
      status: deployment.status ?? '',
      taskDefinition: deployment.taskDefinition ?? '',
      rolloutState: deployment.rolloutState,
      rolloutStateReason: deployment.rolloutStateReason,
      runningCount: deployment.runningCount ?? 0,
      failedTasks: deployment.failedTasks ?? 0,
    })),
  };
}

export interface CreateServiceSpec {
  readonly serviceName: string;
  readonly taskDefinitionArn: string;
  readonly desiredCount: number;
  readonly launchType: 'EC2' | 'FARGATE';
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly awsvpc?: { subnets: string[]; securityGroups: string[] };
  /** Idempotency token (≤ 36 ASCII chars): a retried CreateService with the same token is not a duplicate. */
  readonly clientToken: string;
  /** How long ECS ignores a new task's failed ELB health checks; ECS's own default (unset) is 0. */
  readonly healthCheckGracePeriodSeconds?: number;
}

/** What UpdateService changes; a field left out is left as it is. */
export interface ServiceChange {
  readonly taskDefinitionArn?: string;
  readonly desiredCount?: number;
  readonly healthCheckGracePeriodSeconds?: number;
  /** The deployment strategy and its settings (lib/domain/ecs-update.ts), or ROLLING. */
  readonly deployment?: EcsDeploymentSettings | { readonly strategy: 'ROLLING' };
  /** The service's one load balancer, with the advanced settings a blue/green-family strategy needs. */
  readonly loadBalancer?: {
    readonly targetGroupArn: string;
    readonly containerName: string;
    readonly containerPort: number;
    readonly advanced?: { readonly alternateTargetGroupArn: string; readonly productionListenerRule: string; readonly roleArn: string };
  };
}

/** What DescribeServiceDeployments says of one service deployment (ECS API reference, ServiceDeployment). */
export interface ServiceDeploymentView {
  readonly arn: string;
  /** PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED */
  readonly status: string;
  readonly statusReason?: string;
  readonly lifecycleStage?: string;
  readonly startedAt?: string;
  readonly triggeredAlarmNames: readonly string[];
  readonly circuitBreakerTriggered: boolean;
  readonly rolledBack: boolean;
}

/** The deployment settings as ECS's UpdateService takes them (a ROLLING one keeps the circuit breaker and percents). */
function deploymentConfiguration(deployment: NonNullable<ServiceChange['deployment']>): DeploymentConfiguration {
  const base: DeploymentConfiguration = { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 };
  if (deployment.strategy === 'ROLLING') return { ...base, strategy: 'ROLLING' };
  return {
    ...base,
    strategy: deployment.strategy,
    bakeTimeInMinutes: deployment.bakeTimeInMinutes,
    ...(deployment.canaryConfiguration ? { canaryConfiguration: { ...deployment.canaryConfiguration } } : {}),
    ...(deployment.linearConfiguration ? { linearConfiguration: { ...deployment.linearConfiguration } } : {}),
    alarms: { ...deployment.alarms, alarmNames: [...deployment.alarms.alarmNames] },
  };
}

const CHUNK = 10; // DescribeServices takes at most 10 services per call.

/** ECS adapter: the only code that builds ECS commands. */
export function createEcsAdapter(client: ECSClient, cluster: string) {
  return {
    async describeServices(names: readonly string[]): Promise<Map<string, ServiceView>> {
      const found = new Map<string, ServiceView>();
      for (let start = 0; start < names.length; start += CHUNK) {
        const chunk = names.slice(start, start + CHUNK);
        const out = await awsCall(
          `describe services ${chunk.join(',')} in cluster ${cluster}`,
          () => client.send(new DescribeServicesCommand({ cluster, services: [...chunk] })),
          ['ClusterNotFoundException'],
        ).catch((error: unknown) => {
          if (awsErrorCode(error) === 'ClusterNotFoundException') throw new EnvironmentNotFoundError(`describe services: cluster ${cluster} does not exist`, { cause: error });
          throw error;
        });
        // An INACTIVE service is a deleted one: for our decisions it does not exist.
        for (const service of out.services ?? []) if (service.status !== 'INACTIVE') found.set(service.serviceName ?? '', toView(service));
      }
      return found;
    },

    async describeService(name: string): Promise<ServiceView | undefined> {
      return (await this.describeServices([name])).get(name);
    },

    async latestTaskDefinition(family: string): Promise<ObservedTaskDefinition | undefined> {
      try {
        const out = await awsCall(`describe task definition ${family}`, () => client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })), [
          'ClientException',
        ]);
        const definition = out.taskDefinition;
        if (!definition?.taskDefinitionArn) return undefined;
        return {
          taskDefinitionArn: definition.taskDefinitionArn,
          networkMode: definition.networkMode,
          executionRoleArn: definition.executionRoleArn,
          taskRoleArn: definition.taskRoleArn,
          requiresCompatibilities: definition.requiresCompatibilities,
          cpu: definition.cpu,
          memory: definition.memory,
          containers: (definition.containerDefinitions ?? []).map((container) => ({
            name: container.name,
            image: container.image,
            memory: container.memory,
            cpu: container.cpu,
            containerPort: container.portMappings?.[0]?.containerPort,
            hostPort: container.portMappings?.[0]?.hostPort,
          })),
        };
      } catch (error) {
        // ECS answers ClientException "Unable to describe task definition" for a family never registered.
        if (awsErrorCode(error) === 'ClientException') return undefined;
        throw error;
      }
    },

    async registerTaskDefinition(spec: TaskDefinitionSpec): Promise<string> {
      const out = await awsCall(`register task definition ${spec.family}`, () => client.send(new RegisterTaskDefinitionCommand(spec)));
      return out.taskDefinition?.taskDefinitionArn ?? '';
    },

    async createService(spec: CreateServiceSpec): Promise<void> {
      await awsCall(`create service ${spec.serviceName} in cluster ${cluster}`, () =>
        client.send(
          new CreateServiceCommand({
            cluster,
            serviceName: spec.serviceName,
            taskDefinition: spec.taskDefinitionArn,
            desiredCount: spec.desiredCount,
            launchType: spec.launchType,
            clientToken: spec.clientToken,
            healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
            loadBalancers: [{ targetGroupArn: spec.targetGroupArn, containerName: spec.containerName, containerPort: spec.containerPort }],
            deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
            ...(spec.awsvpc
              ? { networkConfiguration: { awsvpcConfiguration: { subnets: spec.awsvpc.subnets, securityGroups: spec.awsvpc.securityGroups, assignPublicIp: 'DISABLED' } } }
              : {}),
          }),
        ),
      );
    },

    /** Returns the service deployment ECS started (service.currentServiceDeployment), when it names one. */
    async updateService(name: string, change: ServiceChange): Promise<string | undefined> {
      const lb = change.loadBalancer;
      const out = await awsCall(`update service ${name} in cluster ${cluster}`, () =>
        client.send(
          new UpdateServiceCommand({
            cluster,
            service: name,
            taskDefinition: change.taskDefinitionArn,
            desiredCount: change.desiredCount,
            healthCheckGracePeriodSeconds: change.healthCheckGracePeriodSeconds,
            ...(change.deployment ? { deploymentConfiguration: deploymentConfiguration(change.deployment) } : {}),
            ...(lb
              ? {
                  loadBalancers: [
                    {
                      targetGroupArn: lb.targetGroupArn,
                      containerName: lb.containerName,
                      containerPort: lb.containerPort,
                      ...(lb.advanced ? { advancedConfiguration: { ...lb.advanced } } : {}),
                    },
                  ],
                }
              : {}),
          }),
        ),
      );
      return out?.service?.currentServiceDeployment;
    },

    async serviceDeployment(arn: string): Promise<ServiceDeploymentView | undefined> {
      const out = await awsCall(`describe service deployment ${arn}`, () => client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })));
      const found = out.serviceDeployments?.[0];
      if (!found) return undefined;
      return {
        arn,
        status: found.status ?? 'PENDING',
        statusReason: found.statusReason,
        lifecycleStage: found.lifecycleStage,
        startedAt: found.startedAt?.toISOString(),
        triggeredAlarmNames: found.alarms?.triggeredAlarmNames ?? [],
        circuitBreakerTriggered: found.deploymentCircuitBreaker?.status === 'TRIGGERED',
        rolledBack: found.rollback !== undefined,
      };
    },

    /** StopServiceDeployment with ROLLBACK: ECS puts the production traffic back on the previous revision. */
    async rollBackServiceDeployment(arn: string): Promise<void> {
      await awsCall(`stop service deployment ${arn} (ROLLBACK)`, () => client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })));
    },

    async deleteService(name: string): Promise<void> {
      await awsCall(`delete service ${name} in cluster ${cluster}`, () => client.send(new DeleteServiceCommand({ cluster, service: name, force: true })));
    },
  };
}

export type EcsAdapter = ReturnType<typeof createEcsAdapter>;
