/**
 * ECS's own BLUE_GREEN, CANARY and LINEAR deployments on virtual time. What AWS documents, and where:
 *
 * - Lifecycle stages, in order (API reference, ServiceDeployment.lifecycleStage; developer guide, "Amazon ECS
 *   canary deployments" / "Amazon ECS linear deployments", "Deployment lifecycle stages"): RECONCILE_SERVICE ("only
 *   happens when you start a new service deployment with more than 1 service revision in an ACTIVE state"),
 *   PRE_SCALE_UP, SCALE_UP ("the green service revision scales up to 100% and launches new tasks. The green service
 *   revision is not serving any traffic"), POST_SCALE_UP, TEST_TRAFFIC_SHIFT ("The green service revision is migrating
 *   from 0% to 100% of test traffic"), POST_TEST_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT,
 *   BAKE_TIME ("both blue and green service revisions are running simultaneously after the production traffic has
 *   shifted"), CLEAN_UP ("the blue service revision has completely scaled down to 0 running tasks").
 * - The production shift (canary page: "Step 1: 10.0% to green, 90.0% to blue / Step 2: 100.0% to green", waiting the
 *   canary bake time after the first step; linear page: "with a 10.0% step configuration ... Step 1: 10.0% to green
 *   ... Step 2: 20.0% ... And so on until 100% reaches green", "last step bake time is skipped once traffic is shifted
 *   100.0%"; blue/green: all at once). Defaults and ranges: API reference, CanaryConfiguration (canaryPercent 5.0,
 *   canaryBakeTimeInMinutes 10) and LinearConfiguration (stepPercent 10.0, stepBakeTimeInMinutes 6).
 * - "Deployment bake time - The time, in minutes, Amazon ECS waits after shifting all production traffic to the new
 *   service revision, before it terminates the old service revision" (canary and linear pages).
 * - Tasks of the new revision register in the group that is not serving production ("The two target groups swap roles
 *   on every deployment. Amazon ECS registers the new service revision's tasks with whichever target group isn't
 *   serving production traffic", developer guide, VPC Lattice resources for blue/green; the ALB page: "Amazon ECS
 *   deploys the new tasks and registers them with the alternate target group").
 * - Rollback: "If issues are detected during the deployment, Amazon ECS can automatically roll back by routing traffic
 *   back to the primary target group (blue service revision)" (ALB resources page); alarms: "Amazon ECS considers the
 *   service deployment as failed when any of the alarms move to the ALARM state" (API reference,
 *   ServiceDeploymentAlarms); the circuit breaker and alarms apply to blue/green deployments too ("Amazon ECS
 *   deployment failure detection": "Both methods only support rolling update deployment and blue/green deployment
 *   types"); "The rollback method requires a previous deployment in COMPLETED state".
 * - A production rule that does not forward to both groups, or that mixes forward and non-forward actions, fails the
 *   deployment (listener-rule-weights.ts).
 *
 * Behaviour AWS does not document, chosen here:
 * 1. Stages without work (RECONCILE_SERVICE, PRE_/POST_ stages, TEST_TRAFFIC_SHIFT without a test rule) pass at once;
 *    ECS's own delays between stages are not modelled. Lifecycle hooks are not implemented (CreateService and
 *    UpdateService refuse them). Service deployments go straight to IN_PROGRESS (PENDING is never observed).
 * 2. SCALE_UP ends when all the green tasks are RUNNING and healthy in their target groups; the green revision
 *    launches all its tasks at once (maximumPercent does not limit it).
 * 3. Weights written on the rule are percentages (100/0 after a deployment, as seen on live services); a percentage with
 *    a decimal is written in tenths (e.g. 12.5 % -> 125 / 875). Other groups in the same forward action keep theirs.
 *    A group missing from the production rule (configured on the test rule only) is added to its forward action.
 * 4. LINEAR steps are multiples of stepPercent below 100, then 100 (stepPercent 30: 30, 60, 90, 100).
 * 5. bakeTimeInMinutes defaults to 0 for CANARY and LINEAR (required for BLUE_GREEN by the API reference).
 * 6. Which group serves production when a deployment starts: the one the production rule gives more weight; on a tie,
 *    the one the last deployment left serving, else the service's targetGroupArn. DescribeServices keeps answering the
 *    loadBalancers as given (targetGroupArn / alternateTargetGroupArn are not swapped after a deployment).
 * 7. CLEAN_UP stops the blue tasks, which drain for the group's deregistration delay; the deployment is SUCCESSFUL when
 *    they have stopped. Alarms are watched from the start of the deployment to the end of BAKE_TIME (then
 *    MONITORING_COMPLETE); ECS notices an alarm at the minute boundary at which CloudWatch evaluates it, or at once
 *    after SetAlarmState.
 * 8. Rollback (alarm or circuit breaker with rollback, or invalid networking): the production weights go back to blue
 *    100 / green 0, the test rule gets its actions from before the deployment back, green tasks are stopped, the blue
 *    ECS deployment is PRIMARY again; the service deployment is ROLLBACK_IN_PROGRESS until the green tasks have
 *    drained, then ROLLBACK_SUCCESSFUL. rollback.serviceRevisionArn is the blue revision. The failed ECS deployment's
 *    rolloutState is FAILED.
 * 9. A failure without rollback (or with nothing to roll back to) STOPs the deployment where it is: weights and tasks
 *    stay, no further tasks are launched, until the next deployment.
 * 10. A new deployment while one is in progress STOPs the older one: if its production traffic had fully shifted, the
 *    green group keeps serving and the blue tasks stop; otherwise the weights go back to blue and the green tasks stop.
 * 11. Status reasons and event messages are the emulator's wording, except the documented invalid-networking message
 *    (a first deployment, with nothing to roll back to, says "stopped" instead of "rolled back"). A rule mixing forward
 *    and non-forward actions fails the deployment the same way (the guide says only that "the deployment fails").
 * 12. The first deployment (CreateService) runs the strategy too, from no blue tasks: with the rule at 1 / 0 its tasks
 *    register in the alternate group, which serves afterwards (as seen on live services: green 100 / blue 0).
 * 13. The service's desiredCount changes apply to the green revision; blue tasks that fail during the deployment are
 *    not replaced. DeleteService stops a deployment in progress and the service drains like a rolling one.
 * Elsewhere, equally undocumented and chosen by the emulator:
 * 14. API checks (ecs/deployment-strategy.ts): the messages; the alternate group must exist and differ from the
 *    primary; the listener rules must exist; roleArn must look like an IAM role ARN; a blue/green-family strategy needs
 *    an advancedConfiguration on every load balancer; bakeTimeInMinutes (and the step/canary bake times) 0-1440;
 *    lifecycle hooks refused. UpdateService merges deploymentConfiguration field by field; a new strategy drops the
 *    other strategy's canary/linear configuration.
 * 15. DescribeServices answers deploymentConfiguration.strategy (and the other new fields) only when they were given
 *    (AWS may answer ROLLING by default), canary/linear configurations as given (defaults not filled in), and always a
 *    currentServiceDeployment.
 * 16. Service deployments (runtime/service-deployments.ts, ecs/service-deployments.ts): ids and service revision ARNs
 *    derive from the ECS deployment's number; ListServiceDeployments answers newest first and its nextToken is an
 *    offset; an unknown ARN is a MISSING failure; a deleted (INACTIVE) service's deployments are gone; lifecycleStage
 *    and revision traffic weights only for blue/green-family deployments; running/pending counts are live counts.
 * 17. Rolling deployments: one replaced by a newer deployment is STOPPED; alarms are watched while the rollout is
 *    IN_PROGRESS and the bake time ECS adds after a rolling deployment with alarms (documented: "less than 5 minutes"
 *    by default) is not modelled; a circuit-breaker or alarm rollback stays the same service deployment
 *    (ROLLBACK_IN_PROGRESS, then ROLLBACK_SUCCESSFUL when the rollback's ECS deployment completes).
 */
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';
import type { DeploymentRecord, EmulatorContext, ServiceRecord } from '../context';
import { addEvent, deploymentTargetGroupArns, launchTask, stopTask, tasksOf } from './deployments';
import { alarmsInAlarm } from './failure-detection';
import { actionsOf, laneFor, networkingProblem, restoreActions, setGroupWeights } from './listener-rule-weights';
import type { DeploymentStrategyName, LifecycleStage, ServiceDeploymentRecord } from './service-deployment-types';
import { finishServiceDeployment } from './service-deployments';

