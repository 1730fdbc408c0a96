import { z } from 'zod';
import { parseCutover, type CutoverState } from '../domain/cutover-state';
import { parseInput } from '../domain/parse-input';
import type { Release } from '../domain/release';
import { parseRelease } from '../domain/release-schema';
import { requireField } from './require-field';

const InputSchema = z.object({ release: z.unknown(), cutover: z.unknown() });

/** The input of every step after the cut-over was planned: { release, cutover } with a planned monolith. */
export function parseCutoverStep(input: unknown, step: string): { release: Release; cutover: CutoverState; monolith: NonNullable<CutoverState['monolith']> } {
  const parsed = parseInput(InputSchema, input, step);
  const release = parseRelease(parsed.release, step);
  const cutover = parseCutover(parsed.cutover, step);
  return { release, cutover, monolith: requireField(cutover.monolith, step, 'cutover.monolith') };
}
