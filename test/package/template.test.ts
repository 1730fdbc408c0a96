import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchesEventPattern, type EventPattern } from '../../local/eventbridge/match-pattern';
import {
  actionsOf,
  allStatements,
  asList,
  loadTemplate,
  projectRoot,
  readFixtures,
  renderArn,
  resourcesOf,
  resourcesOfType,
  roleStatements,
  type CfnResource,
  type IamStatement,
} from './template-helpers';

/**
 * Checks the template that `npm run package:offline` (scripts/package-offline.sh) writes to .serverless/.
 * Expected values (cluster, listener, roles, manifests) are read from the template's own Lambda environment,
 * so the test follows the params and the service manifests instead of repeating them.
 */
const template = loadTemplate();

/** The workflow's steps: serverless.yml function name -> handler file. */
const STEPS: Record<string, string> = {
  startRollout: 'start-rollout',
  resolveRelease: 'resolve-release',
  recordPriorState: 'record-prior-state',
  registerTaskDefinition: 'register-task-definition',
  ensureTargetGroup: 'ensure-target-group',
  ensureListenerRule: 'ensure-listener-rule',
  deployService: 'deploy-service',
  checkServiceHealth: 'check-service-health',
  shiftTraffic: 'shift-traffic',
  startCutover: 'start-cutover',
  checkCutover: 'check-cutover',
  dropMonolithTraffic: 'drop-monolith-traffic',
  scaleMonolith: 'scale-monolith',
  checkDrained: 'check-drained',
  compensate: 'compensate',
};
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const lambdaId = (name: string) => `${pascal(name)}LambdaFunction`;

const ELB = (...actions: string[]) => actions.map((action) => `elasticloadbalancing:${action}`);

