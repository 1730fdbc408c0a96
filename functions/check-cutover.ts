import { z } from 'zod';
import { microservicesOf, monolithOf } from '../lib/domain/catalog';
import { dropTrafficActions, planDropMonolithTraffic } from '../lib/domain/cutover-plan';
import type { CutoverState } from '../lib/domain/cutover-state';
import { parseRelease } from '../lib/domain/release-schema';
import { lambdaHandler } from '../lib/runtime/lambda';
import { parseInput } from '../lib/domain/parse-input';
import { liveness as judge } from '../lib/domain/liveness';
import { logKeys } from '../lib/runtime/manifest-of';
import type { Deps } from '../lib/runtime/deps';

const InputSchema = z.object({ release: z.unknown() });

/**
 * Step 8, read-only and under the cut-over lock: is every microservice in services/ live (healthy, and
 * its paths routed to it), and does the monolith still get traffic or run tasks? The plan it returns
 * records each action's current value, which is what compensation restores.
 */
export const makeHandler = (deps: Deps) => async (input: unknown): Promise<CutoverState> => {
  const release = parseRelease(parseInput(InputSchema, input, 'check cut-over').release, 'check cut-over');
  const { catalog, listenerArn } = deps.config;
  const monolith = monolithOf(catalog);
  if (!monolith) return { ready: false, reason: 'no monolith in services/: nothing to cut over', plan: [] };
  const microservices = microservicesOf(catalog);
  const [services, rules, monolithGroup] = await Promise.all([
    deps.ecs.describeServices([monolith.name, ...microservices.map((m) => m.name)]),
    deps.elb.listenerRules(listenerArn),
    deps.elb.findTargetGroup(monolith.targetGroupName),
  ]);
  if (!monolithGroup) return { ready: false, reason: `monolith target group ${monolith.targetGroupName} not found: nothing forwards to it`, plan: [] };
  const plan = planDropMonolithTraffic(rules, monolithGroup.TargetGroupArn, dropTrafficActions(deps.config.cutoverMode, deps.config.dropTargetGroupArn));
  const monolithService = services.get(monolith.name);
  const desiredCount = monolithService?.desiredCount ?? 0;
  if (plan.length === 0 && desiredCount === 0) return { ready: false, reason: 'already cut over: the monolith gets no traffic and runs no tasks', plan: [] };

  // Cheap pass first (ECS + rules, already read); target health only once every service passes it,
  // so a fleet of concurrent rollouts does not spend ELB's Describe* quota on a known "not yet".
  for (const manifest of microservices) {
    const status = judge(manifest, services.get(manifest.name), rules);
    if (!status.live) return { ready: false, reason: `not every microservice is live: ${manifest.name} (${status.reason})`, plan: [] };
  }
  for (const manifest of microservices) {
    const view = services.get(manifest.name);
    const targets = await deps.elb.targetCounts(view?.targetGroupArns[0] ?? '');
    const status = judge(manifest, view, rules, targets);
    if (!status.live) return { ready: false, reason: `not every microservice is live: ${manifest.name} (${status.reason})`, plan: [] };
  }
  const deregistrationDelaySeconds = (await deps.elb.deregistrationDelay(monolithGroup.TargetGroupArn)) ?? 300;
  deps.logger.info('every microservice is live: cut-over is due', { ...logKeys(release), actions: plan.length });
  return {
    ready: true,
    reason: `all ${microservices.length} microservices live; ${plan.length} listener action(s) still reach the monolith, which runs ${desiredCount} task(s)`,
    monolith: { service: monolith.name, targetGroupArn: monolithGroup.TargetGroupArn, desiredCount, deregistrationDelaySeconds },
    plan,
  };
};

export const handler = lambdaHandler(makeHandler);
