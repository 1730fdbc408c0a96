/**
 * Watches a LocalPipeline run from the outside: the emulator's state after every mutating AWS call and at
 * every execution's start and end. Reads AWS state only (routing, services, groups, the lock table), never
 * state names, so it holds whatever shape the workflow takes.
 */
import type { ActionState, CallRecord, EmulatorState } from '../../local/emulator';
import { alternateTargetGroupName, type Manifest } from '../../lib/domain/manifest';
import type { LocalPipeline } from '../../local/runner/pipeline';

export interface Facts {
  readonly index: number;
  readonly at: number;
  /** What was just observed: "after ModifyListener", "ExecutionFailed svc-01-…". */
  readonly cause: string;
  /** The listener's default action forwards (weight > 0) to the monolith's group. */
  readonly defaultToMonolith: boolean;
  /** The monolith's own rule (`/api*`) forwards to the monolith's group. */
  readonly ruleToMonolith: boolean;
  readonly monolithDesired: number;
  /** Microservices whose paths are served only by their own group, which has healthy targets. */
  readonly live: ReadonlySet<string>;
  /** Per service, JSON of everything a rollout of it may change: what a failed one must put back. */
  readonly slices: ReadonlyMap<string, string>;
  /** Lock name -> the execution holding it: an item `lock#<name>` whose `owner` is set (released: removed or gone). */
  readonly holders: ReadonlyMap<string, string>;
  /** Listener actions forwarding with weight > 0 to a group without a healthy target. */
  readonly deadRoutes: readonly string[];
  readonly state: EmulatorState;
}

/**
 * A snapshot after every mutating call would cost a third of a case; these are the calls after which the
 * invariants need one: locks taken and given back (DynamoDB writes) and traffic or the monolith moved.
 */
const OBSERVED_AFTER = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'ModifyListener', 'ModifyRule', 'UpdateService']);
const TERMINAL = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimeout']);
/** The tutorial's empty group that drop-target-group cut-overs forward to on purpose (the ALB answers 503). */
const DROP_GROUP = 'drop-traffic';

/** Forward weights as shares of their total: 1/0 and 100/0 route alike (ECS's own deployments write percentages). */
function sharesOf(actions: readonly ActionState[]): ActionState[] {
  return actions.map((action) => {
    if (action.type !== 'forward') return action;
    const total = action.targetGroups.reduce((sum, group) => sum + group.weight, 0);
    return { ...action, targetGroups: action.targetGroups.map((group) => ({ ...group, weight: total > 0 ? group.weight / total : 0 })) };
  });
}

const forwardsTo = (actions: readonly ActionState[], groupArn: string | undefined): boolean =>
  actions[0]?.type === 'forward' && actions[0].targetGroups.some((group) => group.arn === groupArn && group.weight > 0);

export class RunObserver {
  readonly facts: Facts[] = [];
  /** Execution name -> index of the facts at its start and at its end. */
  readonly windows = new Map<string, { start: number; stop?: number }>();
  private pending: CallRecord | undefined;

  constructor(
    private readonly pipeline: LocalPipeline,
    private readonly services: readonly Manifest[],
    private readonly monolith: Manifest,
  ) {
    // The emulator appends each call to its log before running it, so at that moment its state is the one the
    // previous call left: observing there sees every mutation, in order, with nothing in between.
    const calls = pipeline.emulator.calls as CallRecord[];
    const append = calls.push.bind(calls);
    calls.push = (...records: CallRecord[]): number => {
      this.flush();
      this.pending = records[records.length - 1];
      return append(...records);
    };
    pipeline.sfn.listeners.push((record, event) => {
      if (event.type !== 'ExecutionStarted' && !TERMINAL.has(event.type)) return;
      this.flush();
      const facts = this.observe(`${event.type} ${record.name}`);
      const window = this.windows.get(record.name) ?? { start: facts.index };
      if (TERMINAL.has(event.type)) window.stop = facts.index;
      this.windows.set(record.name, window);
    });
  }

  /** Observes the state the last call left, once, if it could have taken or given back a lock or moved traffic. */
  flush(): void {
    const last = this.pending;
    this.pending = undefined;
    // a refused call changed nothing (a hung one may have: the emulator applies some before hanging)
    const applied = last && (last.error === undefined || last.error === 'Hang');
    if (last && applied && OBSERVED_AFTER.has(last.operation)) this.observe(`after ${last.operation}${last.error ? ` (${last.error})` : ''}`);
  }

