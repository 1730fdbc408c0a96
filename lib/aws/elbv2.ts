import {
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type Action,
  type ElasticLoadBalancingV2Client,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { EnvironmentNotFoundError } from '../errors';
import type { RuleAction } from '../domain/release';
import type { ObservedRule } from '../domain/routing';
import type { ObservedTargetGroup, TargetGroupSpec } from '../domain/target-group';
import type { TargetCounts } from '../domain/health';
import { awsCall, awsErrorCode } from './aws-call';

function toObservedRule(rule: Rule): ObservedRule {
  const conditions = rule.Conditions ?? [];
  const paths = conditions
    .filter((condition) => condition.Field === 'path-pattern')
    .flatMap((condition) => condition.PathPatternConfig?.Values ?? condition.Values ?? []);
  return {
    ruleArn: rule.RuleArn ?? '',
    priority: rule.IsDefault || rule.Priority === 'default' ? 'default' : Number(rule.Priority),
    paths: [...new Set(paths)],
    otherConditions: conditions.some((condition) => condition.Field !== 'path-pattern'),
    // Whole, as AWS answered them: what compensation restores is exactly what was read.
    actions: structuredClone(rule.Actions ?? []) as RuleAction[],
  };
}

/**
 * Actions as a write sends them. Describe* never answers an OIDC action's client secret, and a write must then say
 * UseExistingClientSecret (API reference, AuthenticateOidcActionConfig): the rule or listener keeps its own secret.
 */
export function actionsForWrite(actions: readonly RuleAction[]): Action[] {
  return actions.map((action) => {
    const oidc = action.AuthenticateOidcConfig;
    if (!oidc || oidc.ClientSecret || oidc.UseExistingClientSecret) return structuredClone(action) as Action;
    return { ...structuredClone(action), AuthenticateOidcConfig: { ...structuredClone(oidc), UseExistingClientSecret: true } } as Action;
  });
}

const DEREGISTRATION_DELAY = 'deregistration_delay.timeout_seconds';

export function deregistrationDelayOf(attributes: Readonly<Record<string, string>>): number | undefined {
  const value = attributes[DEREGISTRATION_DELAY];
  return value === undefined ? undefined : Number(value);
}

/** ELBv2 adapter: the only code that builds ELBv2 commands. */
export function createElbAdapter(client: ElasticLoadBalancingV2Client) {
  /** Every attribute of the group, by key (deregistration delay, stickiness, …). */
  async function targetGroupAttributes(targetGroupArn: string): Promise<Record<string, string>> {
    const out = await awsCall(`describe attributes of target group ${targetGroupArn}`, () =>
      client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn })),
    );
    return Object.fromEntries((out.Attributes ?? []).flatMap(({ Key, Value }) => (Key !== undefined && Value !== undefined ? [[Key, Value]] : [])));
  }

  return {
    async listenerRules(listenerArn: string): Promise<ObservedRule[]> {
      const rules: ObservedRule[] = [];
      let marker: string | undefined;
      do {
        const page = await awsCall(
          `describe rules of listener ${listenerArn}`,
          () => client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker, PageSize: 400 })),
          ['ListenerNotFoundException'],
        ).catch((error: unknown) => {
          if (awsErrorCode(error) === 'ListenerNotFoundException') {
            throw new EnvironmentNotFoundError(`describe rules: listener ${listenerArn} does not exist`, { cause: error });
          }
          throw error;
        });
        rules.push(...(page.Rules ?? []).map(toObservedRule));
        marker = page.NextMarker;
      } while (marker);
      return rules;
    },

    async findTargetGroup(name: string): Promise<ObservedTargetGroup | undefined> {
      try {
        const out = await awsCall(`describe target group ${name}`, () => client.send(new DescribeTargetGroupsCommand({ Names: [name] })), ['TargetGroupNotFoundException']);
        return out.TargetGroups?.[0] as ObservedTargetGroup | undefined;
      } catch (error) {
        if (awsErrorCode(error) === 'TargetGroupNotFoundException') return undefined;
        throw error;
      }
    },

    async createTargetGroup(spec: TargetGroupSpec): Promise<string> {
      const out = await awsCall(`create target group ${spec.Name}`, () => client.send(new CreateTargetGroupCommand(spec)));
      return out.TargetGroups?.[0]?.TargetGroupArn ?? '';
    },

    async modifyHealthCheck(targetGroupArn: string, spec: TargetGroupSpec): Promise<void> {
      await awsCall(`modify health check of target group ${spec.Name}`, () =>
        client.send(
          new ModifyTargetGroupCommand({
            TargetGroupArn: targetGroupArn,
            HealthCheckProtocol: spec.HealthCheckProtocol,
            HealthCheckPath: spec.HealthCheckPath,
            HealthCheckIntervalSeconds: spec.HealthCheckIntervalSeconds,
            HealthCheckTimeoutSeconds: spec.HealthCheckTimeoutSeconds,
            HealthyThresholdCount: spec.HealthyThresholdCount,
            UnhealthyThresholdCount: spec.UnhealthyThresholdCount,
            Matcher: spec.Matcher,
          }),
        ),
      );
    },

    targetGroupAttributes,

    async deregistrationDelay(targetGroupArn: string): Promise<number | undefined> {
      return deregistrationDelayOf(await targetGroupAttributes(targetGroupArn));
    },

    async setDeregistrationDelay(targetGroupArn: string, seconds: number): Promise<void> {
      await awsCall(`set deregistration delay of target group ${targetGroupArn}`, () =>
        client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: targetGroupArn, Attributes: [{ Key: DEREGISTRATION_DELAY, Value: String(seconds) }] })),
      );
    },

    async deleteTargetGroup(targetGroupArn: string): Promise<void> {
      await awsCall(`delete target group ${targetGroupArn}`, () => client.send(new DeleteTargetGroupCommand({ TargetGroupArn: targetGroupArn })));
    },

    async createPathRule(listenerArn: string, priority: number, paths: readonly string[], actions: RuleAction[]): Promise<string> {
      const out = await awsCall(`create rule ${paths.join(',')} at priority ${priority} on listener ${listenerArn}`, () =>
        client.send(
          new CreateRuleCommand({
            ListenerArn: listenerArn,
            Priority: priority,
            Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [...paths] } }],
            Actions: actionsForWrite(actions),
          }),
        ),
      );
      return out.Rules?.[0]?.RuleArn ?? '';
    },

    async setRuleActions(ruleArn: string, actions: RuleAction[]): Promise<void> {
      await awsCall(`modify rule ${ruleArn}`, () => client.send(new ModifyRuleCommand({ RuleArn: ruleArn, Actions: actionsForWrite(actions) })));
    },

    async setDefaultActions(listenerArn: string, actions: RuleAction[]): Promise<void> {
      await awsCall(`modify default action of listener ${listenerArn}`, () =>
        client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: actionsForWrite(actions) })),
      );
    },

    async deleteRule(ruleArn: string): Promise<void> {
      await awsCall(`delete rule ${ruleArn}`, () => client.send(new DeleteRuleCommand({ RuleArn: ruleArn })));
    },

    async targetCounts(targetGroupArn: string): Promise<TargetCounts> {
      const out = await awsCall(`describe target health of ${targetGroupArn}`, () => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })));
      const counts = { healthy: 0, initial: 0, unhealthy: 0, draining: 0 };
      for (const description of out.TargetHealthDescriptions ?? []) {
        const state = description.TargetHealth?.State;
        if (state === 'healthy' || state === 'initial' || state === 'unhealthy' || state === 'draining') counts[state] += 1;
      }
      return counts;
    },
  };
}

export type ElbAdapter = ReturnType<typeof createElbAdapter>;
