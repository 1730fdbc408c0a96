/**
 * The pipeline's time budget, in one place: a Lambda must be over before the Task that invoked it times out, and an
 * SDK call must be over before its Lambda times out. Step Functions cannot stop a running invocation (a Task that
 * times out only stops waiting for it), so a Lambda outliving its Task could make a change after "Compensate" has
 * read what to restore. serverless.yml reads the Lambda timeouts from here (config/time-budget.cjs), the Lambdas'
 * SDK clients their timeouts and attempts (lib/runtime/clients.ts); test/package/timeouts.test.ts checks the
 * packaged template against the Task TimeoutSeconds of statemachines/*.asl.yaml.
 *
 * Sources:
 * - Step Functions: a Task that runs longer than its TimeoutSeconds fails with States.Timeout (developer guide,
 *   "Task workflow state"; Amazon States Language, "Task State"); the invocation itself runs on.
 * - Lambda: an invocation ends at the function's timeout; before it, the Init phase (runtime start, module load)
 *   is limited to 10 s, and an Init that does not finish in time is run again within the first invocation and its
 *   timeout (Lambda developer guide, "Understanding the Lambda execution environment lifecycle", Init phase).
 * - AWS SDKs: standard retry mode makes 3 attempts and backs off exponentially with full jitter, at most 20 s per
 *   retry (AWS SDKs and Tools Reference Guide, "Retry behavior"; MAXIMUM_RETRY_DELAY in @smithy/core's util-retry).
 *   A service's Retry-After header can stretch one back-off by at most 5 s more (StandardRetryStrategy in
 *   @smithy/core 3.41). We set our own, shorter back-off (below): the long waits belong to the state machine,
 *   which retries TransientAwsError 10 times, up to 60 s apart, without a Lambda running meanwhile.
 */

/** Task TimeoutSeconds in statemachines/*.asl.yaml: every Lambda step, and "Compensate" (several restores in a row). */
export const TASK_TIMEOUT_SECONDS = { step: 60, compensate: 120 } as const;

/** Lambda's limit on the Init phase, which runs before the function's timeout starts counting. */
export const LAMBDA_INIT_LIMIT_SECONDS = 10;
/**
 * An allowance (not a documented figure) for Step Functions' Invoke call to reach Lambda and the result to come
 * back: the Task's clock starts when the state is entered, the function's when its handler starts.
 */
export const INVOKE_ROUND_TRIP_SECONDS = 5;
/** What a Task's TimeoutSeconds must exceed a Lambda's timeout by: a cold start's Init, then the round trip. */
export const LAMBDA_START_MARGIN_SECONDS = LAMBDA_INIT_LIMIT_SECONDS + INVOKE_ROUND_TRIP_SECONDS;

/** Lambda timeouts (serverless.yml): provider default for every step, and Compensate's own. */
export const LAMBDA_TIMEOUT_SECONDS = { step: 40, compensate: 100 } as const;

export interface SdkBudget {
  /** Attempts per call, the first included (the SDK's standard mode default is 3). */
  readonly maxAttempts: number;
  /** TCP connect; within requestTimeoutMs, which runs from the moment the request is made. */
  readonly connectionTimeoutMs: number;
  /** Until the response's headers (NodeHttpHandler requestTimeout, with throwOnRequestTimeout), per attempt. */
  readonly requestTimeoutMs: number;
  /** First retry's back-off ceiling; it doubles per retry up to maxBackoffMs (full jitter below the ceiling). */
  readonly backoffBaseMs: number;
  readonly maxBackoffMs: number;
  /** How far a Retry-After header may stretch one back-off (StandardRetryStrategy: at most 5 s). */
  readonly retryAfterAllowanceMs: number;
}

/**
 * The Lambdas' SDK calls. A ServiceUnavailable or throttled call is tried 3 times within a few seconds, then
 * handed to the state machine as TransientAwsError. 5 s per attempt is ample for ECS and ELBv2 control-plane calls
 * (tens to hundreds of milliseconds). A call the client gives up on may still take effect at the service, as after
 * any lost connection: the SDK's retry of it then meets the change, and a step the state machine runs again reads
 * what is there before it writes.
 */
export const SDK_BUDGET: SdkBudget = {
  maxAttempts: 3,
  connectionTimeoutMs: 2_000,
  requestTimeoutMs: 5_000,
  backoffBaseMs: 1_000,
  maxBackoffMs: 2_000,
  retryAfterAllowanceMs: 5_000,
};

/** The ceiling of the back-off before retry number `retry` (1 = the second attempt): base × 2^(retry-1), capped. */
export function backoffCeilingMs(retry: number, budget: SdkBudget = SDK_BUDGET): number {
  return Math.min(budget.maxBackoffMs, budget.backoffBaseMs * 2 ** Math.max(0, retry - 1));
}

/**
 * The longest one SDK call can take, counted generously: every attempt waits out its request timeout and the
 * largest back-off, Retry-After allowance included (the first attempt has no back-off; counting one anyway keeps
 * the bound simple and safe).
 */
export function worstCaseCallMs(budget: SdkBudget = SDK_BUDGET): number {
  return budget.maxAttempts * (budget.requestTimeoutMs + budget.maxBackoffMs + budget.retryAfterAllowanceMs);
}

/** A Lambda of this timeout is over before a Task of this TimeoutSeconds gives up on it, even on a cold start. */
export function lambdaFitsTask(lambdaTimeoutSeconds: number, taskTimeoutSeconds: number): boolean {
  return lambdaTimeoutSeconds + LAMBDA_START_MARGIN_SECONDS < taskTimeoutSeconds;
}

/** One SDK call, retries included, is over before a Lambda of this timeout is stopped. */
export function callFitsLambda(lambdaTimeoutSeconds: number, budget: SdkBudget = SDK_BUDGET): boolean {
  return worstCaseCallMs(budget) < lambdaTimeoutSeconds * 1000;
}
