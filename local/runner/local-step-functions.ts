import { ExecutionAlreadyExists, ExecutionDoesNotExist, InvalidExecutionInput, type SFNClient } from '@aws-sdk/client-sfn';
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import type { AslDefinition } from './definitions';
import { asLambda } from './lambda-invoke';

// aws-local-stepfunctions uses Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the polyfill above
const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface HistoryEvent {
  readonly at: number;
  readonly type: string;
  readonly state?: string;
  readonly error?: string;
  /** On a StateExited: what the state did, in a few words, when the run describes it (traffic steps and bakes). */
  readonly detail?: string;
}

export interface ExecutionRecord {
  readonly name: string;
  /** Which state machine ran it ('rollout' or 'cutover'). */
  readonly stateMachine: string;
  readonly executionArn: string;
  readonly input: unknown;
  readonly startedAt: number;
  status: ExecutionStatus;
  stoppedAt?: number;
  output?: unknown;
  /** The last state's output (a failed execution has no output: what its last state handed on, e.g. compensation's). */
  lastOutput?: unknown;
  error?: string;
  cause?: string;
  /** States entered, in order (a state entered twice appears twice). */
  readonly states: string[];
  /** Billable state transitions: states entered plus retries. */
  transitions: number;
  readonly history: HistoryEvent[];
  done: Promise<void>;
}

type StepHandler = (input: unknown) => Promise<unknown>;

export interface LocalResources {
  /** Lambda Tasks, by the `${…FunctionArn}` placeholder of their Resource. */
  readonly lambdas: Record<string, StepHandler>;
  /** Service integrations, by Resource ARN (e.g. arn:aws:states:::dynamodb:updateItem); errors are named as on AWS. */
  readonly integrations: Record<string, StepHandler>;
  /** Tests: a handler for a Task by its state name, whatever its Resource (as aws-local-stepfunctions keys them). */
  readonly states?: Record<string, StepHandler>;
}

// Building a machine validates its definition (about 0.15 s); a machine keeps nothing between runs, so one per
// definition text serves every LocalPipeline in the process.
const sharedMachines = new Map<string, InstanceType<typeof StateMachine>>();
function machineFor(definition: AslDefinition): InstanceType<typeof StateMachine> {
  const text = JSON.stringify(definition);
  const machine = sharedMachines.get(text) ?? new StateMachine(definition as never);
  sharedMachines.set(text, machine);
  return machine;
}

interface LocalMachine {
  readonly arn: string;
  readonly machine: InstanceType<typeof StateMachine>;
  readonly taskHandlers: Record<string, (input: unknown) => Promise<never>>;
}

/**
 * Step Functions, in process: runs the state machines of statemachines/*.asl.yaml themselves, each Lambda Task
 * mapped to its real handler and each service integration to the emulator, names executions uniquely
 * (ExecutionAlreadyExists, as on AWS), and keeps each execution's history.
 */
export class LocalStepFunctions {
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly machines = new Map<string, LocalMachine>();
  /** The rollout state machine's ARN (the starter's). */
  readonly stateMachineArn: string;
  /** Step Functions API calls answered, by operation (StartExecution, DescribeExecution). */
  readonly calls: Record<string, number> = {};
  /** Called for every history event as it happens (live progress in the CLI). */
  readonly listeners: ((record: ExecutionRecord, event: HistoryEvent) => void)[] = [];
  /** How to stop each running execution (aws-local-stepfunctions' abort). */
  private readonly aborts = new Map<string, () => void>();

