/** ECS services: create (idempotent by clientToken), update (new deployments), describe, delete. */
import { deepClone } from '../clone';
import type {
  CreateServiceCommandInput, DeleteServiceCommandInput, DeploymentConfiguration, DescribeServicesCommandInput, Service, UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { EmulatorContext, ServiceRecord } from '../context';
import { ecsError } from '../errors';
import { addEvent, startDeployment } from '../runtime/deployments';
import { beginServiceDeployment } from '../runtime/service-deployments';
import type { DeploymentStrategyName } from '../runtime/service-deployment-types';
import { validateAdvancedConfigurations, validateDeploymentConfiguration } from './deployment-strategy';
import { gracePeriodSeconds } from './health-check-grace';
import { clusterName, findTaskDefinition, requireCluster } from './task-definitions';
import { toSdkService } from './service-shape';
import { validateLoadBalancers } from './service-validation';

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
// botocore ecs model: DescribeServices takes at most 10 services per call.
const MAX_DESCRIBE_SERVICES = 10;

function serviceName(reference: string): string {
  return reference.split('/').pop() ?? reference;
}

export function findService(ctx: EmulatorContext, clusterReference: string | undefined, reference: string | undefined): ServiceRecord | undefined {
  const cluster = requireCluster(ctx, clusterReference);
  return reference === undefined ? undefined : ctx.services.get(`arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.name}/${serviceName(reference)}`);
}

function resolveTaskDefinition(ctx: EmulatorContext, reference: string | undefined): string {
  const record = findTaskDefinition(ctx, reference);
  if (!record) throw ecsError('ClientException', 'TaskDefinition not found.');
  if (record.status !== 'ACTIVE') throw ecsError('ClientException', 'TaskDefinition is inactive');
  return record.arn;
}

/** The deployment configuration as DescribeServices answers it: the rolling defaults, the strategy fields as given. */
function withDefaults(configuration: DeploymentConfiguration | undefined): DeploymentConfiguration {
  const { strategy, bakeTimeInMinutes, canaryConfiguration, linearConfiguration, alarms } = configuration ?? {};
  return {
    maximumPercent: configuration?.maximumPercent ?? 200, minimumHealthyPercent: configuration?.minimumHealthyPercent ?? 100,
    deploymentCircuitBreaker: { enable: configuration?.deploymentCircuitBreaker?.enable ?? false, rollback: configuration?.deploymentCircuitBreaker?.rollback ?? false },
    ...(strategy !== undefined ? { strategy } : {}),
    ...(bakeTimeInMinutes !== undefined ? { bakeTimeInMinutes } : {}),
    ...(canaryConfiguration !== undefined ? { canaryConfiguration: deepClone(canaryConfiguration) } : {}),
    ...(linearConfiguration !== undefined ? { linearConfiguration: deepClone(linearConfiguration) } : {}),
    ...(alarms !== undefined ? { alarms: deepClone(alarms) } : {}),
  };
}

/** UpdateService changes the fields it is given; a new strategy drops the other strategy's configuration. */
function mergedConfiguration(current: DeploymentConfiguration, change: DeploymentConfiguration): DeploymentConfiguration {
  const merged: DeploymentConfiguration = { ...current, ...change };
  if (change.strategy !== undefined && change.strategy !== current.strategy) {
    if (change.canaryConfiguration === undefined) delete merged.canaryConfiguration;
    if (change.linearConfiguration === undefined) delete merged.linearConfiguration;
  }
  return merged;
}

const strategyOf = (configuration: DeploymentConfiguration): DeploymentStrategyName => configuration.strategy ?? 'ROLLING';

/** JSON with sorted keys: the same load balancers given in another key order are not a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (field && typeof field === 'object' && !Array.isArray(field)
    ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => a.localeCompare(b))) : field));
}

export function createService(ctx: EmulatorContext, input: CreateServiceCommandInput): { service: Service } {
  const cluster = requireCluster(ctx, input.cluster);
  const name = input.serviceName ?? '';
  if (!SERVICE_NAME.test(name)) throw ecsError('InvalidParameterException', `Invalid service name '${name}'.`);
  const taskDefinitionArn = resolveTaskDefinition(ctx, input.taskDefinition);
  const desiredCount = input.desiredCount ?? 0;
  if (!Number.isInteger(desiredCount) || desiredCount < 0) throw ecsError('InvalidParameterException', 'desiredCount must be a non-negative integer.');
  const loadBalancers = deepClone(input.loadBalancers ?? []);
  validateDeploymentConfiguration(input.deploymentConfiguration ?? {});
  const deploymentConfiguration = withDefaults(input.deploymentConfiguration);
  const healthCheckGracePeriodSeconds = gracePeriodSeconds(input.healthCheckGracePeriodSeconds);
  const fingerprint = JSON.stringify([taskDefinitionArn, desiredCount, loadBalancers, input.launchType, input.networkConfiguration, deploymentConfiguration, healthCheckGracePeriodSeconds]);
  const arn = `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.name}/${name}`;
  const existing = ctx.services.get(arn);
  if (existing?.status === 'ACTIVE') {
    if (input.clientToken !== undefined && existing.clientToken === input.clientToken && existing.fingerprint === fingerprint) return { service: toSdkService(ctx, existing) };
    throw ecsError('InvalidParameterException', 'Creation of service was not idempotent.');
  }
  if (existing?.status === 'DRAINING') throw ecsError('InvalidParameterException', 'Unable to Start a service that is still Draining.');
  validateLoadBalancers(ctx, taskDefinitionArn, loadBalancers, input.networkConfiguration);
  validateAdvancedConfigurations(ctx, loadBalancers, strategyOf(deploymentConfiguration));
  const service: ServiceRecord = {
    arn, name, clusterArn: cluster.arn, status: 'ACTIVE', taskDefinitionArn, desiredCount, launchType: input.launchType,
    networkConfiguration: deepClone(input.networkConfiguration), loadBalancers, deploymentConfiguration,
    createdAt: ctx.simulatedUntil, clientToken: input.clientToken, fingerprint, deployments: [], events: [], healthCheckGracePeriodSeconds,
    serviceDeployments: [],
  };
  ctx.services.set(arn, service);
  beginServiceDeployment(ctx, service, startDeployment(ctx, service, taskDefinitionArn));
  return { service: toSdkService(ctx, service) };
}

function requireActiveService(ctx: EmulatorContext, clusterReference: string | undefined, reference: string | undefined): ServiceRecord {
  const service = findService(ctx, clusterReference, reference);
  if (!service) throw ecsError('ServiceNotFoundException', 'Service not found.');
  if (service.status !== 'ACTIVE') throw ecsError('ServiceNotActiveException', 'Service was not ACTIVE.');
  return service;
}

export function updateService(ctx: EmulatorContext, input: UpdateServiceCommandInput): { service: Service } {
  const service = requireActiveService(ctx, input.cluster, input.service);
  const taskDefinitionArn = input.taskDefinition === undefined ? service.taskDefinitionArn : resolveTaskDefinition(ctx, input.taskDefinition);
  if (input.desiredCount !== undefined && (!Number.isInteger(input.desiredCount) || input.desiredCount < 0)) {
    throw ecsError('InvalidParameterException', 'desiredCount must be a non-negative integer.');
  }
  const healthCheckGracePeriodSeconds = gracePeriodSeconds(input.healthCheckGracePeriodSeconds);
  const deploymentConfiguration = input.deploymentConfiguration
    ? withDefaults(mergedConfiguration(service.deploymentConfiguration, input.deploymentConfiguration)) : service.deploymentConfiguration;
  if (input.deploymentConfiguration) validateDeploymentConfiguration(deploymentConfiguration);
  const loadBalancers = input.loadBalancers ? deepClone(input.loadBalancers) : service.loadBalancers;
  if (input.loadBalancers) validateLoadBalancers(ctx, taskDefinitionArn, loadBalancers, service.networkConfiguration);
  if (input.loadBalancers || input.deploymentConfiguration) validateAdvancedConfigurations(ctx, loadBalancers, strategyOf(deploymentConfiguration));
  service.deploymentConfiguration = deploymentConfiguration;
  // LoadBalancer (API reference): "When you add, update, or remove a load balancer configuration, Amazon ECS starts a
  // new deployment with the updated Elastic Load Balancing configuration."
  const loadBalancersChanged = canonical(loadBalancers) !== canonical(service.loadBalancers);
  service.loadBalancers = loadBalancers;
  // "This parameter doesn't trigger a new service deployment" (UpdateService API reference).
  if (healthCheckGracePeriodSeconds !== undefined) service.healthCheckGracePeriodSeconds = healthCheckGracePeriodSeconds;
  if (input.desiredCount !== undefined) {
    service.desiredCount = input.desiredCount;
    const primary = service.deployments[0];
    if (primary) primary.desiredCount = input.desiredCount;
  }
  if (taskDefinitionArn !== service.taskDefinitionArn || input.forceNewDeployment === true || loadBalancersChanged) {
    beginServiceDeployment(ctx, service, startDeployment(ctx, service, taskDefinitionArn));
  }
  return { service: toSdkService(ctx, service) };
}

export function describeServices(ctx: EmulatorContext, input: DescribeServicesCommandInput): { services: Service[]; failures: Array<{ arn: string; reason: string }> } {
  const references = input.services ?? [];
  if (references.length === 0 || references.length > MAX_DESCRIBE_SERVICES) {
    throw ecsError('InvalidParameterException', `services must contain between 1 and ${MAX_DESCRIBE_SERVICES} items.`);
  }
  const services: Service[] = [];
  const failures: Array<{ arn: string; reason: string }> = [];
  for (const reference of references) {
    const service = findService(ctx, input.cluster, reference);
    if (service) services.push(toSdkService(ctx, service));
    else failures.push({ arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${clusterName(input.cluster)}/${serviceName(reference)}`, reason: 'MISSING' });
  }
  return { services, failures };
}

export function deleteService(ctx: EmulatorContext, input: DeleteServiceCommandInput): { service: Service } {
  const service = findService(ctx, input.cluster, input.service);
  if (!service || service.status === 'INACTIVE') throw ecsError('ServiceNotFoundException', 'Service not found.');
  if (service.desiredCount > 0 && input.force !== true) throw ecsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
  service.status = 'DRAINING';
  service.desiredCount = 0;
  for (const deployment of service.deployments) deployment.desiredCount = 0;
  addEvent(ctx, service, `(service ${service.name}) has begun draining.`);
  return { service: toSdkService(ctx, service) };
}
