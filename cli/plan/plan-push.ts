import { makeHandler as checkCutover } from '../../functions/check-cutover';
import { makeHandler as checkServiceHealth } from '../../functions/check-service-health';
import { makeHandler as deployService } from '../../functions/deploy-service';
import { makeHandler as dropMonolithTraffic } from '../../functions/drop-monolith-traffic';
import { makeHandler as ensureListenerRule } from '../../functions/ensure-listener-rule';
import { makeHandler as ensureTargetGroup } from '../../functions/ensure-target-group';
import { makeHandler as recordPriorState } from '../../functions/record-prior-state';
import { makeHandler as registerTaskDefinition } from '../../functions/register-task-definition';
import { makeHandler as resolveRelease } from '../../functions/resolve-release';
import { makeHandler as scaleMonolith } from '../../functions/scale-monolith';
import { makeHandler as shiftTraffic } from '../../functions/shift-traffic';
import { makeHandler as startCutover } from '../../functions/start-cutover';
import { makeHandler as startRollout } from '../../functions/start-rollout';
import * as errors from '../../lib/errors';
import { buildPushEventPattern } from '../../lib/domain/event-pattern';
import type { Release } from '../../lib/domain/release';
import type { Deps } from '../../lib/runtime/deps';
import { matchesEventPattern, type EventPattern } from '../../local/eventbridge/match-pattern';
import { findByName } from '../../lib/domain/catalog';
import { minimumRequests } from '../../lib/domain/traffic';
import { describeEcsDeployment } from '../../lib/domain/ecs-update';
import type { EcsDeployment } from '../../lib/domain/release-schema';
import type { CutoverState } from '../../lib/domain/cutover-state';
import { ReadOnlyViolationError } from '../aws/read-only';
import { dryRun, type DryRun, type PlannedChange } from './dry-run';

type Step = <T>(state: string, call: () => Promise<T>) => Promise<T>;

export interface PushPlan {
  readonly matched: boolean;
  /** The rollout execution the push would start (or that already exists, for a duplicate). */
  readonly execution: string | null;
  /** How the rollout would end: as `simulate` reports it (SUCCEEDED, FAILED, DUPLICATE), null when nothing would start. */
  readonly outcome: 'SUCCEEDED' | 'FAILED' | 'DUPLICATE' | null;
  readonly error: string | null;
  readonly cause: string | null;
  /** The state that would fail. */
  readonly failedAt: string | null;
  /** The workflow's own account of its changes (the release's `changes`, and the cut-over), as an execution records them. */
  readonly steps: string[];
  readonly changes: readonly PlannedChange[];
  /** Whether the rollout would start the cut-over, why (not), and, if its own steps would fail, how. */
  readonly cutover: { readonly due: boolean; readonly reason: string; readonly name: string | null; readonly error: string | null; readonly cause: string | null } | null;
  /** What the plan assumed where only running the workflow could tell. */
  readonly notes: string[];
}

/** The failures the workflow names (lib/errors.ts). Anything else thrown here is a defect of the CLI, not a plan. */
const NAMED_ERRORS: readonly (abstract new (...args: never[]) => Error)[] = Object.values(errors as Record<string, unknown>).filter(
  (value): value is abstract new (...args: never[]) => Error => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error,
);
const isNamedError = (error: unknown): error is Error => NAMED_ERRORS.some((named) => error instanceof named);

function causes(error: unknown): unknown[] {
  const found: unknown[] = [];
  for (let current = error; current instanceof Error && found.length < 8; current = current.cause) found.push(current);
  return found;
}

class StepFailed extends Error {
  constructor(
    readonly state: string,
    readonly error: Error,
  ) {
    super(error.message);
  }
}

/**
 * What the workflow would do for this push, changing nothing: EventBridge's pattern, then the rollout's Lambda steps
 * in the order of statemachines/rollout.asl.yaml's successful path, each the real handler over dry-run adapters
 * (cli/plan/dry-run.ts), then the cut-over's steps if the rollout would start it. `explain` turns an account failure
 * (credentials, permissions) into the CLI's own error; it returns for anything else.
 */
export async function planPush(real: Deps, event: unknown, explain: (error: unknown) => void = () => undefined): Promise<{ plan: PushPlan; projected: Deps }> {
  const run = dryRun(real);
  const plan = await decide(real, run, event, explain);
  // A failed rollout is compensated: what it changed is restored, so the state to show is the one before it.
  return { plan, projected: plan.outcome === 'FAILED' ? real : run.deps };
}

