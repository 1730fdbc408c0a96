import { createHash } from 'node:crypto';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Catalog } from '../../lib/domain/catalog';
import { monolithOf } from '../../lib/domain/catalog';
import { accountRegionOf, ecrRegistry } from '../../lib/domain/image';
import { taskDefinitionSpec } from '../../lib/domain/task-definition';
import { targetGroupSpec } from '../../lib/domain/target-group';
import type { AwsEmulator } from '../emulator';

export interface SeededEnvironment {
  /** The tutorial's empty "drop-traffic" target group, when the cut-over forwards there instead of answering 503. */
  readonly dropTargetGroupArn?: string;
  readonly clusterName: string;
  readonly listenerArn: string;
  readonly vpcId: string;
  readonly executionRoleArn: string;
  readonly lockTableName: string;
}

export const TUTORIAL_CLUSTER = 'BreakTheMonolith-Demo';

/** What the tutorial's starting point may also have (`--seed FILE`): see seedTutorial. */
export interface SeedOptions {
  /** The tutorial's empty "drop-traffic" target group (the cut-over forwards there instead of answering 503). */
  readonly dropTargetGroup?: boolean;
  /** The monolith's target group has target stickiness on (lb_cookie, one day). */
  readonly monolithStickiness?: boolean;
  /** The listener is HTTPS :443 and its default action and the /api* rule authenticate with OIDC first. */
  readonly authenticate?: boolean;
}

/** The IdP of the `authenticate` seed (an OIDC provider the ALB would redirect to; nothing here calls it). */
export const SEED_OIDC = {
  Issuer: 'https://idp.example.com',
  AuthorizationEndpoint: 'https://idp.example.com/oauth2/authorize',
  TokenEndpoint: 'https://idp.example.com/oauth2/token',
  UserInfoEndpoint: 'https://idp.example.com/oauth2/userinfo',
  ClientId: 'rollout-tutorial',
  ClientSecret: 'tutorial-client-secret',
  OnUnauthenticatedRequest: 'authenticate',
} as const;
export const LOCK_TABLE = 'rollout-locks';

/** A stable fake digest per name, so runs are reproducible: sha256 of the label, as hex. */
export function digestFor(label: string): string {
  return `sha256:${createHash('sha256').update(label).digest('hex')}`;
}

/**
 * The tutorial's starting point, made through the same SDK calls a person would make: a VPC, an ALB
 * with a listener on :80 whose default action and an /api* rule (priority 99) forward to the monolith's
 * target group, a cluster, and the monolith service running. The caller advances time until it is healthy.
 * `options` adds what a real starting point may have: target stickiness on the monolith's group, an
 * OIDC login in front of everything (an HTTPS listener), the tutorial's empty drop-traffic group.
 */
export async function seedTutorial(
  emulator: AwsEmulator,
  catalog: Catalog,
  accountId: string,
  options: SeedOptions = {},
): Promise<SeededEnvironment> {
  const { ecs, elbv2, dynamodb } = emulator.clients();
  const monolith = monolithOf(catalog);
  if (!monolith) throw new Error('seed tutorial: services/ has no monolith manifest');
  const vpcId = emulator.createVpc('10.0.0.0/16');
  const subnets = [emulator.createSubnet(vpcId), emulator.createSubnet(vpcId)];
  const executionRoleArn = `arn:aws:iam::${accountId}:role/ecsTaskExecutionRole`;

  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: 'demo', Subnets: subnets, Type: 'application', Scheme: 'internet-facing' }));
  const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const group = await elbv2.send(new CreateTargetGroupCommand(targetGroupSpec(monolith, vpcId)));
  const monolithGroupArn = group.TargetGroups?.[0]?.TargetGroupArn ?? '';
  await elbv2.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: monolithGroupArn,
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: String(monolith.deregistrationDelaySeconds) },
        ...(options.monolithStickiness ? [{ Key: 'stickiness.enabled', Value: 'true' }, { Key: 'stickiness.type', Value: 'lb_cookie' }, { Key: 'stickiness.lb_cookie.duration_seconds', Value: '86400' }] : []),
      ],
    }),
  );
  // ALB authenticates only on HTTPS listeners: with `authenticate` the listener is :443 with a certificate.
  const forwardToMonolith: Action[] = options.authenticate
    ? [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...SEED_OIDC } }, { Type: 'forward', Order: 2, TargetGroupArn: monolithGroupArn }]
    : [{ Type: 'forward', TargetGroupArn: monolithGroupArn }];
  const protocol = options.authenticate
    ? { Protocol: 'HTTPS' as const, Port: 443, Certificates: [{ CertificateArn: `arn:aws:acm:us-east-1:${accountId}:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b` }] }
    : { Protocol: 'HTTP' as const, Port: 80 };
  const listener = await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, ...protocol, DefaultActions: forwardToMonolith }));
  const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
  await elbv2.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: monolith.priority,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [...monolith.paths] } }],
      Actions: forwardToMonolith,
    }),
  );

  await ecs.send(new CreateClusterCommand({ clusterName: TUTORIAL_CLUSTER }));
  const digest = digestFor(`${monolith.repository}:v1`);
  emulator.pushImage(monolith.repository, digest, 'v1');
  const image = `${ecrRegistry(accountId, accountRegionOf(listenerArn).region)}/${monolith.repository}@${digest}`;
  const taskDefinition = await ecs.send(new RegisterTaskDefinitionCommand(taskDefinitionSpec(monolith, image, { executionRoleArn })));
  await ecs.send(
    new CreateServiceCommand({
      cluster: TUTORIAL_CLUSTER,
      serviceName: monolith.name,
      taskDefinition: taskDefinition.taskDefinition?.taskDefinitionArn,
      desiredCount: monolith.desiredCount,
      launchType: monolith.launchType,
      loadBalancers: [{ targetGroupArn: monolithGroupArn, containerName: monolith.name, containerPort: monolith.containerPort }],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
    }),
  );
  await dynamodb.send(
    new CreateTableCommand({
      TableName: LOCK_TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  let dropTargetGroupArn: string | undefined;
  if (options.dropTargetGroup) {
    // The tutorial's cut-over target: a group no task ever registers in, so the ALB answers 503.
    const drop = await elbv2.send(new CreateTargetGroupCommand({ Name: 'drop-traffic', Protocol: 'HTTP', Port: 80, VpcId: vpcId }));
    dropTargetGroupArn = drop.TargetGroups?.[0]?.TargetGroupArn;
  }
  return { clusterName: TUTORIAL_CLUSTER, listenerArn, vpcId, executionRoleArn, lockTableName: LOCK_TABLE, ...(dropTargetGroupArn ? { dropTargetGroupArn } : {}) };
}
