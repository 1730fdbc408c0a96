import * as v from 'valibot';
import { parseInput, text, utcInstant } from './parse-input';
import { RuleActionSchema } from './release-schema';

/**
 * The cut-over execution's input, built by "Start cut-over if due": the monolith's lock and its lease, and the
 * rollout that started it (for the history; the name already says which migration it is).
 */
export const CutoverInputSchema = v.object({
  lockKey: text(1, 80),
  leaseUntil: utcInstant(),
  startedBy: text(1, 80),
  services: v.array(text(1)),
});
export type CutoverInput = v.InferOutput<typeof CutoverInputSchema>;

/** Carried in $.cutover between the cut-over's steps; `plan[].before` is what compensation restores. */
export const CutoverStateSchema = v.object({
  executionName: text(1),
  ready: v.boolean(),
  reason: v.string(),
  monolith: v.optional(v.object({ service: v.string(), targetGroupArn: v.string(), desiredCount: v.number(), deregistrationDelaySeconds: v.number() })),
  plan: v.array(
    v.object({
      ruleArn: v.string(),
      isDefault: v.boolean(),
      priority: v.union([v.number(), v.literal('default')]),
      before: v.array(RuleActionSchema),
      after: v.array(RuleActionSchema),
    }),
  ),
  /** Set by "Scale monolith to zero": the first wait before looking whether it drained. */
  drainWaitSeconds: v.optional(v.number()),
});
export type CutoverState = v.InferOutput<typeof CutoverStateSchema>;

export function parseCutover(input: unknown, step: string): CutoverState {
  return parseInput(CutoverStateSchema, input, step, 'cutover.');
}
