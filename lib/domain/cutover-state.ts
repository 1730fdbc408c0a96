import * as z from 'zod/mini';
import { parseInput } from './parse-input';
import { RuleActionSchema } from './release-schema';

/**
 * The cut-over execution's input, built by "Start cut-over if due": the monolith's lock and its lease, and the
 * rollout that started it (for the history; the name already says which migration it is).
 */
export const CutoverInputSchema = z.object({
  lockKey: z.string().check(z.minLength(1), z.maxLength(80)),
  leaseUntil: z.iso.datetime(),
  startedBy: z.string().check(z.minLength(1), z.maxLength(80)),
  services: z.array(z.string().check(z.minLength(1))),
});
export type CutoverInput = z.infer<typeof CutoverInputSchema>;

/** Carried in $.cutover between the cut-over's steps; `plan[].before` is what compensation restores. */
export const CutoverStateSchema = z.object({
  executionName: z.string().check(z.minLength(1)),
  ready: z.boolean(),
  reason: z.string(),
  monolith: z.optional(z.object({ service: z.string(), targetGroupArn: z.string(), desiredCount: z.number(), deregistrationDelaySeconds: z.number() })),
  plan: z.array(
    z.object({
      ruleArn: z.string(),
      isDefault: z.boolean(),
      priority: z.union([z.number(), z.literal('default')]),
      before: z.array(RuleActionSchema),
      after: z.array(RuleActionSchema),
    }),
  ),
  /** Set by "Scale monolith to zero": the first wait before looking whether it drained. */
  drainWaitSeconds: z.optional(z.number()),
});
export type CutoverState = z.infer<typeof CutoverStateSchema>;

export function parseCutover(input: unknown, step: string): CutoverState {
  return parseInput(CutoverStateSchema, input, step, 'cutover.');
}