/** Exactly what each step may call (besides writing its own logs). A change here is an IAM review. */
const ACTIONS_BY_FUNCTION: Record<string, string[]> = {
  startRollout: ['sqs:SendMessage', 'states:DescribeExecution', 'states:StartExecution'],
  resolveRelease: ['ecr:DescribeImages', 'ecs:DescribeServices', 'ecs:DescribeTaskDefinition', ...ELB('DescribeRules', 'DescribeTargetGroups', 'DescribeTargetHealth'), 'cloudwatch:DescribeAlarms'],
  recordPriorState: ['ecs:DescribeServices', ...ELB('DescribeRules', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups')],
  registerTaskDefinition: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition', 'iam:PassRole'],
  ensureTargetGroup: ELB('CreateTargetGroup', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'ModifyTargetGroup', 'ModifyTargetGroupAttributes'),
  ensureListenerRule: ELB('CreateRule', 'DescribeRules', 'ModifyRule'),
  // iam:PassRole: the ECS infrastructure role of an update through ECS's own deployment strategies
  // DescribeRules: which path an update takes depends on the service's production rule
  deployService: ['ecs:CreateService', 'ecs:DescribeServices', 'ecs:UpdateService', 'iam:PassRole', ...ELB('DescribeRules')],
  // the bake gate reads the new group's metrics and the manifest's alarms (lib/runtime/bake-gate.ts); an ECS deployment is watched
  checkServiceHealth: ['ecs:DescribeServices', 'ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment', ...ELB('DescribeTargetHealth', 'DescribeRules'), 'cloudwatch:GetMetricData', 'cloudwatch:DescribeAlarms'],
  shiftTraffic: ELB('CreateRule', 'DescribeRules', 'ModifyRule'),
  startCutover: ['ecs:DescribeServices', 'states:DescribeExecution', 'states:StartExecution', ...ELB('DescribeRules', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'DescribeTargetHealth')],
  checkCutover: ['ecs:DescribeServices', ...ELB('DescribeRules', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'DescribeTargetHealth')],
  dropMonolithTraffic: ELB('DescribeRules', 'ModifyListener', 'ModifyRule'),
  scaleMonolith: ['ecs:DescribeServices', 'ecs:UpdateService'],
  checkDrained: ['ecs:DescribeServices', ...ELB('DescribeTargetHealth')],
  compensate: [
    'ecs:DeleteService',
    'ecs:DescribeServices',
    'ecs:UpdateService',
    // an update through ECS's own deployment that is still under way is rolled back by ECS
    'ecs:DescribeServiceDeployments',
    'ecs:StopServiceDeployment',
    ...ELB('DeleteRule', 'DeleteTargetGroup', 'DescribeRules', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'ModifyListener', 'ModifyRule', 'ModifyTargetGroup', 'ModifyTargetGroupAttributes'),
  ],
};

/**
 * Actions allowed on Resource "*": AWS offers no resource-level permissions for them (Service Authorization
 * Reference for ECS, ELBv2, CloudWatch Logs vended delivery and X-Ray, which serverless-step-functions adds).
 */
const ALLOWED_ON_ANY_RESOURCE = new Set([
  'ecs:RegisterTaskDefinition',
  'ecs:DescribeTaskDefinition',
  // No resource-level permissions (Service Authorization Reference, Amazon CloudWatch: GetMetricData has no resource type).
  'cloudwatch:GetMetricData',
  ...ELB('DescribeListeners', 'DescribeLoadBalancers', 'DescribeRules', 'DescribeTags', 'DescribeTargetGroupAttributes', 'DescribeTargetGroups', 'DescribeTargetHealth'),
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
]);

function lambda(name: string): CfnResource {
  const resource = template.Resources[lambdaId(name)];
  if (!resource) throw new Error(`no Lambda function ${lambdaId(name)} in the template`);
  return resource;
}
const environment = (name: string) =>
  ((lambda(name).Properties?.Environment as { Variables: Record<string, unknown> }).Variables);
const env = environment('resolveRelease');
const clusterName = env.CLUSTER_NAME as string;
const listenerArn = env.LISTENER_ARN as string;
// The manifests packaging read (the bundles carry them compiled in: lib/config/bundled-catalog.ts).
const manifests = loadCatalogFromDirectory(join(projectRoot, 'services')).services;

function roleOf(name: string): string {
  const role = lambda(name).Properties?.Role as { 'Fn::GetAtt': [string, string] };
  return role['Fn::GetAtt'][0];
}
const statementsOf = (name: string) => roleStatements(template, roleOf(name));
/** The statements of all Lambda roles that grant `action`, with the function they belong to. */
function grants(action: string): { fn: string; statement: IamStatement }[] {
  return Object.keys(STEPS).flatMap((fn) =>
    statementsOf(fn)
      .filter((statement) => actionsOf(statement).includes(action))
      .map((statement) => ({ fn, statement })),
  );
}

describe('packaged template: functions', () => {
  it('has one Lambda function per workflow step (and the starter) and no other', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id).sort();

    expect(functions).toEqual(Object.keys(STEPS).map(lambdaId).sort());
  });

  it.each(Object.entries(STEPS))('runs %s from functions/%s.ts on nodejs22.x', (name, file) => {
    expect(lambda(name).Properties).toMatchObject({ Handler: `functions/${file}.handler`, Runtime: 'nodejs22.x' });
  });

  it('gives every function its own role', () => {
    const roles = Object.keys(STEPS).map(roleOf);

    expect(new Set(roles).size).toBe(roles.length);
  });

  it('passes the configuration every handler reads at cold start', () => {
    for (const name of Object.keys(STEPS)) {
      expect(Object.keys(environment(name))).toEqual(
        expect.arrayContaining(['CLUSTER_NAME', 'LISTENER_ARN', 'VPC_ID', 'EXECUTION_ROLE_ARN', 'TASK_ROLE_ARN', 'CUTOVER_MODE']),
      );
      // The catalog is compiled into the bundle: in the environment it ran into Lambda's 4 KB limit at 9 services.
      expect(environment(name).SERVICE_CATALOG).toBeUndefined();
      // No Lambda touches the lock table: the state machines take and release locks themselves.
      expect(environment(name).LOCK_TABLE_NAME).toBeUndefined();
    }
    expect(environment('startRollout').STATE_MACHINE_ARN).toEqual({ Ref: 'RolloutStateMachine' });
    expect(environment('startCutover').CUTOVER_STATE_MACHINE_ARN).toEqual({ Ref: 'CutoverStateMachine' });
    expect(manifests.map((manifest) => manifest.repository).sort()).toEqual(['api', 'posts', 'threads', 'users']);
  });
});

