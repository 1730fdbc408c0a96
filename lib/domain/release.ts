/** An ELBv2 listener/rule action, trimmed to the fields the pipeline reads and writes. */
export interface RuleAction {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: { TargetGroups?: { TargetGroupArn?: string; Weight?: number }[] };
  FixedResponseConfig?: { StatusCode: string; ContentType?: string; MessageBody?: string };
}

// The release and its parts are defined once, as schemas; their types are inferred there.
export type { Release, PriorState, HealthGate, TargetGroupSettings } from './release-schema';
