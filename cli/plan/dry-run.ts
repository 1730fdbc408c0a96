import { forwardTargets, withForwardTargets } from '../../lib/domain/listener-actions';
import type { EcsAdapter, ServiceView } from '../../lib/aws/ecs';
import { deregistrationDelayOf, type ElbAdapter } from '../../lib/aws/elbv2';
import type { SfnAdapter } from '../../lib/aws/sfn';
import type { RuleAction } from '../../lib/domain/release';
import type { ObservedRule } from '../../lib/domain/routing';
import type { ObservedTargetGroup } from '../../lib/domain/target-group';
import type { ObservedTaskDefinition, TaskDefinitionSpec } from '../../lib/domain/task-definition';
import { familyRevisionOf } from '../../lib/domain/task-definition';
import type { Deps } from '../../lib/runtime/deps';
import * as describe from './describe-change';

/** One change the workflow would make, in the order it would make it. `operation` null: a wait, no AWS call. */
export interface PlannedChange {
  readonly operation: string | null;
  readonly description: string;
  /** Which execution makes it: the push's rollout, or the cut-over it starts. */
  readonly execution: 'rollout' | 'cutover';
}

/** AWS's default deregistration delay for a new target group (ELB user guide, "Deregistration delay": 300 seconds). */
const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

export interface DryRun {
  /** The handlers' dependencies: the real ones, with these adapters in place of ECS, ELB and Step Functions. */
  readonly deps: Deps;
  readonly changes: readonly PlannedChange[];
  /** The input of each execution a handler would start, by name (what StartExecution would have carried). */
  readonly started: ReadonlyMap<string, unknown>;
  /** From here on, changes belong to this execution. */
  startPhase(execution: PlannedChange['execution']): void;
  note(operation: string | null, description: string): void;
}

const PLANNED = 'planned';
const DEREGISTRATION_DELAY = 'deregistration_delay.timeout_seconds';

/**
 * The workflow's adapters with every write recorded instead of sent, and laid over what later reads return: the
 * handlers run unchanged on top, so the plan is their own decisions, made on what they would see after each step.
 * Reads go to the real adapters (the account, or the local seed). What only AWS could decide is assumed: a new
 * deployment converges with every task healthy, and a new target group gets the default deregistration delay.
 */
