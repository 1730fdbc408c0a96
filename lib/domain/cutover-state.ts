import { z } from 'zod';
import { parseInput } from './parse-input';
import type { ActionChange } from './cutover-plan';

/** Carried in $.cutover between the cut-over steps; `plan[].before` is what compensation restores. */
export interface CutoverState {
  readonly ready: boolean;
  readonly reason: string;
  readonly monolith?: {
    readonly service: string;
    readonly targetGroupArn: string;
    readonly desiredCount: number;
    readonly deregistrationDelaySeconds: number;
  };
  readonly plan: readonly ActionChange[];
  readonly drain?: { readonly waitedSeconds: number; readonly nextWaitSeconds: number; readonly drained: boolean };
}

export const CutoverStateSchema = z.looseObject({
  ready: z.boolean(),
  reason: z.string(),
  monolith: z
    .object({ service: z.string(), targetGroupArn: z.string(), desiredCount: z.number(), deregistrationDelaySeconds: z.number() })
    .optional(),
  plan: z.array(z.looseObject({ ruleArn: z.string(), isDefault: z.boolean(), before: z.array(z.looseObject({ Type: z.string() })) })),
  drain: z.object({ waitedSeconds: z.number(), nextWaitSeconds: z.number(), drained: z.boolean() }).optional(),
});

export function parseCutover(input: unknown, step: string): CutoverState {
  return parseInput(CutoverStateSchema, input, step, 'cutover.') as unknown as CutoverState;
}
