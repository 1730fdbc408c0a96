import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createEcsAdapter } from '../../lib/aws/ecs';
import { TransientAwsError } from '../../lib/errors';
import { lambdaClientConfig } from '../../lib/runtime/clients';
import { callFitsLambda, LAMBDA_START_MARGIN_SECONDS, LAMBDA_TIMEOUT_SECONDS, worstCaseCallMs, type SdkBudget } from '../../lib/runtime/time-budget';
import { loadTemplate, resourcesOfType, type CfnTemplate } from './template-helpers';

/**
 * The time budget (lib/runtime/time-budget.ts) as packaged: every Task that invokes a Lambda waits longer than that
 * Lambda can run, cold start and invoke round trip included, so no Lambda is still changing things when the state
 * machine has moved on to Compensate. Read from the packaged template, so it covers serverless.yml, the definitions
 * and how serverless-step-functions wires them together.
 */
const template = loadTemplate();

interface AslState {
  Type: string;
  Resource?: unknown;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  Branches?: { States: Record<string, AslState> }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
}

/** A state machine's definition with each whole-string `${var}` of its Fn::Sub replaced by the variable's expression. */
function definitionOf(template: CfnTemplate, logicalId: string): { States: Record<string, AslState> } {
  const definition = template.Resources[logicalId]?.Properties?.DefinitionString as string | { 'Fn::Sub': [string, Record<string, unknown>] };
  const [text, variables] = typeof definition === 'string' ? [definition, {}] : definition['Fn::Sub'];
  return JSON.parse(text, (_key, value: unknown) => {
    const name = typeof value === 'string' ? /^\$\{([^}]+)\}$/.exec(value)?.[1] : undefined;
    return name !== undefined && name in variables ? variables[name] : value;
  }) as { States: Record<string, AslState> };
}

/** Every Task state, those inside Parallel branches and Map iterators included. */
function tasksOf(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]): [string, AslState][] => [
    ...(state.Type === 'Task' ? [[name, state] as [string, AslState]] : []),
    ...(state.Branches ?? []).flatMap((branch) => tasksOf(branch.States)),
    ...tasksOf(state.ItemProcessor?.States ?? state.Iterator?.States ?? {}),
  ]);
}

/** The Lambda a Task invokes: its Resource (the function's ARN), or FunctionName of the lambda:invoke integration. */
function invokedFunction(state: AslState): string | undefined {
  const target = typeof state.Resource === 'string' && state.Resource.includes(':states:::lambda:invoke') ? state.Parameters?.FunctionName : state.Resource;
  const expression = target as { 'Fn::GetAtt'?: [string, string]; Ref?: string } | undefined;
  const logicalId = expression?.['Fn::GetAtt']?.[0] ?? expression?.Ref;
  return logicalId !== undefined && template.Resources[logicalId]?.Type === 'AWS::Lambda::Function' ? logicalId : undefined;
}

const lambdaTimeout = (logicalId: string) => template.Resources[logicalId]?.Properties?.Timeout as number | undefined;
const functionIds = resourcesOfType(template, 'AWS::Lambda::Function').map(([logicalId]) => logicalId);
const lambdaTasks = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').flatMap(([machine]) =>
  tasksOf(definitionOf(template, machine).States).flatMap(([name, state]) => {
    const fn = invokedFunction(state);
    return fn === undefined ? [] : [{ task: `${machine}: ${name}`, fn, taskTimeout: state.TimeoutSeconds }];
  }),
);

describe('packaged template: Lambda timeouts inside their Tasks', () => {
  it('finds every Lambda of the stack behind a Task, but the starter EventBridge invokes', () => {
    // Assess: the resolution below covers every step, so a step cannot escape the check
    expect(lambdaTasks.length).toBeGreaterThanOrEqual(15);
    expect(functionIds.filter((id) => !lambdaTasks.some((task) => task.fn === id))).toEqual(['StartRolloutLambdaFunction']);
  });

  it.each(lambdaTasks.map((task) => [task.task, task] as const))(
    `"%s": the Lambda's timeout + ${LAMBDA_START_MARGIN_SECONDS} s (Init and invoke round trip) is under the Task's TimeoutSeconds`,
    (_name, { fn, taskTimeout }) => {
      // Assess
      expect(taskTimeout).toEqual(expect.any(Number));
      expect((lambdaTimeout(fn) ?? Infinity) + LAMBDA_START_MARGIN_SECONDS).toBeLessThan(taskTimeout ?? 0);
    },
  );

  it.each(functionIds)('%s: its timeout is the time budget’s, and one SDK call with its retries fits in it', (logicalId) => {
    // Prepare
    const expected = logicalId === 'CompensateLambdaFunction' ? LAMBDA_TIMEOUT_SECONDS.compensate : LAMBDA_TIMEOUT_SECONDS.step;

    // Assess
    expect(lambdaTimeout(logicalId)).toBe(expected);
    expect(callFitsLambda(lambdaTimeout(logicalId) ?? Infinity)).toBe(true);
  });
});

describe("the Lambdas' SDK clients against an endpoint that never answers (loopback only)", () => {
  // The budget's shape, scaled down so the test takes a second instead of 15.
  const budget: SdkBudget = { maxAttempts: 3, connectionTimeoutMs: 200, requestTimeoutMs: 300, backoffBaseMs: 20, maxBackoffMs: 40, retryAfterAllowanceMs: 0 };
  // A server that reads every request and never answers; closed in afterAll even when a hung call times the test out.
  const requests: IncomingMessage[] = [];
  const server = createServer((request) => {
    requests.push(request);
    request.resume();
  });
  let client: ECSClient | undefined;
  beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
  afterAll(() => {
    client?.destroy();
    server.closeAllConnections();
    server.close();
  });

  it('gives up after the budget’s attempts, each cut at its request timeout, and reports TransientAwsError', async () => {
    // Prepare
    client = new ECSClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      ...lambdaClientConfig(budget),
    });
    const started = Date.now();

    // Act
    const outcome = await createEcsAdapter(client, 'cluster').describeService('posts').then(
      () => undefined,
      (error: unknown) => error,
    );
    const elapsed = Date.now() - started;

    // Assess
    expect(outcome).toBeInstanceOf(TransientAwsError);
    expect((outcome as Error).message).toContain('TimeoutError');
    expect(requests).toHaveLength(budget.maxAttempts);
    expect(elapsed).toBeGreaterThanOrEqual(budget.maxAttempts * budget.requestTimeoutMs - 50);
    expect(elapsed).toBeLessThan(worstCaseCallMs(budget) + 500);
  }, 10_000);
});