export function dryRun(real: Deps): DryRun {
  const { partition, region, account } = arnParts(real.config.listenerArn);
  const services = new Map<string, ServiceView>();
  const definitions = new Map<string, ObservedTaskDefinition>();
  const groups = new Map<string, ObservedTargetGroup>();
  const delays = new Map<string, number>();
  const healthyTargets = new Map<string, number>();
  let rules: ObservedRule[] | undefined;
  const changes: PlannedChange[] = [];
  let phase: PlannedChange['execution'] = 'rollout';
  const started = new Map<string, unknown>();
  const run = { note: (operation: string | null, description: string) => changes.push({ operation, description, execution: phase }) };
  const currentRules = async (listenerArn: string) => (rules ??= [...(await real.elb.listenerRules(listenerArn))]);
  const ruleOf = (ruleArn: string) => rules?.find((rule) => rule.ruleArn === ruleArn);
  const replaceRule = (ruleArn: string, update: (rule: ObservedRule) => ObservedRule) => {
    rules = rules?.map((rule) => (rule.ruleArn === ruleArn ? update(rule) : rule));
  };
  const converged = (view: ServiceView): ServiceView => {
    for (const arn of view.targetGroupArns) healthyTargets.set(arn, view.desiredCount);
    const deployment = { status: 'PRIMARY', taskDefinition: view.taskDefinition, rolloutState: 'COMPLETED', runningCount: view.desiredCount, failedTasks: 0 };
    return { ...view, status: 'ACTIVE', runningCount: view.desiredCount, deployments: [deployment] };
  };

  const ecs: EcsAdapter = {
    async describeServices(names) {
      const found = await real.ecs.describeServices(names.filter((name) => !services.has(name)));
      for (const name of names) {
        const planned = services.get(name);
        if (planned) found.set(name, planned);
      }
      return found;
    },
    async describeService(name) {
      return (await ecs.describeServices([name])).get(name);
    },
    async latestTaskDefinition(familyOrArn) {
      return definitions.get(familyOrArn) ?? real.ecs.latestTaskDefinition(familyOrArn);
    },
    async registerTaskDefinition(spec) {
      const latest = definitions.get(spec.family) ?? (await real.ecs.latestTaskDefinition(spec.family));
      const revision = latest ? Number(familyRevisionOf(latest.taskDefinitionArn).split(':')[1] ?? 0) + 1 : 1;
      const taskDefinitionArn = `arn:${partition}:ecs:${region}:${account}:task-definition/${spec.family}:${revision}`;
      const observed = observedDefinition(taskDefinitionArn, spec);
      definitions.set(spec.family, observed).set(taskDefinitionArn, observed);
      run.note('RegisterTaskDefinition', describe.registerTaskDefinition(familyRevisionOf(taskDefinitionArn), spec));
      return taskDefinitionArn;
    },
    async createService(spec) {
      const view: ServiceView = {
        serviceName: spec.serviceName,
        status: 'ACTIVE',
        desiredCount: spec.desiredCount,
        runningCount: 0,
        taskDefinition: spec.taskDefinitionArn,
        targetGroupArns: [spec.targetGroupArn],
        deployments: [],
      };
      services.set(spec.serviceName, converged(view));
      run.note('CreateService', describe.createService(spec, familyRevisionOf(spec.taskDefinitionArn)));
    },
    async updateService(name, change) {
      const before = await ecs.describeService(name);
      const base: ServiceView = before ?? { serviceName: name, status: 'ACTIVE', desiredCount: 0, runningCount: 0, taskDefinition: '', targetGroupArns: [], deployments: [] };
      const balanced = change.loadBalancer
        ? { targetGroupArns: [change.loadBalancer.targetGroupArn], alternateTargetGroupArns: change.loadBalancer.advanced ? [change.loadBalancer.advanced.alternateTargetGroupArn] : [] }
        : {};
      services.set(name, converged({ ...base, ...balanced, taskDefinition: change.taskDefinitionArn ?? base.taskDefinition, desiredCount: change.desiredCount ?? base.desiredCount }));
      run.note('UpdateService', describe.updateService(name, before, change));
      // ECS's own deployment moves the production rule's weights itself, onto the group not serving (assumed to succeed).
      const advanced = change.deployment && change.deployment.strategy !== 'ROLLING' ? change.loadBalancer?.advanced : undefined;
      const production = advanced ? ruleOf(advanced.productionListenerRule) : undefined;
      if (advanced && production && change.loadBalancer) {
        const groups = [change.loadBalancer.targetGroupArn, advanced.alternateTargetGroupArn];
        const serving = forwardTargets(production.actions).find((target) => target.weight > 0 && groups.includes(target.targetGroupArn))?.targetGroupArn;
        const green = serving === groups[0] ? groups[1] : groups[0];
        replaceRule(production.ruleArn, (rule) => ({ ...rule, actions: withForwardTargets(rule.actions, groups.map((arn) => ({ targetGroupArn: arn ?? '', weight: arn === green ? 100 : 0 }))) }));
      }
      // ECS's own deployment (lib/domain/ecs-update.ts) names the service deployment it started.
      const strategy = change.deployment?.strategy;
      return strategy && strategy !== 'ROLLING' ? `arn:${partition}:ecs:${region}:${account}:service-deployment/planned/${name}/${PLANNED}` : undefined;
    },
    async serviceDeployment(arn) {
      return { arn, status: 'SUCCESSFUL', triggeredAlarmNames: [], circuitBreakerTriggered: false, rolledBack: false };
    },
    async rollBackServiceDeployment(arn) {
      run.note('StopServiceDeployment', `would ask ECS to roll back ${arn}`);
    },
    async deleteService(name) {
      services.delete(name);
      run.note('DeleteService', `would delete service ${name}`);
    },
  };

  const elb: ElbAdapter = {
    async listenerRules(listenerArn) {
      return [...(await currentRules(listenerArn))];
    },
    async findTargetGroup(name) {
      return groups.get(name) ?? real.elb.findTargetGroup(name);
    },
    async createTargetGroup(spec) {
      const arn = `arn:${partition}:elasticloadbalancing:${region}:${account}:targetgroup/${spec.Name}/${PLANNED}`;
      groups.set(spec.Name, { ...spec, TargetGroupArn: arn });
      delays.set(arn, DEFAULT_DEREGISTRATION_DELAY_SECONDS);
      healthyTargets.set(arn, 0);
      run.note('CreateTargetGroup', describe.createTargetGroup(spec));
      return arn;
    },
    async modifyHealthCheck(targetGroupArn, spec) {
      const existing = await elb.findTargetGroup(spec.Name);
      groups.set(spec.Name, { ...(existing ?? {}), ...spec, TargetGroupArn: targetGroupArn });
      run.note('ModifyTargetGroup', describe.modifyHealthCheck(spec));
    },
    async targetGroupAttributes(targetGroupArn) {
      const planned = delays.get(targetGroupArn);
      const attributes = targetGroupArn.endsWith(`/${PLANNED}`) ? {} : await real.elb.targetGroupAttributes(targetGroupArn);
      return planned === undefined ? attributes : { ...attributes, [DEREGISTRATION_DELAY]: String(planned) };
    },
    async deregistrationDelay(targetGroupArn) {
      return deregistrationDelayOf(await elb.targetGroupAttributes(targetGroupArn));
    },
    async setDeregistrationDelay(targetGroupArn, seconds) {
      delays.set(targetGroupArn, seconds);
      run.note('ModifyTargetGroupAttributes', `would set the deregistration delay of target group ${describe.groupName(targetGroupArn)} to ${seconds} s`);
    },
    async deleteTargetGroup(targetGroupArn) {
      for (const [name, group] of groups) if (group.TargetGroupArn === targetGroupArn) groups.delete(name);
      run.note('DeleteTargetGroup', `would delete target group ${describe.groupName(targetGroupArn)}`);
    },
    async createPathRule(listenerArn, priority, paths, actions) {
      const existing = await currentRules(listenerArn);
      const ruleArn = `${listenerArn.replace(':listener/', ':listener-rule/')}/${PLANNED}-${priority}`;
      rules = [...existing, { ruleArn, priority, paths: [...paths], otherConditions: false, actions: [...actions] }];
      run.note('CreateRule', describe.createRule(priority, paths, actions));
      return ruleArn;
    },
    async setRuleActions(ruleArn, actions) {
      const rule = ruleOf(ruleArn);
      replaceRule(ruleArn, (existing) => ({ ...existing, actions: [...actions] }));
      run.note('ModifyRule', describe.modifyRule(rule, actions));
    },
    async setDefaultActions(listenerArn, actions: RuleAction[]) {
      const existing = (await currentRules(listenerArn)).find((rule) => rule.priority === 'default');
      if (existing) replaceRule(existing.ruleArn, (rule) => ({ ...rule, actions: [...actions] }));
      run.note('ModifyListener', describe.modifyRule(existing, actions));
    },
    async deleteRule(ruleArn) {
      const rule = ruleOf(ruleArn);
      rules = rules?.filter((candidate) => candidate.ruleArn !== ruleArn);
      run.note('DeleteRule', `would delete rule ${rule?.paths.join(',') ?? ruleArn}`);
    },
    async targetCounts(targetGroupArn) {
      const healthy = healthyTargets.get(targetGroupArn);
      return healthy === undefined ? real.elb.targetCounts(targetGroupArn) : { healthy, initial: 0, unhealthy: 0, draining: 0 };
    },
  };

  const sfn = (adapter: SfnAdapter, machine: string): SfnAdapter => ({
    describe: (name) => adapter.describe(name),
    async start(name, input) {
      started.set(name, input);
      run.note('StartExecution', machine === 'cutover' ? `would start the cut-over ${name}` : `would start execution ${name}`);
      return { started: true, executionArn: `${PLANNED}:${name}` };
    },
  });

  return {
    deps: { ...real, ecs, elb, sfn: sfn(real.sfn, 'rollout'), cutoverSfn: sfn(real.cutoverSfn, 'cutover') },
    changes,
    started,
    startPhase: (execution) => {
      phase = execution;
    },
    note: run.note,
  };
}

function arnParts(arn: string): { partition: string; region: string; account: string } {
  const [, partition = 'aws', , region = '', account = ''] = arn.split(':');
  return { partition, region, account };
}

function observedDefinition(taskDefinitionArn: string, spec: TaskDefinitionSpec): ObservedTaskDefinition {
  return {
    taskDefinitionArn,
    networkMode: spec.networkMode,
    executionRoleArn: spec.executionRoleArn,
    taskRoleArn: spec.taskRoleArn,
    requiresCompatibilities: spec.requiresCompatibilities,
    cpu: spec.cpu,
    memory: spec.memory,
    containers: spec.containerDefinitions.map((container) => ({
      name: container.name,
      image: container.image,
      memory: container.memory,
      cpu: container.cpu,
      containerPort: container.portMappings[0]?.containerPort,
      hostPort: container.portMappings[0]?.hostPort,
    })),
  };
}