const MINUTE_MS = 60_000;

/** CanaryConfiguration and LinearConfiguration defaults (API reference). */
export const CANARY_DEFAULTS = { canaryPercent: 5, canaryBakeTimeInMinutes: 10 };
export const LINEAR_DEFAULTS = { stepPercent: 10, stepBakeTimeInMinutes: 6 };

/** Green's production percentage after each step. */
export function shiftSteps(strategy: DeploymentStrategyName, configuration: DeploymentConfiguration): number[] {
  if (strategy === 'CANARY') {
    const percent = configuration.canaryConfiguration?.canaryPercent ?? CANARY_DEFAULTS.canaryPercent;
    return percent >= 100 ? [100] : [percent, 100];
  }
  if (strategy === 'LINEAR') {
    const step = configuration.linearConfiguration?.stepPercent ?? LINEAR_DEFAULTS.stepPercent;
    const steps: number[] = [];
    // tenths of a percent as integers: no floating-point drift (0.1 * 3 !== 0.3)
    for (let tenths = Math.round(step * 10); tenths < 1000; tenths += Math.round(step * 10)) steps.push(tenths / 10);
    return [...steps, 100];
  }
  return [100];
}

function stepBakeMs(strategy: DeploymentStrategyName, configuration: DeploymentConfiguration): number {
  if (strategy === 'CANARY') return (configuration.canaryConfiguration?.canaryBakeTimeInMinutes ?? CANARY_DEFAULTS.canaryBakeTimeInMinutes) * MINUTE_MS;
  if (strategy === 'LINEAR') return (configuration.linearConfiguration?.stepBakeTimeInMinutes ?? LINEAR_DEFAULTS.stepBakeTimeInMinutes) * MINUTE_MS;
  return 0;
}