async function decide(real: Deps, run: DryRun, event: unknown, explain: (error: unknown) => void): Promise<PushPlan> {
  const nothing = { execution: null, error: null, cause: null, failedAt: null, steps: [], changes: [], cutover: null, notes: [] };
  if (!matchesEventPattern(buildPushEventPattern(real.config.catalog) as unknown as EventPattern, event)) return { matched: false, outcome: null, ...nothing };
  const deps = run.deps;
  const notes: string[] = [];
  const step: Step = async (state, call) => {
    try {
      return await call();
    } catch (error) {
      explain(error);
      // The adapters wrap every SDK failure as a named error; a write the read-only guard refused is a CLI defect.
      const refusedWrite = causes(error).find((cause) => cause instanceof ReadOnlyViolationError);
      if (refusedWrite) throw refusedWrite;
      if (isNamedError(error)) throw new StepFailed(state, error);
      throw error;
    }
  };
  let execution: string | null = null;
  let release: Release | undefined;
  try {
    const started = await step('Start rollout', () => startRollout(deps)(event));
    execution = started.name;
    if (started.status === 'DUPLICATE') {
      return { matched: true, outcome: 'DUPLICATE', ...nothing, execution, notes: [`execution ${execution} already exists: this image was pushed before`] };
    }
    // What "Resolve release" gets (statemachines/rollout.asl.yaml): the event as the starter passed it on.
    const input = { event: (run.started.get(execution) as { event?: unknown } | undefined)?.event, executionName: execution, startedAt: new Date(deps.now()).toISOString() };
    release = await step('Resolve release', () => resolveRelease(deps)(input));
    if (release.retired) return { matched: true, outcome: 'SUCCEEDED', ...nothing, execution, notes: ['the monolith is retired: a push of it deploys nothing'] };
    if (!release.upToDate) {
      notes.push("the service's lock and its release record are not read: a rollout of the same service in progress would make this one wait, a newer push already live would end it as SUPERSEDED");
      release = await step('Record prior state', () => recordPriorState(deps)({ release }));
      release = await step('Register task definition', () => registerTaskDefinition(deps)(release));
      if (release.role === 'microservice') {
        release = await step('Ensure target group', () => ensureTargetGroup(deps)(release));
        release = await step('Ensure listener rule', () => ensureListenerRule(deps)(release));
      }
      const deployed = release.changes.length;
      release = await step('Deploy service', () => deployService(deps)(release));
      if (release.changes.length > deployed && !release.ecsDeployment) run.note(null, healthGate(deps, release));
      const ecs = release.ecsDeployment;
      if (ecs) {
        // ECS's own deployment of an update: a dry run cannot watch it; say what it would do and who judges it.
        run.note(null, ecsWatch(deps, release, ecs));
        release = { ...release, live: true, ...(release.gate ? { gate: { ...release.gate, healthy: true } } : {}) };
      } else {
        release = await step('Check service health', () => checkServiceHealth(deps)(release));
      }
      const gate = release.gate;
      if (gate && !gate.healthy) {
        notes.push(`the health gate would wait (${gate.lastReason ?? 'not healthy yet'}): the rest assumes it passes`);
        release = { ...release, gate: { ...gate, healthy: true } };
      }
      if (release.role === 'microservice') release = await shiftInSteps(deps, release, step, run, notes);
    }
    const cutover = await step('Start cut-over if due', () => startCutover(deps)({ release }));
    const steps = [...release.changes];
    let cutoverFailure: StepFailed | undefined;
    if (cutover.started && cutover.name) {
      // Its own execution: a failing cut-over is restored by its own Compensate and never fails this rollout.
      const cutoverState = await planCutover(run, cutover.name, execution, step).catch((error: unknown) => {
        if (!(error instanceof StepFailed)) throw error;
        cutoverFailure = error;
      });
      if (cutoverState?.ready && cutoverState.monolith) {
        steps.push(`cut over: ${cutoverState.plan.length} listener action(s) stop forwarding to the monolith; ${cutoverState.monolith.service} ${cutoverState.monolith.desiredCount} → 0 tasks`);
      }
    }
    return {
      matched: true,
      execution,
      outcome: 'SUCCEEDED',
      error: null,
      cause: null,
      failedAt: null,
      steps,
      changes: run.changes,
      notes,
      cutover: {
        due: cutover.started,
        reason: cutover.reason,
        name: cutover.name ?? null,
        error: cutoverFailure ? `${cutoverFailure.error.name} at ${cutoverFailure.state}` : null,
        cause: cutoverFailure?.error.message ?? null,
      },
    };
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    if (run.changes.some((change) => change.operation && change.operation !== 'StartExecution')) notes.push('Compensate would undo the changes above and restore what was recorded before them');
    return {
      matched: true,
      execution,
      outcome: 'FAILED',
      error: error.error.name,
      cause: error.error.message,
      failedAt: error.state,
      steps: release ? [...release.changes] : [],
      changes: run.changes,
      cutover: null,
      notes,
    };
  }
}