describe.each([
  ['RolloutStateMachine', 'rollout'],
  ['CutoverStateMachine', 'cutover'],
])('packaged template: state machine %s', (logicalId, name) => {
  const stateMachine = template.Resources[logicalId];
  const properties = stateMachine?.Properties ?? {};
  const [definitionString, substitutions] = (properties.DefinitionString as { 'Fn::Sub': [string, Record<string, unknown>] })['Fn::Sub'];
  const definition = JSON.parse(definitionString) as { States: Record<string, { Type: string; Resource: string; Next?: string; Default?: string; Choices?: { Next: string }[]; Catch?: { Next: string }[]; Parameters?: { TableName?: string } }> };
  const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');

  it('is a STANDARD state machine logging errors without execution data to its log group', () => {
    expect(resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map(([id]) => id).sort()).toEqual(['CutoverStateMachine', 'RolloutStateMachine']);
    expect(properties.StateMachineType).toBe('STANDARD');
    expect(properties.LoggingConfiguration).toEqual({
      Level: 'ERROR',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [`${logicalId}LogGroup`, 'Arn'] } } }],
    });
    expect(template.Resources[`${logicalId}LogGroup`]?.Type).toBe('AWS::Logs::LogGroup');
  });

  it(`deploys statemachines/${name}.asl.yaml: every transition names a state of it`, () => {
    const names = new Set(Object.keys(definition.States));
    const targets = Object.values(definition.States).flatMap((state) => [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next), ...(state.Catch ?? []).map((c) => c.Next)]);
    expect(targets.filter((target): target is string => typeof target === 'string' && !names.has(target))).toEqual([]);
  });

  it('resolves every Lambda Task to one of the step functions and every lock write to the lock table; no placeholder is left', () => {
    const lambdaIds = new Set(Object.keys(STEPS).map(lambdaId));
    expect(tasks.length).toBeGreaterThan(0);
    expect(definitionString).not.toMatch(/FunctionArn\}|LockTableName\}/);
    for (const [state, task] of tasks) {
      if (task.Resource === 'arn:aws:states:::dynamodb:updateItem') {
        const key = /^\$\{([^}]+)\}$/.exec(task.Parameters?.TableName ?? '')?.[1] ?? '';
        expect({ state, table: substitutions[key] }).toEqual({ state, table: { Ref: 'RolloutLockTable' } });
        continue;
      }
      const key = /^\$\{([^}]+)\}$/.exec(task.Resource)?.[1] ?? '';
      const target = substitutions[key] as { 'Fn::GetAtt'?: [string, string] } | undefined;
      expect({ state, getAtt: target?.['Fn::GetAtt'] }).toEqual({ state, getAtt: [expect.any(String), 'Arn'] });
      expect(lambdaIds.has(target?.['Fn::GetAtt']?.[0] ?? '')).toBe(true);
    }
  });

  it('lets its role invoke exactly the functions its Tasks call, and update items of the lock table only', () => {
    const called = new Set(Object.values(substitutions).filter((value) => JSON.stringify(value).includes('LambdaFunction')).map((value) => renderArn(value)));
    const role = `${logicalId}Role`;
    const invokable = roleStatements(template, role).filter((s) => actionsOf(s).includes('lambda:InvokeFunction')).flatMap(resourcesOf).filter((arn) => !arn.endsWith(':*'));
    expect(new Set(invokable)).toEqual(called);
    const dynamodb = roleStatements(template, role).filter((s) => actionsOf(s).some((action) => action.startsWith('dynamodb:')));
    expect(dynamodb.flatMap(actionsOf).sort()).toEqual(['dynamodb:UpdateItem']);
    expect(JSON.stringify(dynamodb.map((s) => s.Resource))).toContain('RolloutLockTable');
  });
});

describe('packaged template: ECR push rule', () => {
  const rules = resourcesOfType(template, 'AWS::Events::Rule');
  const rule = rules[0]?.[1].Properties ?? {};
  const pattern = rule.EventPattern as EventPattern;
  const fixtures = join(projectRoot, 'test', 'fixtures', 'events');

  it('is the only rule and targets startRollout with a retry policy and a dead-letter queue', () => {
    expect(rules).toHaveLength(1);
    const [target, ...others] = rule.Targets as Record<string, unknown>[];

    expect(others).toEqual([]);
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': [lambdaId('startRollout'), 'Arn'] },
      RetryPolicy: { MaximumEventAgeInSeconds: expect.any(Number), MaximumRetryAttempts: expect.any(Number) },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['RolloutTriggerDeadLetterQueue', 'Arn'] } },
    });
    expect(template.Resources.RolloutTriggerDeadLetterQueue?.Type).toBe('AWS::SQS::Queue');
  });

  it('parks events that startRollout itself failed on in the same queue', () => {
    const [[, invokeConfig] = ['', undefined]] = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig');
    const send = statementsOf('startRollout').filter((statement) => actionsOf(statement).includes('sqs:SendMessage'));

    expect(invokeConfig?.Properties).toMatchObject({
      FunctionName: { Ref: lambdaId('startRollout') },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['RolloutTriggerDeadLetterQueue', 'Arn'] } } },
    });
    expect(send.flatMap((statement) => asList(statement.Resource))).toEqual([{ 'Fn::GetAtt': ['RolloutTriggerDeadLetterQueue', 'Arn'] }]);
  });

  it('lets EventBridge deliver to the dead-letter queue, for this rule only', () => {
    const policy = template.Resources.RolloutTriggerDeadLetterQueuePolicy?.Properties ?? {};
    const [statement] = asList((policy.PolicyDocument as { Statement: IamStatement[] }).Statement);

    expect(policy.Queues).toEqual([{ Ref: 'RolloutTriggerDeadLetterQueue' }]);
    expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage' });
    expect(renderArn(statement?.Condition?.ArnEquals?.['aws:SourceArn'])).toMatch(new RegExp(`:rule/${String(rule.Name)}$`));
  });

  it.each(readFixtures(fixtures))('matches the push event %s', (_name, event) => {
    expect(matchesEventPattern(pattern, event)).toBe(true);
  });

  it.each(readFixtures(join(fixtures, 'not-matching')))('does not match %s', (_name, event) => {
    expect(matchesEventPattern(pattern, event)).toBe(false);
  });

  it('matches only the tagged index of a buildx push, not its untagged platform manifests and attestation', () => {
    const matched = readFixtures(join(fixtures, 'buildx-push')).map(([name, event]) => [name, matchesEventPattern(pattern, event)]);

    expect(matched).toEqual([
      ['1-linux-amd64.json', false],
      ['2-linux-arm64.json', false],
      ['3-attestation.json', false],
      ['4-index-v2.json', true],
    ]);
  });
});