const byId = (service: ServiceRecord, id: string | undefined): DeploymentRecord | undefined => service.deployments.find((deployment) => deployment.id === id);
const live = (ctx: EmulatorContext, deployment: DeploymentRecord) => tasksOf(ctx, deployment).filter((task) => !task.stopping);

/** The blue deployments: the deployment's sources still in the service. */
function blueDeployments(service: ServiceRecord, record: ServiceDeploymentRecord): DeploymentRecord[] {
  return record.sources.flatMap((source) => byId(service, source.deploymentId) ?? []);
}

/** The service deployment that drives the service's tasks now, when it is a blue/green-family one still going. */
export function blueGreenInCharge(service: ServiceRecord): ServiceDeploymentRecord | undefined {
  // a service being deleted is drained by the rolling scheduler (scheduler.ts), whatever its strategy
  if (service.status !== 'ACTIVE') return undefined;
  const latest = service.serviceDeployments[0];
  if (!latest?.blueGreen || latest.status === 'SUCCESSFUL' || latest.status === 'ROLLBACK_SUCCESSFUL') return undefined;
  return latest;
}

function setStage(ctx: EmulatorContext, record: ServiceDeploymentRecord, stage: LifecycleStage): void {
  record.lifecycleStage = stage;
  record.updatedAt = ctx.simulatedUntil;
}

/** Starts the traffic lanes of a new blue/green-family deployment; `green` is its (PRIMARY) ECS deployment. */
export function startBlueGreen(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord): void {
  const lanes = service.loadBalancers.flatMap((_, index) => laneFor(ctx, service, index) ?? []);
  green.targetGroupArns = service.loadBalancers.map((loadBalancer, index) => lanes.find((lane) => lane.index === index)?.greenGroupArn ?? loadBalancer.targetGroupArn ?? '');
  record.blueGreen = { lanes, steps: shiftSteps(record.strategy, record.deploymentConfiguration), nextStep: 0, greenPercent: 0, testPercent: 0 };
  setStage(ctx, record, record.sources.length > 1 ? 'RECONCILE_SERVICE' : 'PRE_SCALE_UP');
  const problem = lanes.map((lane) => networkingProblem(ctx, lane)).find((reason) => reason !== undefined);
  if (problem !== undefined) fail(ctx, service, record, green, problem, true);
}

