/** ECS operation table. */
import type * as Sdk from '@aws-sdk/client-ecs';
import type { EmulatorContext } from '../context';
import type { Handlers } from '../handlers';
import { describeServiceDeployments, listServiceDeployments, stopServiceDeployment } from './service-deployments';
import { createService, deleteService, describeServices, updateService } from './services';
import {
  createCluster, deregisterTaskDefinition, describeClusters, describeTaskDefinition, listTaskDefinitions, registerTaskDefinition,
} from './task-definitions';
import { describeTasks, listTasks } from './tasks';

export function ecsHandlers(ctx: EmulatorContext): Handlers {
  return {
    CreateCluster: (input: Sdk.CreateClusterCommandInput) => createCluster(ctx, input.clusterName),
    DescribeClusters: (input: Sdk.DescribeClustersCommandInput) => describeClusters(ctx, input.clusters),
    RegisterTaskDefinition: (input: Sdk.RegisterTaskDefinitionCommandInput) => registerTaskDefinition(ctx, input),
    DescribeTaskDefinition: (input: Sdk.DescribeTaskDefinitionCommandInput) => describeTaskDefinition(ctx, input.taskDefinition),
    ListTaskDefinitions: (input: Sdk.ListTaskDefinitionsCommandInput) => listTaskDefinitions(ctx, input),
    DeregisterTaskDefinition: (input: Sdk.DeregisterTaskDefinitionCommandInput) => deregisterTaskDefinition(ctx, input.taskDefinition),
    CreateService: (input: Sdk.CreateServiceCommandInput) => createService(ctx, input),
    UpdateService: (input: Sdk.UpdateServiceCommandInput) => updateService(ctx, input),
    DescribeServices: (input: Sdk.DescribeServicesCommandInput) => describeServices(ctx, input),
    DeleteService: (input: Sdk.DeleteServiceCommandInput) => deleteService(ctx, input),
    ListTasks: (input: Sdk.ListTasksCommandInput) => listTasks(ctx, input),
    DescribeTasks: (input: Sdk.DescribeTasksCommandInput) => describeTasks(ctx, input),
    DescribeServiceDeployments: (input: Sdk.DescribeServiceDeploymentsCommandInput) => describeServiceDeployments(ctx, input),
    ListServiceDeployments: (input: Sdk.ListServiceDeploymentsCommandInput) => listServiceDeployments(ctx, input),
    StopServiceDeployment: (input: Sdk.StopServiceDeploymentCommandInput) => stopServiceDeployment(ctx, input),
  };
}
