'use strict';
/**
 * serverless.yml reads the Lambdas' timeouts from lib/runtime/time-budget.ts, the module the SDK clients take their
 * timeouts and attempts from, so the two cannot drift: `${file(config/time-budget.cjs):<export>}`.
 * (osls reads a .ts file as plain text, hence this shim; tsx compiles the module on require, without registering
 * itself for the rest of the packaging run.)
 */
const tsx = require('tsx/cjs/api');

const budget = tsx.require('../lib/runtime/time-budget.ts', __filename);

module.exports = {
  /** provider.timeout: every step's Lambda. */
  stepLambdaTimeoutSeconds: budget.LAMBDA_TIMEOUT_SECONDS.step,
  /** functions.compensate.timeout. */
  compensateLambdaTimeoutSeconds: budget.LAMBDA_TIMEOUT_SECONDS.compensate,
};
