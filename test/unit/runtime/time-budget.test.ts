import { ECSClient } from '@aws-sdk/client-ecs';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { lambdaClientConfig } from '../../../lib/runtime/clients';
import {
  backoffCeilingMs,
  callFitsLambda,
  lambdaFitsTask,
  LAMBDA_START_MARGIN_SECONDS,
  LAMBDA_TIMEOUT_SECONDS,
  SDK_BUDGET,
  TASK_TIMEOUT_SECONDS,
  worstCaseCallMs,
  type SdkBudget,
} from '../../../lib/runtime/time-budget';

describe('time budget', () => {
  it('leaves Lambda its 10 s Init and 5 s for the invoke round trip between a Lambda timeout and its Task timeout', () => {
    expect(LAMBDA_START_MARGIN_SECONDS).toBe(15);
  });

  it.each(['step', 'compensate'] as const)('ends a %s Lambda, cold start included, before its Task gives up on it', (kind) => {
    // Assess
    expect(LAMBDA_TIMEOUT_SECONDS[kind] + LAMBDA_START_MARGIN_SECONDS).toBeLessThan(TASK_TIMEOUT_SECONDS[kind]);
    expect(lambdaFitsTask(LAMBDA_TIMEOUT_SECONDS[kind], TASK_TIMEOUT_SECONDS[kind])).toBe(true);
  });

  it.each([
    [45, 60, false],
    [44, 60, true],
    [70, 60, false],
    [105, 120, false],
    [104, 120, true],
  ])('says a %i s Lambda fits a %i s Task: %s', (lambda, task, fits) => {
    expect(lambdaFitsTask(lambda, task)).toBe(fits);
  });

  it('bounds one SDK call at 3 attempts × (5 s request + 2 s back-off + 5 s Retry-After) = 36 s, under the shortest Lambda timeout', () => {
    // Act
    const worst = worstCaseCallMs();

    // Assess
    expect(worst).toBe(3 * (5_000 + 2_000 + 5_000));
    expect(worst).toBeLessThan(Math.min(LAMBDA_TIMEOUT_SECONDS.step, LAMBDA_TIMEOUT_SECONDS.compensate) * 1000);
    expect(callFitsLambda(LAMBDA_TIMEOUT_SECONDS.step)).toBe(true);
  });

  it('counts every attempt in the bound, so a budget with more attempts no longer fits a 40 s Lambda', () => {
    // Prepare
    const fourAttempts: SdkBudget = { ...SDK_BUDGET, maxAttempts: 4 };

    // Assess
    expect(worstCaseCallMs(fourAttempts)).toBe(48_000);
    expect(callFitsLambda(40, fourAttempts)).toBe(false);
  });

  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 2_000],
    [10, 2_000],
  ])('caps the back-off before retry %i at %i ms (doubling from 1 s, never above the budget’s maximum)', (retry, ceiling) => {
    expect(backoffCeilingMs(retry)).toBe(ceiling);
  });
});

describe('lambdaClientConfig', () => {
  const saved = process.env.AWS_MAX_ATTEMPTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_MAX_ATTEMPTS;
    else process.env.AWS_MAX_ATTEMPTS = saved;
  });

  it('gives the SDK the budget’s request timeouts, as errors rather than warnings', () => {
    // Act
    const config = lambdaClientConfig();

    // Assess
    expect(config.maxAttempts).toBe(3);
    expect(config.requestHandler).toEqual({ connectionTimeout: 2_000, requestTimeout: 5_000, throwOnRequestTimeout: true, socketTimeout: 5_000 });
  });

  it('keeps to the budget’s attempts even when the environment asks for more (AWS_MAX_ATTEMPTS)', async () => {
    // Prepare
    process.env.AWS_MAX_ATTEMPTS = '10';
    const client = new ECSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 's' }, ...lambdaClientConfig() });

    // Act
    const strategy = await client.config.retryStrategy();

    // Assess
    expect(strategy).toBeInstanceOf(ConfiguredRetryStrategy);
    expect(await (strategy as ConfiguredRetryStrategy).maxAttempts()).toBe(3);
    client.destroy();
  });

  it('backs off with full jitter below the ceiling of each retry', async () => {
    // Prepare
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999);
    const strategy = lambdaClientConfig().retryStrategy;
    const first = await strategy.acquireInitialRetryToken('ecs');

    try {
      // Act
      const started = Date.now();
      const second = await strategy.refreshRetryTokenForRetry(first, { errorType: 'TRANSIENT' });
      const waited = Date.now() - started;

      // Assess
      expect(second.getRetryCount()).toBe(1);
      expect(waited).toBeGreaterThanOrEqual(990);
      expect(waited).toBeLessThan(1_500);
    } finally {
      random.mockRestore();
    }
  });
});