describe('packaged template: lock table', () => {
  it('is keyed by pk and pays per request, with no TTL (a lock item also carries what is live; leases end by condition)', () => {
    expect(template.Resources.RolloutLockTable).toMatchObject({
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      },
    });
    expect(template.Resources.RolloutLockTable?.Properties).not.toHaveProperty('TimeToLiveSpecification');
  });
});

describe('packaged template: least privilege', () => {
  const statements = allStatements(template);
  const clusterServices = `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/${clusterName}/*`;
  const clusterArn = `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:cluster/${clusterName}`;
  const listenerRules = `${listenerArn.replace(':listener/', ':listener-rule/')}/*`;

  it('allows no wildcard action anywhere ("*", "service:*" or a partial wildcard) and uses no NotAction', () => {
    const offending = statements
      .filter(({ statement }) => statement.Effect === 'Allow')
      .filter(({ statement }) => statement.NotAction !== undefined || actionsOf(statement).some((action) => action.includes('*')));

    expect(offending).toEqual([]);
  });

  it('names no wildcard action in any statement at all, Deny included (the deployment bucket policy spells its actions out)', () => {
    const wildcards = statements.filter(({ statement }) => actionsOf(statement).some((action) => action.includes('*')));

    expect(wildcards).toEqual([]);
  });

  it('still refuses plain-HTTP access to the deployment bucket', () => {
    const policy = template.Resources.ServerlessDeploymentBucketPolicy?.Properties?.PolicyDocument as { Statement: IamStatement[] } | undefined;
    const tlsOnly = policy?.Statement.find((statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': false } }));

    expect(actionsOf(tlsOnly as IamStatement)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject']));
  });

  it('puts only actions without resource-level permissions on Resource "*"', () => {
    const onAnyResource = statements
      .filter(({ statement }) => statement.Effect === 'Allow' && resourcesOf(statement).includes('*'))
      .flatMap(({ statement }) => actionsOf(statement));

    expect(onAnyResource.filter((action) => !ALLOWED_ON_ANY_RESOURCE.has(action))).toEqual([]);
  });

  it.each(Object.entries(ACTIONS_BY_FUNCTION))('grants %s exactly what its step calls', (name, expected) => {
    const actions = new Set(statementsOf(name).flatMap(actionsOf).filter((action) => !action.startsWith('logs:')));

    expect([...actions].sort()).toEqual([...expected].sort());
  });

  it('lets each function write only to its own log group', () => {
    for (const name of Object.keys(STEPS)) {
      const logs = statementsOf(name).filter((statement) => actionsOf(statement).some((action) => action.startsWith('logs:')));

      expect(logs.flatMap(resourcesOf)).toEqual([expect.stringContaining(`:log-group:/aws/lambda/${String(lambda(name).Properties?.FunctionName)}:`)]);
    }
  });

  it.each(['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices'])(
    'scopes %s to the cluster\'s services with an ecs:cluster condition',
    (action) => {
      const found = grants(action);

      expect(found.length).toBeGreaterThan(0);
      for (const { statement } of found) {
        expect(resourcesOf(statement)).toEqual([clusterServices]);
        expect(renderArn(statement.Condition?.ArnEquals?.['ecs:cluster'])).toBe(clusterArn);
      }
    },
  );

  it.each(['elasticloadbalancing:CreateRule', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:DeleteRule'])(
    'scopes %s to the configured listener and its rules',
    (action) => {
      const found = grants(action);

      expect(found.length).toBeGreaterThan(0);
      for (const { statement } of found) {
        expect(resourcesOf(statement).every((arn) => arn === listenerArn || arn === listenerRules)).toBe(true);
      }
    },
  );

  it('scopes elasticloadbalancing:ModifyListener to the configured listener', () => {
    const found = grants('elasticloadbalancing:ModifyListener');

    expect(found.length).toBeGreaterThan(0);
    for (const { statement } of found) expect(resourcesOf(statement)).toEqual([listenerArn]);
  });

  it.each([
    'elasticloadbalancing:CreateTargetGroup',
    'elasticloadbalancing:ModifyTargetGroup',
    'elasticloadbalancing:ModifyTargetGroupAttributes',
    'elasticloadbalancing:DeleteTargetGroup',
  ])('scopes %s to the manifests\' target group names and the microservices\' alternate groups', (action) => {
    const expected = manifests
      .flatMap((manifest) => (manifest.role === 'monolith' ? [manifest.targetGroupName] : [manifest.targetGroupName, `${manifest.targetGroupName}-g`]))
      .map((name) => `arn:\${AWS::Partition}:elasticloadbalancing:\${AWS::Region}:\${AWS::AccountId}:targetgroup/${name}/*`)
      .sort();
    const found = grants(action);

    expect(found.length).toBeGreaterThan(0);
    for (const { statement } of found) expect(resourcesOf(statement).sort()).toEqual(expected);
  });

  it.each(['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'])('grants %s to no Lambda (the state machines write the locks)', (action) => {
    expect(grants(action)).toEqual([]);
  });

  it('lets only startRollout start rollouts and only startCutover start cut-overs', () => {
    const found = grants('states:StartExecution');

    expect(found.map(({ fn, statement }) => [fn, asList(statement.Resource)])).toEqual([
      ['startRollout', [{ Ref: 'RolloutStateMachine' }]],
      ['startCutover', [{ Ref: 'CutoverStateMachine' }]],
    ]);
  });

  it('scopes ecr:DescribeImages to the manifests\' repositories', () => {
    const expected = manifests.map((manifest) => `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${manifest.repository}`).sort();

    for (const { statement } of grants('ecr:DescribeImages')) expect(resourcesOf(statement).sort()).toEqual(expected);
  });

  it('passes only the execution and task roles, to ECS tasks, and the ECS infrastructure role, to ECS', () => {
    const found = statements.filter(({ statement }) => actionsOf(statement).includes('iam:PassRole'));

    expect(found.map(({ owner }) => owner).sort()).toEqual([roleOf('registerTaskDefinition'), roleOf('deployService')].sort());
    for (const { statement, owner } of found) {
      expect(actionsOf(statement)).toEqual(['iam:PassRole']);
      if (owner === roleOf('registerTaskDefinition')) {
        expect(resourcesOf(statement).sort()).toEqual([env.EXECUTION_ROLE_ARN, env.TASK_ROLE_ARN].sort());
        expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
      } else {
        expect(resourcesOf(statement)).toEqual([env.ECS_INFRASTRUCTURE_ROLE_ARN]);
        expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } });
      }
    }
  });

  it.each(['ecs:DescribeServiceDeployments', 'ecs:StopServiceDeployment'])('scopes %s to the cluster\'s service deployments', (action) => {
    expect(grants(action).length).toBeGreaterThan(0);
    for (const { statement } of grants(action)) {
      expect(JSON.stringify(resourcesOf(statement))).toContain(`:service-deployment/${clusterName}/*`);
    }
  });
});

describe('packaging with a broken manifest', () => {
  it('fails, naming the manifest file, the field and the limit', () => {
    const workDir = mkdtempSync(join(tmpdir(), 'broken-manifest-'));
    try {
      const servicesDir = join(workDir, 'services');
      cpSync(join(projectRoot, 'services'), servicesDir, { recursive: true, filter: (source) => !source.includes('node_modules') });
      const manifest = join(servicesDir, 'posts', 'service.yml');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('timeoutSeconds: 5', 'timeoutSeconds: 6'));

      const result = spawnSync('bash', [join(projectRoot, 'scripts', 'package-offline.sh'), join(workDir, 'out')], {
        env: { ...process.env, ROLLOUT_SERVICES_DIR: servicesDir },
        encoding: 'utf8',
        timeout: 60_000,
      });

      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('ManifestError: invalid manifest services/posts/service.yml: healthCheck.timeoutSeconds');
      expect(result.stderr).toContain('timeoutSeconds must be smaller than intervalSeconds');
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
