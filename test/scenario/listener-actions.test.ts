/**
 * Listener actions carried whole (issue 8, item 2): on a listener whose actions authenticate (OIDC, Cognito) and whose
 * monolith group is sticky, migrations, updates and failures at each mutating step end with every authentication
 * action and stickiness setting exactly as it was, or as the rollout intends; compensation writes back what
 * DescribeRules / DescribeListeners answered before, byte for byte.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRuleCommand, DescribeListenersCommand, DescribeRulesCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand,
  ModifyListenerCommand, ModifyRuleCommand, type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { findByName, microservicesOf } from '../../lib/domain/catalog';
import type { FaultRule } from '../../local/emulator';
import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport } from '../../local/runner/report';
import { pushEvent, runScenario, ScenarioError } from '../../local/runner/scenario';
import { digestFor, SEED_OIDC } from '../../local/runner/seed-tutorial';
import { verifyMigration } from '../../local/runner/verify-migration';
import { cutoverName, fixture } from './helpers';

const MICROSERVICES = ['posts', 'users', 'threads'] as const;
const COGNITO: Action = {
  Type: 'authenticate-cognito',
  Order: 1,
  AuthenticateCognitoConfig: { UserPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Tutorial', UserPoolClientId: 'tutorial-app', UserPoolDomain: 'tutorial-login' },
};

/** The listener exactly as AWS answers it: DescribeListeners' default actions and DescribeRules' rules. */
async function listenerAsAnswered(pipeline: LocalPipeline) {
  const { elbv2 } = pipeline.emulator.clients();
  const [listeners, rules] = await Promise.all([
    elbv2.send(new DescribeListenersCommand({ ListenerArns: [pipeline.config.listenerArn] })),
    elbv2.send(new DescribeRulesCommand({ ListenerArn: pipeline.config.listenerArn })),
  ]);
  return { defaultActions: listeners.Listeners?.[0]?.DefaultActions ?? [], rules: rules.Rules ?? [] };
}

type Answered = Awaited<ReturnType<typeof listenerAsAnswered>>;
const actionsAt = (answered: Answered, priority: string) => answered.rules.find((rule) => rule.Priority === priority)?.Actions ?? [];

async function groupArn(pipeline: LocalPipeline, name: string): Promise<string> {
  const { TargetGroups } = await pipeline.emulator.clients().elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  return TargetGroups?.[0]?.TargetGroupArn ?? '';
}

async function attribute(pipeline: LocalPipeline, name: string, key: string): Promise<string | undefined> {
  const { Attributes } = await pipeline.emulator.clients().elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: await groupArn(pipeline, name) }));
  return Attributes?.find((candidate) => candidate.Key === key)?.Value;
}

async function push(pipeline: LocalPipeline, service: string, tag: string, time: string) {
  const delivery = await pipeline.deliver(`${service} ${tag}`, pushEvent(service, tag, time));
  await pipeline.settle();
  return executionReport(delivery, pipeline.sfn.executions.values());
}

/**
 * What ClientSecretUnavailableError asks for: each service's rule made by hand at its priority, behind the same OIDC
 * login (with its client secret, which only the operator has), forwarding to the monolith.
 */
async function rulesByHand(pipeline: LocalPipeline): Promise<void> {
  const monolith = await groupArn(pipeline, 'api');
  for (const manifest of microservicesOf(pipeline.catalog)) {
    await pipeline.emulator.clients().elbv2.send(new CreateRuleCommand({
      ListenerArn: pipeline.config.listenerArn,
      Priority: manifest.priority,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [...manifest.paths] } }],
      Actions: [{ Type: 'authenticate-oidc', Order: 1, AuthenticateOidcConfig: { ...SEED_OIDC } }, { Type: 'forward', Order: 2, TargetGroupArn: monolith }],
    }));
  }
}

/** The tutorial behind OIDC with a sticky monolith, and the service rules made by hand. */
async function preparedOidc(): Promise<LocalPipeline> {
  const pipeline = await LocalPipeline.tutorial({ authenticate: true, monolithStickiness: true });
  await rulesByHand(pipeline);
  return pipeline;
}

/** The tutorial behind a Cognito login (no secret in the action: the pipeline can create rules itself), monolith sticky. */
async function cognitoListener(): Promise<LocalPipeline> {
  const pipeline = await LocalPipeline.tutorial({ authenticate: true, monolithStickiness: true });
  const { elbv2 } = pipeline.emulator.clients();
  const answered = await listenerAsAnswered(pipeline);
  const swap = (actions: Action[]) => actions.map((action) => (action.Type === 'authenticate-oidc' ? COGNITO : action));
  await elbv2.send(new ModifyListenerCommand({ ListenerArn: pipeline.config.listenerArn, DefaultActions: swap(answered.defaultActions) }));
  await elbv2.send(new ModifyRuleCommand({ RuleArn: answered.rules.find((rule) => rule.Priority === '99')?.RuleArn, Actions: swap(actionsAt(answered, '99')) }));
  return pipeline;
}

async function migrate(pipeline: LocalPipeline) {
  const reports = [];
  for (const [index, name] of MICROSERVICES.entries()) reports.push(await push(pipeline, name, 'v1', `2026-11-26T09:0${index}:00Z`));
  return reports;
}

