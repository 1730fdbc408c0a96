/**
 * Named errors. A Lambda error's `name` is what a state machine's `ErrorEquals` matches, so each class
 * here is a distinct branch of statemachines/*.asl.yaml: the transient ones are retried, the
 * permanent ones are caught into the compensation path.
 */

abstract class PipelineError extends Error {
  /** Spelled out in each class: a minifier renames classes, and this string is what the state machine matches. */
  abstract override readonly name: string;
}

/** Input that does not fit its schema (an event, a manifest, a handler's payload). Never retried. */
export class ValidationError extends PipelineError {
  override readonly name = 'ValidationError';

  constructor(
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A service manifest (services/<name>/service.yml) breaks a schema rule or an AWS limit. */
export class ManifestError extends PipelineError {
  override readonly name = 'ManifestError';

  constructor(
    message: string,
    readonly file: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A push for a repository that no manifest claims. */
export class UnknownRepositoryError extends PipelineError {
  override readonly name = 'UnknownRepositoryError';
}

/** A push whose tag the service does not deploy (its manifest's deployTags), or an untagged push. */
export class TagNotDeployedError extends PipelineError {
  override readonly name = 'TagNotDeployedError';
}

/** A rule evaluated before the service's own takes some of its paths: they would never reach the service. */
export class ShadowedPathError extends PipelineError {
  override readonly name = 'ShadowedPathError';
}

/** An image reference outside the service's own repository, account or region. */
export class ForeignImageError extends PipelineError {
  override readonly name = 'ForeignImageError';
}

/** The pushed digest is not in the repository (deleted since, or never pushed). */
export class ImageNotFoundError extends PipelineError {
  override readonly name = 'ImageNotFoundError';
}

/** Missing or malformed configuration (environment variables). Raised at cold start. */
export class ConfigurationError extends PipelineError {
  override readonly name = 'ConfigurationError';
}

/** AWS throttled us or had a passing fault: the state machine retries these with backoff. */
export class TransientAwsError extends PipelineError {
  override readonly name = 'TransientAwsError';
}

/** AWS refused a call for a reason a retry will not fix (AccessDenied, a limit, a missing resource). */
export class AwsRequestError extends PipelineError {
  override readonly name = 'AwsRequestError';

  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A target group with our name exists with settings we cannot reconcile in place (protocol, port, VPC). */
export class TargetGroupConflictError extends PipelineError {
  override readonly name = 'TargetGroupConflictError';
}

/** The manifest's rule priority is held by a rule that is not this service's. */
export class PriorityConflictError extends PipelineError {
  override readonly name = 'PriorityConflictError';
}

/**
 * The service's new rule must carry an authenticate-oidc action (its paths are served behind one today), and
 * CreateRule needs that action's client secret, which AWS never answers: the rule has to be created by hand.
 */
export class ClientSecretUnavailableError extends PipelineError {
  override readonly name = 'ClientSecretUnavailableError';
}

/** The listener, cluster or a resource the environment must provide is missing. */
export class EnvironmentNotFoundError extends PipelineError {
  override readonly name = 'EnvironmentNotFoundError';
}

/**
 * The service's name belongs to a deleted service that is still draining (e.g. compensation removed a
 * failed first rollout a moment ago): ECS accepts a new service of that name only once it is INACTIVE.
 * The state machine retries this on a slow, fixed schedule.
 */
export class ServiceDrainingError extends PipelineError {
  override readonly name = 'ServiceDrainingError';
}


/** A push waited for its service's lock longer than any rollout holds it (lib/domain/lock-lease.ts): nothing was changed. */
export class LockWaitTimeoutError extends PipelineError {
  override readonly name = 'LockWaitTimeoutError';
}

/** The new deployment failed: circuit breaker rolled back, or targets failed their health checks. */
export class ServiceUnhealthyError extends PipelineError {
  override readonly name = 'ServiceUnhealthyError';
}

/** The health gate ran out of time before the service was healthy. */
export class HealthGateTimeoutError extends PipelineError {
  override readonly name = 'HealthGateTimeoutError';
}

/**
 * The monolith still runs tasks or has targets in its group after the deregistration delay. The cut-over
 * retries this for a while (statemachines/policies.yaml); when the retries run out it is the failure.
 */
export class MonolithDrainingError extends PipelineError {
  override readonly name = 'MonolithDrainingError';
}

/** Compensation could not restore the prior state: a human must look. */
export class CompensationError extends PipelineError {
  override readonly name = 'CompensationError';
}

/** Error names the state machine retries with back-off; test/workflow/definition.test.ts holds every Task of the ASL to this list. */
export const TRANSIENT_ERROR_NAMES = [
  'TransientAwsError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A bake judged the new revision bad (5xx rate, p99 latency, unhealthy hosts, a named alarm, or too few requests to
 * judge): the rollout rolls back. The message names the metric or alarm, the value, the threshold and the percent.
 */
export class TrafficGateError extends PipelineError {
  override readonly name = 'TrafficGateError';
}

/** A manifest's traffic.alarms names an alarm CloudWatch does not have: refused before any change. */
export class UnknownAlarmError extends PipelineError {
  override readonly name = 'UnknownAlarmError';
}

/**
 * The service's rule splits its traffic between its two groups: an ECS deployment of it has not finished (or the rule
 * was changed by hand). The pipeline starts no other deployment over it; nothing of the service was changed.
 */
export class ServiceDeploymentInProgressError extends PipelineError {
  override readonly name = 'ServiceDeploymentInProgressError';
}