function greenReady(ctx: EmulatorContext, service: ServiceRecord, green: DeploymentRecord): boolean {
  const tasks = live(ctx, green);
  if (tasks.length !== green.desiredCount) return false;
  const groups = deploymentTargetGroupArns(service, green.id);
  return tasks.every((task) => task.status === 'RUNNING'
    && groups.every((arn) => ctx.targetGroups.get(arn)?.targets.find((target) => target.taskId === task.id)?.state === 'healthy'));
}

function launchGreen(ctx: EmulatorContext, service: ServiceRecord, green: DeploymentRecord): void {
  if (service.status !== 'ACTIVE' || green.launchHalted) return;
  for (let index = live(ctx, green).length; index < green.desiredCount; index += 1) {
    const task = launchTask(ctx, service, green);
    addEvent(ctx, service, `(service ${service.name}) has started 1 tasks: (task ${task.id}).`);
  }
}

function shiftProduction(ctx: EmulatorContext, record: ServiceDeploymentRecord, percent: number): void {
  const progress = record.blueGreen;
  if (!progress) return;
  for (const lane of progress.lanes) setGroupWeights(ctx, lane.productionRuleArn, lane, percent);
  progress.greenPercent = percent;
  record.updatedAt = ctx.simulatedUntil;
}

/** Returns true when the deployment moved to another stage (the caller looks again). */
function step(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord): boolean {
  const progress = record.blueGreen;
  const now = ctx.simulatedUntil;
  if (!progress) return false;
  switch (record.lifecycleStage) {
    case 'RECONCILE_SERVICE':
      setStage(ctx, record, 'PRE_SCALE_UP');
      return true;
    case 'PRE_SCALE_UP':
      setStage(ctx, record, 'SCALE_UP');
      return true;
    case 'SCALE_UP':
      if (!greenReady(ctx, service, green)) return false;
      setStage(ctx, record, 'POST_SCALE_UP');
      return true;
    case 'POST_SCALE_UP':
      setStage(ctx, record, 'TEST_TRAFFIC_SHIFT');
      for (const lane of progress.lanes.filter((candidate) => candidate.testRuleArn !== undefined)) {
        lane.testActionsBefore = actionsOf(ctx, lane.testRuleArn);
        setGroupWeights(ctx, lane.testRuleArn, lane, 100);
        progress.testPercent = 100;
      }
      return true;
    case 'TEST_TRAFFIC_SHIFT':
      setStage(ctx, record, 'POST_TEST_TRAFFIC_SHIFT');
      return true;
    case 'POST_TEST_TRAFFIC_SHIFT':
      setStage(ctx, record, 'PRODUCTION_TRAFFIC_SHIFT');
      return true;
    case 'PRODUCTION_TRAFFIC_SHIFT': {
      if (progress.waitUntil !== undefined && now < progress.waitUntil) return false;
      progress.waitUntil = undefined;
      const percent = progress.steps[progress.nextStep];
      if (percent === undefined) {
        setStage(ctx, record, 'POST_PRODUCTION_TRAFFIC_SHIFT');
        return true;
      }
      shiftProduction(ctx, record, percent);
      progress.nextStep += 1;
      if (progress.nextStep < progress.steps.length) progress.waitUntil = now + stepBakeMs(record.strategy, record.deploymentConfiguration);
      return true;
    }
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      setStage(ctx, record, 'BAKE_TIME');
      progress.waitUntil = now + (record.deploymentConfiguration.bakeTimeInMinutes ?? 0) * MINUTE_MS;
      return true;
    case 'BAKE_TIME':
      if (progress.waitUntil !== undefined && now < progress.waitUntil) return false;
      progress.waitUntil = undefined;
      setStage(ctx, record, 'CLEAN_UP');
      if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
      for (const blue of blueDeployments(service, record)) {
        for (const task of live(ctx, blue)) stopTask(ctx, task, `Scaling activity initiated by (deployment ${green.id})`);
        blue.desiredCount = 0;
      }
      return true;
    case 'CLEAN_UP':
      if (blueDeployments(service, record).some((blue) => tasksOf(ctx, blue).length > 0)) return false;
      succeed(ctx, service, record, green);
      return false;
    default:
      return false;
  }
}

