import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { makeHandler as makeStarter, type StartOutcome } from '../../functions/start-rollout';
import { stepHandlers } from '../../functions/registry';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import type { PipelineConfig } from '../../lib/config/pipeline-config';
import type { Catalog } from '../../lib/domain/catalog';
import { buildPushEventPattern } from '../../lib/domain/event-pattern';
import { DIGEST } from '../../lib/domain/push-event';
import { createDeps, type AwsClients, type Deps } from '../../lib/runtime/deps';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import { createEmulator, type AwsEmulator, type FaultRule } from '../emulator';
import { matchesEventPattern, type EventPattern } from '../eventbridge/match-pattern';
import { STATE_MACHINES, localDefinition } from './definitions';
import { LocalStepFunctions, type ExecutionRecord } from './local-step-functions';
import { dynamodbIntegrations } from './service-integrations';
import { seedTutorial, type SeededEnvironment } from './seed-tutorial';
import { ServiceBehaviours, startTraffic, type TrafficOptions } from './traffic';
import { describeTrafficExit } from './traffic-progress';
import { VirtualTime, type ScheduleOptions } from './virtual-time';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
const CLIENT_CONFIG = { region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export interface PipelineOptions {
  readonly servicesDir?: string;
  readonly throttling?: boolean;
  readonly cutoverMode?: PipelineConfig['cutoverMode'];
  /** Give every function its own clients and record which AWS actions each one calls (IAM checks). */
  readonly recordCallsByFunction?: boolean;
  /** Seeded random scheduling (same-instant tie-breaks, timer jitter) for interleaving tests; default: creation order. */
  readonly schedule?: ScheduleOptions;
  /** Simulated users (local/runner/traffic.ts): 20 requests/s per service's paths by default; false: none. */
  readonly traffic?: TrafficOptions | false;
  /** The starting point has target stickiness on the monolith's group (`--seed FILE`, "monolithStickiness"). */
  readonly monolithStickiness?: boolean;
  /** The starting point authenticates with OIDC on an HTTPS listener (`--seed FILE`, "authenticate"). */
  readonly authenticate?: boolean;
  /** false: no ECS infrastructure role configured (updates of a live service then roll and bake). */
  readonly ecsInfrastructureRole?: boolean;
}

export interface Delivery {
  readonly event: string;
  readonly matched: boolean;
  readonly outcome?: StartOutcome;
  readonly execution?: ExecutionRecord;
  /** The starter refused the event (e.g. a malformed digest): no execution, the error named. */
  readonly rejected?: { readonly error: string; readonly cause: string };
}

/**
 * The whole pipeline on one machine: the emulator behind ordinary SDK clients, the real handlers, the
 * real state machine definition, the EventBridge pattern serverless.yml deploys, and one virtual clock.
 */
export class LocalPipeline {
  readonly time: VirtualTime;
  readonly emulator: AwsEmulator;
  readonly catalog: Catalog;
  readonly pattern: EventPattern;
  /** Services whose images pushed from now on answer 5xx for a share of requests, or slowly (ServiceBehaviours). */
  readonly behaviours: ServiceBehaviours;
  config!: PipelineConfig;
  /** The lock table the state machines write (the emulator's DynamoDB). */
  lockTableName!: string;
  deps!: Deps;
  sfn!: LocalStepFunctions;
  private starter!: (event: unknown) => Promise<StartOutcome>;
  /** Calls made while seeding are the environment's, not the pipeline's: reports count from here. */
  callsAtStart = 0;
  private sfnCallsAtStart: Record<string, number> = {};
  clockAtStart = 0;

  private constructor(private readonly options: PipelineOptions) {
    this.time = new VirtualTime(undefined, options.schedule);
    this.emulator = createEmulator({ accountId: ACCOUNT_ID, region: REGION, now: () => Date.now(), throttling: options.throttling ?? false });
    this.catalog = loadCatalogFromDirectory(options.servicesDir ?? join(PROJECT_ROOT, 'services'));
    this.pattern = buildPushEventPattern(this.catalog) as unknown as EventPattern;
    this.behaviours = new ServiceBehaviours(this.emulator, this.catalog);
  }

  /** Seeds the tutorial's starting point and lets the monolith become healthy. */
  static async tutorial(options: PipelineOptions = {}): Promise<LocalPipeline> {
    const pipeline = new LocalPipeline(options);
    try {
      const env = await seedTutorial(pipeline.emulator, pipeline.catalog, ACCOUNT_ID, {
        dropTargetGroup: options.cutoverMode === 'drop-target-group',
        monolithStickiness: options.monolithStickiness ?? false,
        authenticate: options.authenticate ?? false,
      });
      pipeline.wire(env);
      await pipeline.time.advance(120_000);
      if (options.traffic !== false) startTraffic(pipeline.emulator, pipeline.catalog, env.listenerArn, options.traffic);
      pipeline.markStart();
      return pipeline;
    } catch (error) {
      pipeline.dispose();
      throw error;
    }
  }

  private wire(env: SeededEnvironment): void {
    // Clients as a Lambda has them (SDK default retries: standard mode, 3 attempts), answered by the emulator.
    this.config = {
      clusterName: env.clusterName,
      listenerArn: env.listenerArn,
      vpcId: env.vpcId,
      executionRoleArn: env.executionRoleArn,
      ...(this.options.ecsInfrastructureRole === false ? {} : { ecsInfrastructureRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/ecsInfrastructureRoleForLoadBalancers` }),
      stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:rollout`,
      cutoverStateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:cutover`,
      cutoverMode: this.options.cutoverMode ?? 'fixed-response',
      ...(env.dropTargetGroupArn ? { dropTargetGroupArn: env.dropTargetGroupArn } : {}),
      subnets: [],
      securityGroups: [],
      catalog: this.catalog,
    };
    this.lockTableName = env.lockTableName;
    const logger = new Logger({ serviceName: 'rollout', logLevel: 'SILENT' });
    this.deps = createDeps(this.clients('shared'), this.config, { logger });
    // With recordCallsByFunction every function gets clients of its own, so each call can be traced to it.
    const depsFor = (resource: string) => (this.options.recordCallsByFunction ? createDeps(this.clients(resource), this.config, { logger }) : this.deps);
    const lambdas = Object.fromEntries(Object.entries(stepHandlers).map(([resource, factory]) => [resource, factory(depsFor(resource))]));
    const starterDeps = depsFor('StartRolloutFunctionArn');
    // The state machines' own DynamoDB calls (the locks), answered by the emulator like the Lambdas' calls.
    const integrations = dynamodbIntegrations(this.record(this.emulator.attach(new DynamoDBClient(CLIENT_CONFIG)), 'states-dynamodb', 'dynamodb'));
    const definitions = Object.fromEntries(STATE_MACHINES.map((name) => [name, localDefinition(name, env.lockTableName)]));
    this.sfn = new LocalStepFunctions(definitions, { lambdas, integrations }, { accountId: ACCOUNT_ID, region: REGION, describeExit: describeTrafficExit });
    for (const client of this.sfnClients) this.sfn.attach(client);
    this.starter = makeStarter(starterDeps);
  }

  private readonly sfnClients: SFNClient[] = [];

  /** With recordCallsByFunction: notes each call's IAM action under the function (or state machine) that made it. */
  private record<T extends { middlewareStack: unknown }>(client: T, owner: string, prefix: string): T {
    if (!this.options.recordCallsByFunction) return client;
    (client.middlewareStack as MiddlewareStack<object, MetadataBearer>).add(
      (next, context) => async (args) => {
        const calls = this.callsByFunction.get(owner) ?? new Set<string>();
        calls.add(`${prefix}:${(context.commandName ?? '').replace(/Command$/, '')}`);
        this.callsByFunction.set(owner, calls);
        return next(args);
      },
      { step: 'initialize', name: 'recordCallsByFunction', priority: 'high' },
    );
    return client;
  }

  /** Clients as a Lambda has them (SDK default retries: standard mode, 3 attempts), answered by the emulator. */
  private clients(owner: string): AwsClients {
    const sfn = this.record(new SFNClient(CLIENT_CONFIG), owner, 'states');
    this.sfnClients.push(sfn);
    return {
      ecs: this.record(this.emulator.attach(new ECSClient(CLIENT_CONFIG)), owner, 'ecs'),
      elbv2: this.record(this.emulator.attach(new ElasticLoadBalancingV2Client(CLIENT_CONFIG)), owner, 'elasticloadbalancing'),
      ecr: this.record(this.emulator.attach(new ECRClient(CLIENT_CONFIG)), owner, 'ecr'),
      cloudwatch: this.record(this.emulator.attach(new CloudWatchClient(CLIENT_CONFIG)), owner, 'cloudwatch'),
      sfn,
    };
  }

  /** With recordCallsByFunction: the IAM actions each function's calls need, by its ASL resource name. */
  readonly callsByFunction = new Map<string, Set<string>>();

  /** From here on, calls, starts and virtual time count as the run's (seeding is the environment's). */
  markStart(): void {
    this.callsAtStart = this.emulator.calls.length;
    this.sfnCallsAtStart = { ...this.sfn.calls };
    this.clockAtStart = this.time.now();
  }

  /** Step Functions calls since markStart(), by operation. */
  sfnCallsSinceStart(): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.sfn.calls)
        .map(([operation, count]): [string, number] => [operation, count - (this.sfnCallsAtStart[operation] ?? 0)])
        .filter(([, count]) => count > 0),
    );
  }

  virtualSecondsSinceStart(): number {
    const stops = [...this.sfn.executions.values()].map((record) => record.stoppedAt ?? this.time.now());
    const end = Math.max(this.clockAtStart, ...stops);
    return (end - this.clockAtStart) / 1000;
  }

  injectFault(rule: FaultRule): void {
    this.emulator.faults.add(rule);
  }

  /**
   * What `docker push` + EventBridge do: the image lands in ECR, the event goes through the rule's
   * pattern, and a matching event invokes the starter (whose StartExecution runs the workflow).
   */
  async deliver(label: string, event: unknown): Promise<Delivery> {
    if (!matchesEventPattern(this.pattern, event)) return { event: label, matched: false };
    const detail = (event as { detail?: Record<string, unknown> }).detail ?? {};
    const repository = detail['repository-name'];
    const digest = detail['image-digest'];
    if (typeof repository === 'string' && typeof digest === 'string' && DIGEST.test(digest)) {
      this.emulator.pushImage(repository, digest, typeof detail['image-tag'] === 'string' ? detail['image-tag'] : undefined);
      this.behaviours.onPush(repository, digest);
    }
    try {
      const outcome = await this.starter(event);
      return { event: label, matched: true, outcome, execution: this.sfn.executions.get(outcome.name) };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { event: label, matched: true, rejected: { error: name, cause: error instanceof Error ? error.message : String(error) } };
    }
  }

  /** Runs virtual time until every execution has stopped. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1000; round += 1) {
      await this.time.runUntilIdle();
      const running = [...this.sfn.executions.values()].some((record) => record.status === 'RUNNING' || record.stoppedAt === undefined);
      if (!running) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    throw new Error('local pipeline: executions still running after 1000 idle rounds (a task that never ends and has no timeout?)');
  }

  dispose(): void {
    this.time.dispose();
  }
}
