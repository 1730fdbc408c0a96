import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { configFromEnv, type PipelineConfig } from '../config/pipeline-config';
import type { Deps } from './deps';

export type StepHandler<O> = (input: unknown) => Promise<O>;
export type HandlerFactory<O> = (deps: Deps) => StepHandler<O>;

/** What every handler gets: the configuration, a logger and a clock. */
export type BaseDeps = Pick<Deps, 'config' | 'logger' | 'now'>;
/** A handler's dependencies: the base, and only the adapters it calls. */
export type HandlerDeps<K extends keyof Deps = never> = Pick<Deps, 'config' | 'logger' | 'now' | K>;

/** One logger per Lambda process; the middleware adds the invocation's context to it. */
export const processLogger = new Logger({ serviceName: 'rollout' });

/**
 * Wraps a handler factory as a Lambda entry point. `adapters` builds only the clients this function calls,
 * so its bundle carries no other SDK client (lib/runtime/clients.ts). Everything is built on the first
 * invocation of the process (cold start), so a missing variable fails the first call with its name, and
 * importing the module (tests, the local runner) needs no environment at all. Powertools' middleware adds
 * the Lambda context (request id, cold start) to every log line of the invocation.
 */
export function lambdaHandler<A, O>(factory: (deps: BaseDeps & A) => StepHandler<O>, adapters: (config: PipelineConfig) => A) {
  let inner: StepHandler<O> | undefined;
  return middy(async (input: unknown): Promise<O> => {
    if (!inner) {
      const config = configFromEnv();
      inner = factory({ config, logger: processLogger, now: () => Date.now(), ...adapters(config) });
    }
    return inner(input);
  }).use(injectLambdaContext(processLogger, { resetKeys: true }));
}
