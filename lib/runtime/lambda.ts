import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { defaultDeps, processLogger, type Deps } from './deps';

export type StepHandler<O> = (input: unknown) => Promise<O>;
export type HandlerFactory<O> = (deps: Deps) => StepHandler<O>;

/**
 * Wraps a handler factory as a Lambda entry point. Dependencies are built on the first invocation of
 * the process (cold start), so a missing variable fails the first call with its name, and importing the
 * module (tests, the local runner) needs no environment at all. Powertools' middleware adds the Lambda
 * context (request id, cold start) to every log line of the invocation.
 */
export function lambdaHandler<O>(factory: HandlerFactory<O>) {
  let inner: StepHandler<O> | undefined;
  return middy(async (input: unknown): Promise<O> => {
    inner ??= factory(defaultDeps());
    return inner(input);
  }).use(injectLambdaContext(processLogger, { resetKeys: true }));
}
