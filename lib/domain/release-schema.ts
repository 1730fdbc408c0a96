import { z } from 'zod';
import { parseInput } from './parse-input';
import type { Release } from './release';

const ActionSchema = z.looseObject({ Type: z.string() });

/** What a step accepts as the release: the fields every step relies on, checked at the edge. */
export const ReleaseSchema = z.looseObject({
  executionName: z.string().min(1).max(80),
  service: z.string().min(1),
  role: z.enum(['monolith', 'microservice']),
  push: z.looseObject({
    account: z.string(),
    region: z.string(),
    time: z.string(),
    repository: z.string(),
    digest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  }),
  imageUri: z.string().min(1),
  retired: z.boolean(),
  upToDate: z.boolean().default(false),
  cutoverLock: z.string().min(1).max(64),
  before: z
    .looseObject({
      service: z.looseObject({ exists: z.boolean() }),
      targetGroupExisted: z.boolean(),
      rule: z.looseObject({ ruleArn: z.string(), actions: z.array(ActionSchema) }).nullable(),
    })
    .optional(),
  changes: z.array(z.string()),
});

export function parseRelease(input: unknown, step: string): Release {
  return parseInput(ReleaseSchema, input, step, 'release.');
}