function succeed(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord): void {
  service.deployments = service.deployments.filter((deployment) => deployment === green || tasksOf(ctx, deployment).length > 0);
  green.rolloutState = 'COMPLETED';
  green.rolloutStateReason = `ECS deployment ${green.id} completed.`;
  green.updatedAt = ctx.simulatedUntil;
  service.lastCompletedTaskDefinitionArn = green.taskDefinitionArn;
  service.lastCompletedRevisionArn = green.revisionArn;
  const liveGroups = [...(service.liveTargetGroups ?? [])];
  for (const lane of record.blueGreen?.lanes ?? []) liveGroups[lane.index] = lane.greenGroupArn;
  service.liveTargetGroups = liveGroups;
  finishServiceDeployment(ctx, record, 'SUCCESSFUL', 'Service deployment completed successfully.');
  addEvent(ctx, service, `(service ${service.name}) has reached a steady state.`);
}

/** Production (and test) traffic back to blue, as before the deployment. */
function trafficBackToBlue(ctx: EmulatorContext, record: ServiceDeploymentRecord): void {
  const progress = record.blueGreen;
  if (!progress) return;
  for (const lane of progress.lanes) {
    if (progress.greenPercent > 0) setGroupWeights(ctx, lane.productionRuleArn, lane, 0);
    if (lane.testActionsBefore) restoreActions(ctx, lane.testRuleArn, lane.testActionsBefore);
  }
  progress.greenPercent = 0;
  progress.testPercent = 0;
  progress.waitUntil = undefined;
}

function stopGreen(ctx: EmulatorContext, green: DeploymentRecord, reason: string): void {
  for (const task of live(ctx, green)) stopTask(ctx, task, reason);
  green.desiredCount = 0;
  green.launchHalted = true;
}

function fail(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord, reason: string, rollback: boolean): void {
  green.rolloutState = 'FAILED';
  green.rolloutStateReason = reason;
  green.updatedAt = ctx.simulatedUntil;
  green.launchHalted = true;
  addEvent(ctx, service, `(service ${service.name}) (deployment ${green.id}) deployment failed: ${reason}`);
  const blue = blueDeployments(service, record).find((candidate) => live(ctx, candidate).length > 0);
  if (!rollback || !blue) {
    finishServiceDeployment(ctx, record, 'STOPPED', reason.replace('Service deployment rolled back', 'Service deployment stopped'));
    return;
  }
  record.status = 'ROLLBACK_IN_PROGRESS';
  record.statusReason = reason;
  record.rollback = { reason, startedAt: ctx.simulatedUntil, serviceRevisionArn: blue.revisionArn };
  record.updatedAt = ctx.simulatedUntil;
  trafficBackToBlue(ctx, record);
  stopGreen(ctx, green, `Service deployment rolled back (deployment ${green.id})`);
  for (const deployment of service.deployments) deployment.status = deployment === blue ? 'PRIMARY' : 'ACTIVE';
  service.deployments = [blue, ...service.deployments.filter((deployment) => deployment !== blue)];
  blue.desiredCount = service.desiredCount;
  service.taskDefinitionArn = blue.taskDefinitionArn;
  addEvent(ctx, service, `(service ${service.name}) rolling back to deployment ${blue.id}.`);
}

/** Circuit breaker and alarms, until the blue revision is cleaned up. Returns true when the deployment failed. */
function detectFailure(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord, green: DeploymentRecord): boolean {
  if (record.lifecycleStage === 'CLEAN_UP') return false;
  const configuration = record.deploymentConfiguration;
  if (record.circuitBreaker.status === 'MONITORING' && green.failedTasks >= record.circuitBreaker.threshold) {
    record.circuitBreaker.status = 'TRIGGERED';
    fail(ctx, service, record, green, 'ECS deployment circuit breaker: tasks failed to start.', configuration.deploymentCircuitBreaker?.rollback === true);
    return true;
  }
  if (record.alarms.status !== 'MONITORING') return false;
  const triggered = alarmsInAlarm(ctx, record.alarms.alarmNames);
  if (triggered.length === 0) return false;
  record.alarms.status = 'TRIGGERED';
  record.alarms.triggeredAlarmNames = triggered;
  fail(ctx, service, record, green, `ECS deployment alarms: ${triggered.join(', ')} in ALARM state.`, configuration.alarms?.rollback === true);
  return true;
}

