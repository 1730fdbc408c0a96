/** One emulated API call: settle virtual time, record it, apply faults and throttling, run the handler. */
import { deepClone } from './clone';
import type { EmulatorContext } from './context';
import { accessDeniedCode, awsError, throttlingCode } from './errors';
import type { FaultInjector } from './faults';
import { isMutating, type Handlers } from './handlers';
import { reconcileAll, simulateUntil } from './runtime/simulate';
import type { Throttler } from './throttling';
import type { CallRecord, ServiceName } from './types';

export interface EmulatorCore {
  ctx: EmulatorContext;
  handlers: Record<Exclude<ServiceName, 'ec2'>, Handlers>;
  faults: FaultInjector;
  throttler: Throttler;
  calls: CallRecord[];
}

const clientServices: Record<string, Exclude<ServiceName, 'ec2'> | undefined> = {
  ECSClient: 'ecs', ElasticLoadBalancingV2Client: 'elbv2', ECRClient: 'ecr', DynamoDBClient: 'dynamodb', CloudWatchClient: 'cloudwatch',
};

let requestCounter = 0;

export function settle(ctx: EmulatorContext): void {
  simulateUntil(ctx, ctx.now());
}

export async function dispatch(core: EmulatorCore, clientName: string | undefined, commandName: string | undefined, input: unknown): Promise<object> {
  const service = clientServices[clientName ?? ''];
  if (!service) throw new Error(`emulator does not support client ${String(clientName)}`);
  const operation = (commandName ?? '').replace(/Command$/, '');
  settle(core.ctx);
  const mutating = isMutating(operation);
  const record: CallRecord = { service, operation, mutating, at: core.ctx.simulatedUntil };
  core.calls.push(record);
  const fail = (error: Error): never => {
    record.error = error.name;
    throw error;
  };
  const handler = core.handlers[service][operation] as ((input: unknown) => object) | undefined;
  if (!handler) return fail(new Error(`emulator does not implement ${service}:${operation}`));
  const run = (): object => {
    try {
      const output = deepClone(handler(deepClone(input)));
      if (mutating) reconcileAll(core.ctx);
      return output;
    } catch (error) {
      return fail(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const fault = core.faults.take(service, operation);
  if (fault?.kind === 'throttle') fail(awsError(service, throttlingCode[service], 'Rate exceeded'));
  if (fault?.kind === 'permanent') {
    const code = fault.code ?? accessDeniedCode[service];
    fail(awsError(service, code, `User is not authorized to perform: ${service}:${operation} (injected fault ${code})`));
  }
  if (fault?.kind === 'hang') {
    if (fault.applyFirst === true) run();
    record.error = 'Hang';
    // never settles: the caller sees what a Lambda timeout looks like from the inside
    return new Promise<never>(() => undefined);
  }
  if (!core.throttler.tryTake(service, mutating, core.ctx.simulatedUntil)) fail(awsError(service, throttlingCode[service], 'Rate exceeded'));
  requestCounter += 1;
  return { ...run(), $metadata: { httpStatusCode: 200, requestId: `emulator-request-${requestCounter}`, attempts: 1, totalRetryDelay: 0 } };
}