describe('scenario: listener actions carried whole', () => {
  it('refuses a first rollout behind OIDC it could not create a rule for, changing nothing at all', async () => {
    const pipeline = await LocalPipeline.tutorial({ authenticate: true, monolithStickiness: true });
    try {
      const before = await listenerAsAnswered(pipeline);

      const posts = await push(pipeline, 'posts', 'v1', '2026-11-26T09:00:00Z');

      expect(posts).toMatchObject({ status: 'FAILED', error: 'ClientSecretUnavailableError', states: ['Resolve release', 'Rollout failed'] });
      expect(posts.cause).toMatch(/rule .* at priority 99, which authenticates with authenticate-oidc \(issuer https:\/\/idp\.example\.com, client rollout-tutorial\).*nothing was changed$/);
      expect(await listenerAsAnswered(pipeline)).toEqual(before);
      expect(JSON.stringify(before)).not.toContain(SEED_OIDC.ClientSecret);
    } finally {
      pipeline.dispose();
    }
  });

  it('migrates behind OIDC once the service rules exist: every path still logs in first, the monolith’s paths answer 503 after the login', async () => {
    const pipeline = await preparedOidc();
    try {
      const before = await listenerAsAnswered(pipeline);
      const login = before.defaultActions[0];

      const reports = await migrate(pipeline);
      const after = await listenerAsAnswered(pipeline);

      expect(reports.map((report) => report.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      expect(reports[2]?.children).toEqual([expect.objectContaining({ name: expect.stringMatching(cutoverName(1)), status: 'SUCCEEDED' })]);
      expect(login).toMatchObject({ Type: 'authenticate-oidc', Order: 1 });
      expect(after.defaultActions).toEqual([login, expect.objectContaining({ Type: 'fixed-response', Order: 2, FixedResponseConfig: expect.objectContaining({ StatusCode: '503' }) })]);
      expect(actionsAt(after, '99')).toEqual(after.defaultActions);
      for (const name of MICROSERVICES) {
        const manifest = findByName(pipeline.catalog, name);
        const serviceGroup = await groupArn(pipeline, name);
        const alternateGroup = await groupArn(pipeline, `${name}-g`);
        expect(actionsAt(after, String(manifest?.priority))).toEqual([
          login,
          // The weight-0 stage listed the sticky monolith beside the new group: group stickiness went on and stays.
          // The alternate group rides at 0 (ECS's blue/green shape; behind authenticate, an update still rolls and bakes).
          {
            Type: 'forward',
            Order: 2,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: serviceGroup, Weight: 1 },
                { TargetGroupArn: alternateGroup, Weight: 0 },
              ],
              TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 86400 },
            },
          },
        ]);
      }
      expect(await attribute(pipeline, 'api', 'stickiness.enabled')).toBe('true');
      expect(verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn)).toEqual({ ok: true, findings: [] });
    } finally {
      pipeline.dispose();
    }
  });

  it('creates the service rules itself behind a Cognito login, in place, and an update changes no action', async () => {
    const pipeline = await cognitoListener();
    try {
      const reports = await migrate(pipeline);
      const migrated = await listenerAsAnswered(pipeline);
      const update = await push(pipeline, 'posts', 'v2', '2026-11-26T10:00:00Z');

      expect([...reports, update].map((report) => report.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      const login = migrated.defaultActions[0];
      expect(login).toMatchObject({ ...COGNITO, AuthenticateCognitoConfig: { ...COGNITO.AuthenticateCognitoConfig, OnUnauthenticatedRequest: 'authenticate' } });
      for (const rule of migrated.rules) expect(rule.Actions?.[0]).toEqual(login);
      expect(await listenerAsAnswered(pipeline)).toEqual(migrated);
    } finally {
      pipeline.dispose();
    }
  });

  it.each<[string, FaultRule | 'unhealthy', string, boolean]>([
    ['CreateTargetGroup fails (before the rule changes)', { operation: 'CreateTargetGroup', kind: 'permanent' }, 'Ensure target group', false],
    ['ModifyRule fails (Ensure listener rule)', { operation: 'ModifyRule', kind: 'permanent' }, 'Ensure listener rule', false],
    ['CreateService fails (after the rule carries the new group at weight 0)', { operation: 'CreateService', kind: 'permanent' }, 'Deploy service', true],
    ['the new image never turns healthy (health gate)', 'unhealthy', 'Check service health', true],
  ])('behind OIDC, a first rollout where %s is compensated to the listener exactly as AWS answered it before', async (_case, fault, failedState, ruleChanged) => {
    const pipeline = await preparedOidc();
    try {
      const before = await listenerAsAnswered(pipeline);
      if (fault === 'unhealthy') pipeline.emulator.markImageUnhealthy(digestFor('posts:v1'));
      else pipeline.injectFault(fault);

      const posts = await push(pipeline, 'posts', 'v1', '2026-11-26T09:00:00Z');

      expect(posts.status).toBe('FAILED');
      expect(posts.states[posts.states.indexOf('Compensate') - 1]).toBe(failedState);
      // The rule was changed (the new group at weight 0 behind the login) and is written back as it was read.
      expect(posts.cause?.includes('rule /api/posts* restored to its previous actions')).toBe(ruleChanged);
      expect(await listenerAsAnswered(pipeline)).toEqual(before);
    } finally {
      pipeline.dispose();
    }
  });

  it.each<[string, () => Promise<LocalPipeline>]>([
    ['a sticky monolith (the rule was created with group stickiness)', () => LocalPipeline.tutorial({ monolithStickiness: true })],
    ['a Cognito login and a sticky monolith', cognitoListener],
  ])('with %s, a failed traffic shift removes the rule it created and leaves every other action as answered before', async (_case, start) => {
    const pipeline = await start();
    try {
      const before = await listenerAsAnswered(pipeline);
      // Ensure listener rule creates the rule (CreateRule); the first ModifyRule is the shift.
      pipeline.injectFault({ operation: 'ModifyRule', kind: 'permanent' });

      const posts = await push(pipeline, 'posts', 'v1', '2026-11-26T09:00:00Z');

      expect(posts).toMatchObject({ status: 'FAILED', error: 'AwsRequestError' });
      expect(posts.states[posts.states.indexOf('Compensate') - 1]).toBe('Shift traffic');
      expect(await listenerAsAnswered(pipeline)).toEqual(before);
    } finally {
      pipeline.dispose();
    }
  });

  it.each<[string, FaultRule]>([
    ['ModifyListener fails after /api* went to 503', { operation: 'ModifyListener', kind: 'permanent' }],
    ['UpdateService fails after both actions went to 503', { operation: 'UpdateService', kind: 'permanent' }],
  ])('behind OIDC, a cut-over where %s puts the monolith’s actions back exactly as answered before', async (_case, fault) => {
    const pipeline = await preparedOidc();
    try {
      await push(pipeline, 'posts', 'v1', '2026-11-26T09:00:00Z');
      await push(pipeline, 'users', 'v1', '2026-11-26T09:01:00Z');
      const before = await listenerAsAnswered(pipeline);
      pipeline.injectFault(fault);

      const threads = await push(pipeline, 'threads', 'v1', '2026-11-26T09:02:00Z');
      const after = await listenerAsAnswered(pipeline);

      expect(threads.status).toBe('SUCCEEDED');
      expect(threads.children).toEqual([expect.objectContaining({ status: 'FAILED', states: expect.arrayContaining(['Drop monolith traffic', 'Compensate']) })]);
      expect(after.defaultActions).toEqual(before.defaultActions);
      expect(actionsAt(after, '99')).toEqual(actionsAt(before, '99'));
      expect(actionsAt(after, '3')[0]).toEqual(before.defaultActions[0]);
    } finally {
      pipeline.dispose();
    }
  });
});