/** One scheduler pass for a service whose blue/green-family deployment is in charge. */
export function reconcileBlueGreen(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord): void {
  const green = byId(service, record.target.deploymentId);
  if (record.status === 'ROLLBACK_IN_PROGRESS') {
    if (green && tasksOf(ctx, green).length > 0) return;
    service.deployments = service.deployments.filter((deployment) => deployment !== green);
    finishServiceDeployment(ctx, record, 'ROLLBACK_SUCCESSFUL');
    return;
  }
  if (record.status !== 'IN_PROGRESS' || !green) return;
  if (detectFailure(ctx, service, record, green)) return;
  launchGreen(ctx, service, green);
  for (let guard = 0; guard < 100 && record.status === 'IN_PROGRESS' && step(ctx, service, record, green); guard += 1) {
    if (detectFailure(ctx, service, record, green)) return;
  }
}

/**
 * StopServiceDeployment with stopType ROLLBACK (API reference; developer guide, "Stopping Amazon ECS service
 * deployments": "You can use this option even if you didn't configure the service deployment for the rollback
 * option"; a deployment ROLLBACK_IN_PROGRESS "continues the rollback operation"). The emulator skips the brief
 * ROLLBACK_REQUESTED status: the rollback starts at once, as an alarm's does (choice 8). Returns false when the
 * deployment is past the point where it can be stopped.
 */
export function requestBlueGreenRollback(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord): boolean {
  if (record.status === 'ROLLBACK_IN_PROGRESS' || record.status === 'ROLLBACK_REQUESTED') return true;
  const green = byId(service, record.target.deploymentId);
  if ((record.status !== 'IN_PROGRESS' && record.status !== 'PENDING') || !green) return false;
  fail(ctx, service, record, green, 'Service deployment rolled back because a StopServiceDeployment ROLLBACK was requested.', true);
  return true;
}

/** A newer deployment replaces this one (choice 10 above); the caller marks it STOPPED. */
export function supersedeBlueGreen(ctx: EmulatorContext, service: ServiceRecord, record: ServiceDeploymentRecord): void {
  const progress = record.blueGreen;
  const green = byId(service, record.target.deploymentId);
  if (!progress || !green || record.status !== 'IN_PROGRESS') return;
  const liveGroups = [...(service.liveTargetGroups ?? [])];
  if (progress.greenPercent >= 100) {
    for (const blue of blueDeployments(service, record)) {
      for (const task of live(ctx, blue)) stopTask(ctx, task, `Scaling activity initiated by (deployment ${green.id})`);
      blue.desiredCount = 0;
    }
    for (const lane of progress.lanes) liveGroups[lane.index] = lane.greenGroupArn;
  } else {
    trafficBackToBlue(ctx, record);
    stopGreen(ctx, green, `Scaling activity initiated by a newer deployment`);
    for (const lane of progress.lanes) liveGroups[lane.index] = lane.blueGroupArn;
  }
  service.liveTargetGroups = liveGroups;
}

/** The next virtual instant at which a deployment has something to do on its own: a bake time ends, or alarms are evaluated. */
export function nextDeploymentEvent(ctx: EmulatorContext): number | undefined {
  let next: number | undefined;
  const consider = (at: number | undefined): void => {
    if (at !== undefined && at > ctx.simulatedUntil && (next === undefined || at < next)) next = at;
  };
  for (const service of ctx.services.values()) {
    for (const record of service.serviceDeployments) {
      if (record.status !== 'IN_PROGRESS') continue;
      consider(record.blueGreen?.waitUntil);
      // CloudWatch evaluates alarms at each minute boundary (runtime/traffic.ts): ECS looks right after
      if (record.alarms.status === 'MONITORING') consider((Math.floor(ctx.simulatedUntil / MINUTE_MS) + 1) * MINUTE_MS);
    }
  }
  return next;
}
