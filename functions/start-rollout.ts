import { z } from 'zod';
import { ValidationError } from '../lib/errors';
import { DIGEST, executionNameFor } from '../lib/domain/push-event';
import { lambdaHandler } from '../lib/runtime/lambda';
import type { Deps } from '../lib/runtime/deps';

// Just enough to name the execution; "Resolve release" validates the whole event inside the workflow,
// where a rejection is visible in the Step Functions console.
const StarterEventSchema = z.looseObject({
  detail: z.looseObject({
    'repository-name': z.string().min(1).max(256),
    'image-digest': z.string().regex(DIGEST, 'must be sha256: followed by 64 lowercase hex characters'),
  }),
});

export type StartOutcome = { status: 'STARTED'; name: string; executionArn: string } | { status: 'DUPLICATE'; name: string };

export const makeHandler = (deps: Deps) => async (event: unknown): Promise<StartOutcome> => {
  const parsed = StarterEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(event)';
    throw new ValidationError(`start rollout: invalid ECR push event: ${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  const repository = parsed.data.detail['repository-name'];
  const digest = parsed.data.detail['image-digest'];
  const name = executionNameFor(repository, digest);
  // receivedAt makes every delivery's input distinct, so a re-delivery always gets ExecutionAlreadyExists
  // (StartExecution with an identical input would silently return the running execution instead).
  const result = await deps.sfn.start(name, { event, receivedAt: new Date(deps.now()).toISOString() });
  if (!result.started) {
    deps.logger.info('duplicate delivery: an execution with this name already exists', { execution: name, repository, digest });
    return { status: 'DUPLICATE', name };
  }
  deps.logger.info('rollout started', { execution: name, repository, digest });
  return { status: 'STARTED', name, executionArn: result.executionArn };
};

export const handler = lambdaHandler(makeHandler);