  constructor(definitions: Record<string, AslDefinition>, resources: LocalResources, private readonly options: { accountId: string; region: string; describeExit?: (state: string, output: unknown) => string | undefined }) {
    for (const [name, definition] of Object.entries(definitions)) {
      const taskHandlers: Record<string, (input: unknown) => Promise<never>> = {};
      for (const [stateName, state] of Object.entries(definition.States)) {
        if (state.Type !== 'Task') continue;
        const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource ?? '')?.[1];
        const lambda = placeholder ? resources.lambdas[placeholder] : undefined;
        const integration = state.Resource ? resources.integrations[state.Resource] : undefined;
        const byName = resources.states?.[stateName];
        if (byName) taskHandlers[stateName] = (lambda ? asLambda(byName) : byName) as (input: unknown) => Promise<never>;
        else if (lambda) taskHandlers[stateName] = asLambda(lambda);
        else if (integration) taskHandlers[stateName] = integration as (input: unknown) => Promise<never>;
        else throw new Error(`local step functions: no handler for state "${stateName}" of ${name} (resource ${state.Resource})`);
      }
      this.machines.set(this.arnOf(name), { arn: this.arnOf(name), machine: machineFor(definition), taskHandlers });
    }
    this.stateMachineArn = this.arnOf('rollout');
  }

  arnOf(stateMachine: string): string {
    return `arn:aws:states:${this.options.region}:${this.options.accountId}:stateMachine:${stateMachine}`;
  }

  start(name: string, input: unknown, stateMachineArn = this.stateMachineArn): ExecutionRecord {
    const local = this.machines.get(stateMachineArn);
    if (!local) throw new Error(`local step functions: no state machine ${stateMachineArn}`);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.has(name)) {
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${executionArn}'`, $metadata: {} });
    }
    const record: ExecutionRecord = {
      name,
      stateMachine: stateMachineArn.split(':').pop() ?? '',
      executionArn,
      input,
      startedAt: Date.now(),
      status: 'RUNNING',
      states: [],
      transitions: 0,
      history: [],
      done: Promise.resolve(),
    };
    this.executions.set(name, record);
    const execution = local.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: local.taskHandlers },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: executionArn, Name: name, Input: input as never, StartTime: new Date(record.startedAt).toISOString() },
        // Read when a state's Parameters are evaluated: the (virtual) time the state is entered or retried.
        // On AWS a retry keeps the time the state was first entered (see statemachines/policies.yaml).
        State: {
          get EnteredTime() {
            return new Date().toISOString();
          },
        },
      },
    });
    const logging = (async () => {
      for await (const event of execution.eventLogs) {
        const state = 'state' in event ? event.state.name : undefined;
        const error = 'Error' in event ? String(event.Error) : undefined;
        const output = event.type === 'StateExited' ? event.state.output : undefined;
        const detail = event.type === 'StateExited' && state ? this.options.describeExit?.(state, output) : undefined;
        const entry: HistoryEvent = { at: event.timestamp, type: event.type, ...(state ? { state } : {}), ...(error ? { error } : {}), ...(detail ? { detail } : {}) };
        if (event.type === 'StateExited') record.lastOutput = output;
        record.history.push(entry);
        for (const listener of this.listeners) listener(record, entry);
        if (event.type === 'StateEntered' && state) {
          record.states.push(state);
          record.transitions += 1;
        }
        if (event.type === 'StateRetried') record.transitions += 1;
        if (event.type === 'ExecutionFailed') {
          record.error = event.Error;
          record.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
        }
      }
    })();
    this.aborts.set(name, execution.abort);
    const result = execution.result.then(
      (output) => {
        if (record.status === 'ABORTED') return;
        record.status = 'SUCCEEDED';
        record.output = output;
      },
      (error: unknown) => {
        record.status = 'FAILED';
        const failure = (error as { cause?: { name?: string } }).cause;
        record.error ??= failure?.name ?? (error as Error).name;
        record.cause ??= (error as Error).message;
      },
    );
    record.done = Promise.all([result, logging]).then(() => {
      record.stoppedAt = Date.now();
      this.aborts.delete(name);
    });
    return record;
  }

  /**
   * StopExecution: the execution runs no further state, its Catch included (a Task already running finishes, its
   * result unused), and ends ABORTED with `error` and `cause`. False when no such execution is running.
   */
  stop(name: string, error: string, cause: string): boolean {
    const record = this.executions.get(name);
    const abort = this.aborts.get(name);
    if (!record || record.status !== 'RUNNING' || !abort) return false;
    Object.assign(record, { status: 'ABORTED', error, cause });
    abort();
    return true;
  }

  /** Answers StartExecution and DescribeExecution for an SDK client (a Lambda's), so it runs unchanged. */
  attach<T extends { middlewareStack: unknown }>(client: T): T {
    const stack = client.middlewareStack as MiddlewareStack<object, MetadataBearer>;
    stack.add(
      (_next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        this.calls[operation] = (this.calls[operation] ?? 0) + 1;
        if (context.commandName === 'DescribeExecutionCommand') {
          const arn = (args.input as { executionArn: string }).executionArn;
          const record = [...this.executions.values()].find((candidate) => candidate.executionArn === arn);
          if (!record) throw new ExecutionDoesNotExist({ message: `Execution Does Not Exist: '${arn}'`, $metadata: {} });
          const output = { executionArn: arn, name: record.name, status: record.status, input: JSON.stringify(record.input), startDate: new Date(record.startedAt), $metadata: {} };
          return { output: output, response: {} };
        }
        if (context.commandName !== 'StartExecutionCommand') throw new Error(`local step functions does not implement ${context.commandName}`);
        const input = args.input as { stateMachineArn: string; name: string; input?: string };
        // StartExecution's input is at most 262144 bytes of UTF-8 (API_StartExecution, Length Constraints).
        if (Buffer.byteLength(input.input ?? '') > 262_144) {
          throw new InvalidExecutionInput({ message: 'Execution input exceeds the maximum length of 262144 bytes', $metadata: {} });
        }
        const record = this.start(input.name, JSON.parse(input.input ?? '{}'), input.stateMachineArn);
        return { output: { executionArn: record.executionArn, startDate: new Date(record.startedAt), $metadata: {} } as MetadataBearer, response: {} };
      },
      { step: 'initialize', name: 'localStepFunctions', priority: 'high', override: true },
    );
    return client;
  }

  async settled(): Promise<void> {
    await Promise.all([...this.executions.values()].map((record) => record.done));
  }
}

export type { SFNClient };
