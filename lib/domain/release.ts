import type { Manifest } from './manifest';
import type { PushSummary } from './push-event';

/** An ELBv2 listener/rule action, trimmed to the fields the pipeline reads and writes. */
export interface RuleAction {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] };
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
}

export interface TargetGroupSettings {
  readonly healthCheckPath?: string;
  readonly healthCheckIntervalSeconds?: number;
  readonly healthCheckTimeoutSeconds?: number;
  readonly healthyThresholdCount?: number;
  readonly unhealthyThresholdCount?: number;
  readonly matcher?: string;
  readonly deregistrationDelaySeconds?: number;
}

/** What the world looked like before this execution touched it: compensation restores exactly this. */
export interface PriorState {
  readonly service: { readonly exists: boolean; readonly taskDefinitionArn?: string; readonly desiredCount?: number };
  readonly targetGroupExisted: boolean;
  /** An existing group's settings that "Ensure target group" may reconcile: compensation puts them back. */
  readonly targetGroup?: TargetGroupSettings;
  readonly rule: { readonly ruleArn: string; readonly actions: RuleAction[] } | null;
}

export interface HealthGate {
  readonly waitedSeconds: number;
  readonly nextWaitSeconds: number;
  readonly healthy: boolean;
  readonly polls: number;
  readonly lastReason?: string;
  /** waitedSeconds at which the gate first saw only old tasks draining (see isDraining). */
  readonly drainingSinceSeconds?: number;
}

/**
 * The one object carried through an execution. Every field is small: never whole SDK responses
 * (Step Functions caps state at 256 KiB).
 */
export interface Release {
  readonly executionName: string;
  readonly service: string;
  readonly role: Manifest['role'];
  readonly push: PushSummary;
  readonly imageUri: string;
  /** The monolith has been cut over already: a push of its repository has nothing to deploy into. */
  readonly retired: boolean;
  /**
   * The lock the cut-over is decided under: the monolith's own service lock, so a push of the monolith and
   * the cut-over can never overlap.
   */
  readonly cutoverLock: string;
  /** The service already runs this image, healthy and routed: nothing to roll out (re-delivery or re-run). */
  readonly upToDate: boolean;
  /** Recorded under the service lock, before the first change; absent until then (nothing to restore). */
  readonly before?: PriorState;
  readonly taskDefinitionArn?: string;
  readonly targetGroupArn?: string;
  readonly ruleArn?: string;
  readonly gate?: HealthGate;
  /** Set by "Shift traffic": from here on the service's rollout is done and is not undone. */
  readonly live?: boolean;
  /** Steps that changed something in AWS, in order, for the execution's history. */
  readonly changes: readonly string[];
}