describe('scenario: the seed options through `rollout simulate`', () => {
  const seedFile = (content: object) => {
    const path = join(mkdtempSync(join(tmpdir(), 'rollout-seed-')), 'seed.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('reports the full ELBv2 actions, never a client secret, and refuses the OIDC push by name', async () => {
    const report = await runScenario([fixture('push-posts-v1')], { seed: seedFile({ authenticate: true, monolithStickiness: true }) });

    expect(report.executions[0]).toMatchObject({ status: 'FAILED', error: 'ClientSecretUnavailableError' });
    expect(report.state.listener.defaultActions).toEqual([
      {
        Type: 'authenticate-oidc',
        Order: 1,
        AuthenticateOidcConfig: {
          Issuer: SEED_OIDC.Issuer, AuthorizationEndpoint: SEED_OIDC.AuthorizationEndpoint, TokenEndpoint: SEED_OIDC.TokenEndpoint,
          UserInfoEndpoint: SEED_OIDC.UserInfoEndpoint, ClientId: SEED_OIDC.ClientId,
          SessionCookieName: 'AWSELBAuthSessionCookie', Scope: 'openid', SessionTimeout: 604800, OnUnauthenticatedRequest: 'authenticate',
        },
      },
      {
        Type: 'forward',
        TargetGroupArn: expect.stringContaining(':targetgroup/api/'),
        Order: 2,
        ForwardConfig: { TargetGroups: [{ TargetGroupArn: expect.stringContaining(':targetgroup/api/'), Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
      },
    ]);
    expect(JSON.stringify(report)).not.toContain(SEED_OIDC.ClientSecret);
  });

  it('migrates the tutorial with a sticky monolith from a seed file', async () => {
    const report = await runScenario(['push-posts-v1', 'push-users-v1', 'push-threads-v1'].map((name) => fixture(name as 'push-posts-v1')), { seed: seedFile({ monolithStickiness: true }) });

    expect(report.executions.map((execution) => execution.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(report.state.listener.rules.find((rule) => rule.priority === 1)?.actions[0]?.ForwardConfig?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 86400 });
  });

  it('refuses a seed file with an unknown option before anything runs', async () => {
    await expect(runScenario([fixture('push-posts-v1')], { seed: seedFile({ authenticated: true }) })).rejects.toThrow(ScenarioError);
  });
});
