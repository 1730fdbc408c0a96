import { TrafficGateError } from '../errors';
import type { Manifest } from '../domain/manifest';
import type { Release } from '../domain/release';
import { bakeCheckSeconds, judgeBake, METRICS_SETTLE_SECONDS, type BakeObservation } from '../domain/traffic';
import type { Deps } from './deps';
import { logKeys } from './manifest-of';

const MINUTE_MS = 60_000;

/**
 * What `targetGroupArn` saw since `sinceMs`, from CloudWatch (AWS/ApplicationELB at 60 s periods; the window runs from
 * the minute it began to the end of the current minute, so the look includes the latest datapoints CloudWatch has;
 * UnHealthyHostCount from the first whole minute), and the manifest's alarms.
 */
export async function observeGroup(deps: Pick<Deps, 'cloudwatch' | 'config'>, manifest: Manifest, targetGroupArn: string, sinceMs: number, nowMs: number): Promise<BakeObservation> {
  const window = {
    targetGroupArn,
    listenerArn: deps.config.listenerArn,
    startMs: Math.floor(sinceMs / MINUTE_MS) * MINUTE_MS,
    unhealthyFromMs: Math.ceil(sinceMs / MINUTE_MS) * MINUTE_MS,
    endMs: Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS,
  };
  const [metrics, alarms] = await Promise.all([deps.cloudwatch.metrics(window), deps.cloudwatch.alarmStates(manifest.traffic.alarms)]);
  return { ...metrics, alarmsInAlarm: alarms.inAlarm, alarmsMissing: alarms.missing };
}

/**
 * A look at the bake under way (release.shift.bake): what the new group saw since the bake began, from CloudWatch
 * (AWS/ApplicationELB at 60 s periods; the window runs from the minute the bake began to the end of the current
 * minute, so the look includes the latest datapoints CloudWatch has) and the manifest's alarms. A look during the
 * bake only trips; the look at its end passes or trips. Tripped: TrafficGateError, which compensation turns into the
 * rule as it was, the new service and group removed (or the service back on its previous revision).
 */
export async function judgeBakeStep(deps: Pick<Deps, 'cloudwatch' | 'config' | 'logger' | 'now'>, release: Release, manifest: Manifest): Promise<Release> {
  const shift = release.shift;
  const bake = shift?.bake;
  const gate = release.gate;
  if (!shift || !bake || !gate || !release.targetGroupArn) return release;
  const now = deps.now();
  const elapsedSeconds = (now - Date.parse(bake.startedAt)) / 1000;
  // The last look comes one CloudWatch period after the bake, so the bake's last minute has been published.
  const endSeconds = bake.seconds + METRICS_SETTLE_SECONDS;
  const final = elapsedSeconds >= endSeconds;
  const metrics = await observeGroup(deps, manifest, bake.targetGroupArn ?? release.targetGroupArn, Date.parse(bake.startedAt), now);
  const verdict = judgeBake(manifest.traffic, shift.percent, metrics, final);
  deps.logger.info('bake', { ...logKeys(release), percent: shift.percent, final, passed: verdict.passed, requests: metrics.requests, errors5xx: metrics.errors5xx, elapsedSeconds });
  if (verdict.passed === false) {
    throw new TrafficGateError(`traffic gate for ${manifest.name}: ${verdict.reason}, ${Math.round(elapsedSeconds)} s into a ${bake.seconds} s bake`);
  }
  const checks = bake.checks + 1;
  if (verdict.passed) {
    return { ...release, shift: { steps: shift.steps, done: shift.done, percent: shift.percent }, gate: { ...gate, healthy: true, nextWaitSeconds: 0, lastReason: `bake at ${shift.percent} % passed: ${metrics.requests} requests, ${metrics.errors5xx} 5xx` } };
  }
  return {
    ...release,
    shift: { ...shift, bake: { ...bake, checks } },
    gate: { ...gate, healthy: false, nextWaitSeconds: bakeCheckSeconds(manifest.traffic, endSeconds - elapsedSeconds), lastReason: `baking at ${shift.percent} %: ${metrics.requests} requests so far` },
  };
}
