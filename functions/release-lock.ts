import { z } from 'zod';
import { lambdaHandler } from '../lib/runtime/lambda';
import { parseInput } from '../lib/domain/parse-input';
import type { Deps } from '../lib/runtime/deps';

const InputSchema = z.object({
  lockName: z.string().min(1).max(64),
  owner: z.string().min(1).max(80),
  /** After a successful rollout: what is now live, so an older push can never replace it. */
  record: z.object({ eventTime: z.iso.datetime({ offset: true }), digest: z.string().min(1) }).optional(),
});

export const makeHandler = (deps: Deps) => async (input: unknown): Promise<{ released: boolean; recorded: boolean }> => {
  const { lockName, owner, record } = parseInput(InputSchema, input, 'release lock');
  const recorded = record
    ? await deps.locks.recordDeployed(lockName, { eventTimeMs: Date.parse(record.eventTime), digest: record.digest, executionName: owner })
    : false;
  const released = await deps.locks.release(lockName, owner);
  return { released, recorded };
};

export const handler = lambdaHandler(makeHandler);
