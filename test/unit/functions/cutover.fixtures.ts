/** A listener and cluster where every microservice is live and the monolith still serves /api* and the default. */
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CutoverState } from '../../../lib/domain/cutover-state';
import {
  defaultRule,
  ecsService,
  forward,
  givenRules,
  givenServices,
  givenTargetGroups,
  givenTargetHealth,
  manifestNamed,
  observedTargetGroup,
  pathRule,
  releaseFor,
  ruleArn,
  targetGroupArn,
} from './fixtures';

export const monolithGroup = targetGroupArn('api');
export const microservices = ['posts', 'users', 'threads'] as const;

export function liveMicroserviceRules(): Rule[] {
  return microservices.map((name) => {
    const manifest = manifestNamed(name);
    return pathRule(manifest.priority, [...manifest.paths], forward([targetGroupArn(name), 1]));
  });
}

/** Every microservice live (COMPLETED, healthy, routed); the monolith runs 1 task behind /api* and the default. */
export function givenCutoverDue(options: { monolithDesired?: number; rules?: Rule[] } = {}): void {
  const desired = options.monolithDesired ?? 1;
  givenServices(ecsService('api', { desiredCount: desired }), ...microservices.map((name) => ecsService(name)));
  givenTargetGroups(observedTargetGroup(manifestNamed('api')));
  givenTargetHealth(Object.fromEntries(microservices.map((name) => [targetGroupArn(name), ['healthy' as const]])));
  givenRules(...(options.rules ?? [...liveMicroserviceRules(), pathRule(99, ['/api*'], forward([monolithGroup, 1])), defaultRule(forward([monolithGroup, 1]))]));
}

/** The rollout that found every microservice live: threads, just shifted. */
export const cutoverRelease = releaseFor('threads', { live: true });

/** The cut-over execution's own name (attempt 1), as Step Functions hands it to its steps. */
export const CUTOVER_EXECUTION = 'cutover-0123456789abcdef01234567-1';

const toMonolith = [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: monolithGroup, Weight: 1 }] } }];
const dropped = [
  {
    Type: 'fixed-response',
    FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain', MessageBody: 'Service Unavailable: this path was served by the retired monolith' },
  },
];

/** The state "Check cut-over" hands on when the cut-over is due (fixed-response mode). */
export function dueCutover(overrides: Partial<CutoverState> = {}): CutoverState {
  return {
    executionName: CUTOVER_EXECUTION,
    ready: true,
    reason: 'all 3 microservices live',
    monolith: { service: 'api', targetGroupArn: monolithGroup, desiredCount: 1, deregistrationDelaySeconds: 300 },
    plan: [
      { ruleArn: ruleArn('rule-99'), isDefault: false, priority: 99, before: toMonolith, after: dropped },
      { ruleArn: ruleArn('default'), isDefault: true, priority: 'default', before: toMonolith, after: dropped },
    ],
    ...overrides,
  };
}