  observe(cause: string): Facts {
    const state = this.pipeline.emulator.snapshot();
    const listener = state.listeners.find((candidate) => candidate.arn === this.pipeline.config.listenerArn);
    const groups = new Map(state.targetGroups.map((group) => [group.arn, group]));
    const groupByName = new Map(state.targetGroups.map((group) => [group.name, group]));
    const healthy = (arn: string): number => groups.get(arn)?.targets.filter((target) => target.state === 'healthy').length ?? 0;
    const ruleAt = (priority: number) => state.rules.find((rule) => rule.listenerArn === listener?.arn && rule.priority === priority);
    const activeService = (name: string) => state.services.find((service) => service.name === name && service.status === 'ACTIVE');
    const monolithGroup = groupByName.get(this.monolith.targetGroupName);

    const live = new Set<string>();
    for (const manifest of this.services) {
      if (manifest.role === 'monolith') continue;
      const rule = state.rules.find((candidate) => candidate.listenerArn === listener?.arn && manifest.paths.every((path) => candidate.conditions.some((c) => c.values.includes(path))));
      const action = rule?.actions[0];
      const weighted = action?.type === 'forward' ? action.targetGroups.filter((group) => group.weight > 0) : [];
      // Either of its two groups may serve (ECS's own deployments of an update swap them), or both during one.
      const own = new Set([manifest.targetGroupName, alternateTargetGroupName(manifest)].flatMap((name) => groupByName.get(name)?.arn ?? []));
      if (weighted.length > 0 && weighted.every((group) => own.has(group.arn) && healthy(group.arn) > 0) && activeService(manifest.name)) live.add(manifest.name);
    }

    const slices = new Map<string, string>();
    for (const manifest of this.services) {
      const service = activeService(manifest.name);
      const group = groupByName.get(manifest.targetGroupName);
      const slice = {
        service: service ? { taskDefinition: service.taskDefinition, desiredCount: service.desiredCount } : null,
        group: group ? { arn: group.arn, healthCheck: group.healthCheck, deregistrationDelay: group.attributes['deregistration_delay.timeout_seconds'] } : null,
        rule: ruleAt(manifest.priority) ? { conditions: ruleAt(manifest.priority)?.conditions, actions: sharesOf(ruleAt(manifest.priority)?.actions ?? []) } : null,
        ...(manifest.role === 'monolith' ? { defaultActions: listener?.defaultActions } : {}),
      };
      slices.set(manifest.name, JSON.stringify(slice));
    }

    const holders = new Map<string, string>();
    for (const items of Object.values(state.dynamodbItems)) {
      for (const item of items) {
        const lock = typeof item.pk === 'string' ? /^lock#(.+)$/.exec(item.pk)?.[1] : undefined;
        if (lock && typeof item.owner === 'string') holders.set(lock, item.owner);
      }
    }

    const deadRoutes: string[] = [];
    const routes = [
      { where: 'default action', actions: listener?.defaultActions ?? [] },
      ...state.rules.filter((rule) => rule.listenerArn === listener?.arn).map((rule) => ({ where: `rule ${rule.priority}`, actions: rule.actions })),
    ];
    for (const { where, actions } of routes) {
      const action = actions[0];
      if (action?.type !== 'forward') continue;
      for (const group of action.targetGroups) {
        const name = groups.get(group.arn)?.name ?? group.arn;
        if (group.weight > 0 && name !== DROP_GROUP && healthy(group.arn) === 0) deadRoutes.push(`${where} -> ${name}`);
      }
    }

    const facts: Facts = {
      index: this.facts.length,
      at: Date.now() - this.pipeline.clockAtStart,
      cause,
      defaultToMonolith: forwardsTo(listener?.defaultActions ?? [], monolithGroup?.arn),
      ruleToMonolith: forwardsTo(ruleAt(this.monolith.priority)?.actions ?? [], monolithGroup?.arn),
      monolithDesired: activeService(this.monolith.name)?.desiredCount ?? 0,
      live,
      slices,
      holders,
      deadRoutes,
      state,
    };
    this.facts.push(facts);
    return facts;
  }
}