/** The cut-over execution's Lambda steps (statemachines/cutover.asl.yaml): check, drop the monolith's traffic, scale it to zero. */
async function planCutover(run: DryRun, name: string, startedBy: string, step: Step): Promise<CutoverState> {
  run.startPhase('cutover');
  const state = await step('Check cut-over', () => checkCutover(run.deps)({ executionName: name, startedBy }));
  if (!state.ready) return state;
  await step('Drop monolith traffic', () => dropMonolithTraffic(run.deps)(state));
  await step('Scale monolith to zero', () => scaleMonolith(run.deps)(state));
  run.note(null, `would wait for ${state.monolith?.service ?? 'the monolith'}'s targets to drain (deregistration delay ${state.monolith?.deregistrationDelaySeconds ?? '?'} s)`);
  return state;
}

/**
 * "Shift traffic" as the workflow loops it: each weight change of the manifest's strategy, each bake said in words and
 * assumed to pass (what it would be judged by), until the service is live.
 */
async function shiftInSteps(deps: Deps, start: Release, step: Step, run: DryRun, notes: string[]): Promise<Release> {
  let release = start;
  const manifest = findByName(deps.config.catalog, release.service);
  for (let index = 0; index <= 100 && release.live !== true; index += 1) {
    const shifted = await step('Shift traffic', () => shiftTraffic(deps)(release));
    release = shifted;
    const shift = shifted.shift;
    if (shift?.bake && manifest && shifted.gate) {
      const traffic = manifest.traffic;
      const judged = [`5xx rate at most ${traffic.maxErrorRatePercent} % of at least ${minimumRequests(traffic)} requests`, ...(traffic.maxP99LatencyMs ? [`p99 at most ${traffic.maxP99LatencyMs} ms`] : []), 'no unhealthy host', ...traffic.alarms.map((alarm) => `alarm ${alarm} not in ALARM`)];
      // An update of a live service that ECS's own deployments cannot serve bakes after ECS's rolling update.
      const why = shifted.rollingBecause && shift.steps.length === 1 ? ` (an update of a live service: ECS's rolling update moves its traffic, because ${shifted.rollingBecause}; then this bake judges the new revision)` : '';
      run.note(null, `would bake ${shift.bake.seconds / 60} min at ${shift.percent} %${why}, judged from CloudWatch: ${judged.join(', ')}`);
      release = { ...shifted, shift: { steps: shift.steps, done: shift.done, percent: shift.percent }, gate: { ...shifted.gate, healthy: true } };
    }
  }
  if (release.live !== true) notes.push('the traffic shift did not finish in 100 steps');
  return release;
}

/** What watching ECS's own deployment of an update means (lib/runtime/ecs-deployment-watch.ts), in words. */
function ecsWatch(deps: Deps, release: Release, ecs: EcsDeployment): string {
  const manifest = findByName(deps.config.catalog, release.service);
  const green = ecs.greenTargetGroupArn.split(':targetgroup/')[1]?.split('/')[0] ?? ecs.greenTargetGroupArn;
  if (!manifest) return `would watch ECS's ${ecs.strategy} deployment of ${release.service} to its end`;
  const traffic = manifest.traffic;
  const judged = [`5xx rate at most ${traffic.maxErrorRatePercent} % of at least ${minimumRequests(traffic)} requests`, ...(traffic.maxP99LatencyMs ? [`p99 at most ${traffic.maxP99LatencyMs} ms`] : []), 'no unhealthy host'];
  return (
    `would watch ${describeEcsDeployment(traffic)} to its end (DescribeServiceDeployments): ECS registers the new tasks in ${green} and moves the rule's weights to it; ` +
    `the new revision is judged from CloudWatch (${judged.join(', ')})${traffic.alarms.length > 0 ? ' and ECS rolls back on its alarms' : ''}; a tripped gate asks ECS to roll back (StopServiceDeployment)`
  );
}

/** The health gate the rollout would wait in (functions/check-service-health.ts), in words. */
function healthGate(deps: Deps, release: Release): string {
  const manifest = findByName(deps.config.catalog, release.service);
  if (!manifest) return `would wait until ${release.service} is healthy`;
  const count = manifest.desiredCount;
  return `would wait for the deployment of ${manifest.name} to complete with ${count} task${count === 1 ? '' : 's'} running and ${count} healthy target${count === 1 ? '' : 's'} (checked every ${manifest.healthCheck.intervalSeconds} s, at most ${manifest.healthGateTimeoutSeconds} s)`;
}
