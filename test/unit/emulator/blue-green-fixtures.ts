/**
 * Set-up for ECS blue/green, canary and linear deployments: the tutorial's ALB, two posts target groups (blue and
 * green), a production rule for /api/posts* forwarding to both (weights 1 / 0, as the migration guide asks), a
 * cluster with two task definitions, and readers for the rule's weights and the service deployments.
 */
import {
  CreateServiceCommand, DescribeServiceDeploymentsCommand, DescribeServicesCommand, ListServiceDeploymentsCommand, UpdateServiceCommand,
  type CreateServiceCommandInput, type DeploymentConfiguration, type ServiceDeployment, type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import { CreateRuleCommand, DescribeRulesCommand, DescribeTargetHealthCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { albWithListener, clusterWithTaskDefinitions, createTargetGroup } from './fixtures';

export const MINUTE = 60_000;
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers';
export const V1 = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:1111';
export const V2 = '123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@sha256:2222';
/** ECS answers this when the rule does not forward to both groups (developer guide, migration from CodeDeploy). */
export const INVALID_NETWORKING =
  'Service deployment rolled back because of invalid networking configuration. Both targetGroup and alternateTargetGroup must be associated with the productionListenerRule or testListenerRule.';

export const forwardTo = (groups: Array<[string, number]>): Action[] => [{ Type: 'forward', ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } }];

export async function blueGreenSetup(options: { productionActions?: (blue: string, green: string) => Action[] } = {}) {
  const alb = await albWithListener();
  const blueArn = await createTargetGroup(alb.emulator, alb.vpcId, 'posts-blue');
  const greenArn = await createTargetGroup(alb.emulator, alb.vpcId, 'posts-green');
  const { Rules } = await alb.clients.elbv2.send(new CreateRuleCommand({
    ListenerArn: alb.listenerArn, Priority: 1, Conditions: [{ Field: 'path-pattern', Values: ['/api/posts*'] }],
    Actions: options.productionActions?.(blueArn, greenArn) ?? forwardTo([[blueArn, 1], [greenArn, 0]]),
  }));
  const ruleArn = Rules?.[0]?.RuleArn ?? '';
  const [v1 = '', v2 = ''] = await clusterWithTaskDefinitions(alb.emulator, [V1, V2]);
  const names = new Map([[blueArn, 'blue'], [greenArn, 'green'], [alb.monolithTargetGroupArn, 'api']]);
  const { ecs, elbv2 } = alb.clients;

  /** The rule's forward weights by group: { blue, green }. */
  const weights = async (arn = ruleArn): Promise<Record<string, number>> => {
    const rule = (await elbv2.send(new DescribeRulesCommand({ RuleArns: [arn] }))).Rules?.[0];
    const groups = rule?.Actions?.find((action) => action.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
    const byName: Record<string, number> = {};
    for (const group of groups) byName[names.get(group.TargetGroupArn ?? '') ?? group.TargetGroupArn ?? ''] = group.Weight ?? 1;
    return byName;
  };
  const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['posts'] }))).services?.[0];
  const deployment = async (arn?: string): Promise<ServiceDeployment | undefined> => {
    const current = arn ?? (await service())?.currentServiceDeployment ?? '';
    return (await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [current] }))).serviceDeployments?.[0];
  };
  const list = async (status?: ServiceDeploymentStatus[]) =>
    (await ecs.send(new ListServiceDeploymentsCommand({ cluster: 'demo', service: 'posts', ...(status ? { status } : {}) }))).serviceDeployments ?? [];
  const targetStates = async (groupArn: string) =>
    ((await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: groupArn }))).TargetHealthDescriptions ?? []).map((entry) => entry.TargetHealth?.State).sort();

  const serviceInput = (deploymentConfiguration: DeploymentConfiguration, overrides: Partial<CreateServiceCommandInput> = {}): CreateServiceCommandInput => ({
    cluster: 'demo', serviceName: 'posts', taskDefinition: v1, desiredCount: 2,
    loadBalancers: [{
      targetGroupArn: blueArn, containerName: 'posts', containerPort: 3000,
      advancedConfiguration: { alternateTargetGroupArn: greenArn, productionListenerRule: ruleArn, roleArn: ROLE_ARN },
    }],
    deploymentConfiguration, ...overrides,
  });
  const createService = async (deploymentConfiguration: DeploymentConfiguration, overrides: Partial<CreateServiceCommandInput> = {}) =>
    (await ecs.send(new CreateServiceCommand(serviceInput(deploymentConfiguration, overrides)))).service;
  /** Creates the service with a plain rolling deployment and waits until it is steady on v1 in the blue group. */
  const rollingServiceOnBlue = async () => {
    await ecs.send(new CreateServiceCommand({ ...serviceInput({}), loadBalancers: [{ targetGroupArn: blueArn, containerName: 'posts', containerPort: 3000 }] }));
    alb.emulator.advance(MINUTE);
  };
  /** UpdateService to v2 with `deploymentConfiguration` and the advanced configuration; returns the new deployment's ARN. */
  const deployV2 = async (deploymentConfiguration?: DeploymentConfiguration) => {
    const { service: updated } = await ecs.send(new UpdateServiceCommand({
      cluster: 'demo', service: 'posts', taskDefinition: v2, ...(deploymentConfiguration ? { deploymentConfiguration } : {}),
      loadBalancers: serviceInput({}).loadBalancers,
    }));
    return updated?.currentServiceDeployment ?? '';
  };
  return { ...alb, blueArn, greenArn, ruleArn, v1, v2, weights, service, deployment, list, targetStates, serviceInput, createService, rollingServiceOnBlue, deployV2 };
}
