/**
 * In-process AWS emulator for local mode and tests: ordinary SDK v3 clients get an initialize-step middleware
 * that answers from in-memory state on a virtual clock (no network, no timers, deterministic ids).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import { cloudwatchHandlers } from './cloudwatch';
import { createContext } from './context';
import { dispatch, settle, type EmulatorCore } from './dispatch';
import { dynamodbHandlers } from './dynamodb/tables';
import { ecrHandlers, pushImage } from './ecr';
import { ecsHandlers } from './ecs';
import { elbv2Handlers } from './elbv2';
import { FaultInjector } from './faults';
import { route } from './route';
import { markImageSlowToStart, markImageUnhealthy } from './runtime/images';
import { scheduleFailingChecks } from './runtime/health';
import { snapshot } from './snapshot';
import { Throttler } from './throttling';
import { trafficControls, type TrafficControls } from './traffic-controls';
import type { CallRecord, EmulatorOptions, EmulatorState, FaultRule, RouteResult } from './types';
import { createSubnet, createVpc } from './vpcs';

export type * from './types';
export type { TrafficConfig, TrafficControls, TrafficStream } from './traffic-controls';

/** The internal manual clock starts here when no `now` is injected. */
export const MANUAL_CLOCK_START = Date.parse('2026-11-26T09:00:00Z');

export interface EmulatorClients {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  ecr: ECRClient;
  dynamodb: DynamoDBClient;
  cloudwatch: CloudWatchClient;
  ec2?: never;
}

export interface AwsEmulator {
  attach<T extends { middlewareStack: unknown }>(client: T): T;
  clients(): EmulatorClients;
  faults: { add(rule: FaultRule): void; clear(): void };
  markImageUnhealthy(imageRef: string): void;
  /** Tasks running this image ('sha256:…' or an image URI) fail their health checks for their first `seconds`. */
  markImageSlowToStart(imageRef: string, seconds: number): void;
  pushImage(repository: string, digest: string, tag?: string): void;
  createVpc(cidr?: string): string;
  createSubnet(vpcId: string): string;
  readonly calls: ReadonlyArray<CallRecord>;
  advance(ms: number): void;
  settle(): void;
  snapshot(): EmulatorState;
  route(listenerArn: string, path: string): RouteResult;
  /** Simulated requests through the listeners (AWS/ApplicationELB metrics), and images that answer 5xx or slowly. */
  traffic: TrafficControls;
}

export function createEmulator(options: EmulatorOptions = {}): AwsEmulator {
  const manualClock = { now: MANUAL_CLOCK_START };
  const now = options.now ?? ((): number => manualClock.now);
  const taskStartSeconds = options.taskStartSeconds ?? 10;
  if (!(taskStartSeconds >= 0)) throw new Error(`create emulator: taskStartSeconds must be >= 0, got ${taskStartSeconds}`);
  const ctx = createContext(options.accountId ?? '123456789012', options.region ?? 'us-east-1', taskStartSeconds, now);
  const core: EmulatorCore = {
    ctx, faults: new FaultInjector(), throttler: new Throttler(options.throttling), calls: [],
    handlers: { ecs: ecsHandlers(ctx), elbv2: elbv2Handlers(ctx), ecr: ecrHandlers(ctx), dynamodb: dynamodbHandlers(ctx),
      cloudwatch: cloudwatchHandlers(ctx),
    },
  };
  const settleNow = (): void => settle(ctx);

  const attach = <T extends { middlewareStack: unknown }>(client: T): T => {
    const stack = client.middlewareStack as MiddlewareStack<object, MetadataBearer>;
    stack.add(
      (_next, context) => async (args) => ({ output: (await dispatch(core, context.clientName, context.commandName, args.input)) as MetadataBearer, response: {} }),
      { step: 'deserialize', name: 'awsEmulator', priority: 'high', override: true },
    );
    return client;
  };

  return {
    attach,
    clients: () => {
      const config = { region: ctx.region, credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' }, maxAttempts: 1 };
      return {
        ecs: attach(new ECSClient(config)), elbv2: attach(new ElasticLoadBalancingV2Client(config)),
        ecr: attach(new ECRClient(config)), dynamodb: attach(new DynamoDBClient(config)), cloudwatch: attach(new CloudWatchClient(config)),
      };
    },
    faults: { add: (rule) => core.faults.add(rule), clear: () => core.faults.clear() },
    markImageUnhealthy: (imageRef) => {
      settleNow();
      markImageUnhealthy(ctx, imageRef);
      scheduleFailingChecks(ctx);
    },
    markImageSlowToStart: (imageRef, seconds) => {
      if (!(seconds >= 0)) throw new Error(`markImageSlowToStart: seconds must be >= 0, got ${seconds}`);
      settleNow();
      markImageSlowToStart(ctx, imageRef, seconds);
    },
    pushImage: (repository, digest, tag) => {
      settleNow();
      pushImage(ctx, repository, digest, tag);
    },
    createVpc: (cidr) => createVpc(ctx, cidr),
    createSubnet: (vpcId) => createSubnet(ctx, vpcId),
    get calls() {
      return core.calls;
    },
    advance: (ms) => {
      if (options.now) throw new Error('advance: this emulator reads an injected now(); move that clock instead');
      if (!(ms >= 0)) throw new Error(`advance: ms must be >= 0, got ${ms}`);
      manualClock.now += ms;
      settleNow();
    },
    settle: settleNow,
    snapshot: () => {
      settleNow();
      return snapshot(ctx);
    },
    route: (listenerArn, path) => {
      settleNow();
      return route(ctx, listenerArn, path);
    },
    traffic: trafficControls(ctx, settleNow),
  };
}
