import { definitionSource, type AslDefinition, type AslState } from '../../local/runner/definitions';
import { LocalStepFunctions, type ExecutionRecord } from '../../local/runner/local-step-functions';
import { VirtualTime } from '../../local/runner/virtual-time';

export type { AslDefinition, AslState };

/** The definitions under test, exactly as deployed (placeholders as written). */
export const rollout = definitionSource('rollout');
export const cutover = definitionSource('cutover');
export const definitions = { rollout, cutover } as const;

export function taskStateNames(definition: AslDefinition): string[] {
  return Object.entries(definition.States)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name);
}

/** `${Name}` of a Lambda Task's Resource, or undefined for a service integration. */
export function placeholderOf(definition: AslDefinition, stateName: string): string | undefined {
  return /^\$\{(\w+)\}$/.exec(definition.States[stateName]?.Resource ?? '')?.[1];
}

/** An error as a Lambda (or an integration) reports it: Step Functions matches `name`. */
export function namedError(name: string, message = `${name} (stubbed)`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export const LOCK_HELD = 'DynamoDB.ConditionalCheckFailedException';

/** What the stubbed steps answer: the decisions the Choice states branch on. */
export interface Script {
  role?: 'microservice' | 'monolith';
  retired?: boolean;
  upToDate?: boolean;
  /** "Record prior state" finds the monolith cut over while this push of it waited for its lock. */
  retiredUnderLock?: boolean;
  superseded?: boolean;
  /** The lock answers "held" (ConditionalCheckFailed) this many times first (a rollout waits and resolves again; a cut-over retries). */
  lockBusy?: number;
  /** Check service health answers "waiting" this many times before "healthy". */
  healthPolls?: number;
  /** Cut-over: "Check cut-over" answers ready (default true). */
  cutoverDue?: boolean;
  /** Cut-over: "Check monolith drained" answers "still draining" this many times. */
  drainPolls?: number;
  /** Per state: what its first calls do, in order: throw the error, or answer normally (null). */
  throws?: Record<string, (Error | null)[]>;
  /** Per state: never answers (the Task's TimeoutSeconds ends it). */
  hangs?: string[];
}

export interface StubCall {
  readonly state: string;
  readonly input: Record<string, unknown>;
  readonly at: number;
}

export interface WorkflowRun {
  readonly execution: ExecutionRecord;
  readonly calls: StubCall[];
  readonly virtualSeconds: number;
  callsTo(state: string): StubCall[];
}

export const PUSH_EVENT = {
  version: '0',
  id: '3027b6b5-2122-43d0-b928-4600315b61fe',
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: '123456789012',
  time: '2026-11-26T09:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { result: 'SUCCESS', 'repository-name': 'posts', 'image-digest': `sha256:${'a'.repeat(64)}`, 'action-type': 'PUSH', 'image-tag': 'v1' },
};

export const CUTOVER_INPUT = { lockKey: 'lock#api', leaseUntil: '2026-11-26T10:30:00.000Z', startedBy: 'posts-exec-1', services: ['posts', 'users', 'threads'] };

type Input = Record<string, unknown>;
type Answer = (input: Input, script: Script, calls: StubCall[]) => unknown;

const MONOLITH = { service: 'api', targetGroupArn: 'tg/api', desiredCount: 1, deregistrationDelaySeconds: 20 };

/** Each Task's stubbed answer, by state name (both state machines). */
const answers: Record<string, Answer> = {
  'Resolve release': (input, script) => ({
    executionName: input.executionName,
    service: script.role === 'monolith' ? 'api' : 'posts',
    role: script.role ?? 'microservice',
    push: { repository: 'posts', digest: PUSH_EVENT.detail['image-digest'], tag: 'v1', time: PUSH_EVENT.time },
    imageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${PUSH_EVENT.detail['image-digest']}`,
    retired: script.retired ?? false,
    upToDate: script.upToDate ?? false,
    lockKey: script.role === 'monolith' ? 'lock#api' : 'lock#posts',
    leaseUntil: '2026-11-26T10:00:00.000Z',
    lockWaitSeconds: 10,
    changes: [],
  }),
  'Acquire service lock': () => ({}),
  'Record prior state': (input, script) => ({
    ...(input.release as Input),
    superseded: script.superseded ?? false,
    retired: script.retiredUnderLock ?? false,
    before: { service: { exists: false }, targetGroupExisted: false, rule: null },
  }),
  'Free service lock': () => ({}),
  'Register task definition': (input) => ({ ...input, taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/posts:1' }),
  'Ensure target group': (input) => ({ ...input, targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/posts/1' }),
  'Ensure listener rule': (input) => ({ ...input, ruleArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo/1/1/1' }),
  'Deploy service': (input) => ({ ...input, gate: { waitedSeconds: 0, nextWaitSeconds: 5, healthy: false, polls: 0 } }),
  'Check service health': (input, script) => {
    const gate = input.gate as { waitedSeconds: number; nextWaitSeconds: number; polls: number };
    const polls = gate.polls + 1;
    const healthy = polls > (script.healthPolls ?? 0);
    return { ...input, gate: { waitedSeconds: gate.waitedSeconds + gate.nextWaitSeconds, nextWaitSeconds: healthy ? 0 : 3, healthy, polls } };
  },
  'Shift traffic': (input) => ({ ...input, live: true }),
  'Release service lock': () => ({}),
  'Start cut-over if due': (_input, script) => (script.cutoverDue ? { started: true, name: 'cutover-x-1', reason: 'all live' } : { started: false, reason: 'not all live' }),
  'Compensate': (input) => {
    const state = input.state as { error: { Error: string } };
    return { Error: state.error.Error, Cause: `${state.error.Error}: stubbed failure. Restored: nothing needed restoring.`, restored: [] };
  },
  'Acquire monolith lock': () => ({}),
  'Check cut-over': (input, script) =>
    (script.cutoverDue ?? true)
      ? { executionName: input.executionName, ready: true, reason: 'all live', monolith: MONOLITH, plan: [] }
      : { executionName: input.executionName, ready: false, reason: 'already cut over', plan: [] },
  'Drop monolith traffic': (input) => input,
  'Scale monolith to zero': (input) => ({ ...input, drainWaitSeconds: 25 }),
  'Check monolith drained': (input, script, calls) => {
    if (calls.filter((call) => call.state === 'Check monolith drained').length <= (script.drainPolls ?? 0)) throw namedError('MonolithDrainingError', 'still draining');
    return input;
  },
  'Release monolith lock': () => ({}),
  'Release monolith lock after failure': () => ({}),
};

const LOCK_STATES = new Set(['Acquire service lock', 'Acquire monolith lock']);

// Building a machine validates the definition (~0.2 s): build once, route each Task to the running test's script.
let active: { script: Script; calls: StubCall[]; time: VirtualTime; remainingThrows: Map<string, (Error | null)[]> } | undefined;
let machine: LocalStepFunctions | undefined;

function stub(state: string) {
  return async (raw: unknown) => {
    if (!active) throw new Error('no workflow running');
    const { script, calls, time, remainingThrows } = active;
    const input = raw as Input;
    calls.push({ state, input, at: time.now() });
    const error = remainingThrows.get(state)?.shift();
    if (error) throw error;
    if (LOCK_STATES.has(state) && calls.filter((call) => call.state === state).length <= (script.lockBusy ?? 0)) throw namedError(LOCK_HELD, 'The conditional request failed');
    if (script.hangs?.includes(state)) return new Promise<never>(() => undefined);
    const answer = answers[state];
    if (!answer) throw new Error(`no stub for state ${state}`);
    return answer(input, script, calls);
  };
}

function sharedMachine(): LocalStepFunctions {
  if (machine) return machine;
  const states = Object.fromEntries([...taskStateNames(rollout), ...taskStateNames(cutover)].map((name) => [name, stub(name)]));
  const lambdas = Object.fromEntries(
    [rollout, cutover].flatMap((definition) => taskStateNames(definition).map((name) => placeholderOf(definition, name))).filter((p): p is string => p !== undefined).map((p) => [p, () => Promise.reject(new Error('routed by state name'))]),
  );
  const integrations = { 'arn:aws:states:::dynamodb:updateItem': () => Promise.reject(new Error('routed by state name')) };
  machine = new LocalStepFunctions({ rollout, cutover }, { lambdas, integrations, states }, { accountId: '123456789012', region: 'us-east-1' });
  return machine;
}

async function run(stateMachine: 'rollout' | 'cutover', script: Script, executionName: string, input: unknown): Promise<WorkflowRun> {
  const time = new VirtualTime();
  const calls: StubCall[] = [];
  active = { script, calls, time, remainingThrows: new Map(Object.entries(script.throws ?? {}).map(([state, errors]) => [state, [...errors]])) };
  try {
    const sfn = sharedMachine();
    sfn.executions.delete(executionName);
    const execution = sfn.start(executionName, input, sfn.arnOf(stateMachine));
    // Timers (Wait, retry back-off, task timeouts) run on virtual time; promise chains settle in between.
    for (let round = 0; execution.stoppedAt === undefined; round += 1) {
      if (round > 100) throw new Error(`execution ${executionName} still running after 100 idle rounds`);
      await time.runUntilIdle();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return { execution, calls, virtualSeconds: time.elapsedSeconds(), callsTo: (state) => calls.filter((call) => call.state === state) };
  } finally {
    active = undefined;
    time.dispose();
  }
}

/** Runs statemachines/rollout.asl.yaml with every Task stubbed, on virtual time. */
export function runWorkflow(script: Script = {}, executionName = 'posts-exec-1'): Promise<WorkflowRun> {
  return run('rollout', script, executionName, { event: PUSH_EVENT });
}

/** Runs statemachines/cutover.asl.yaml with every Task stubbed, on virtual time. */
export function runCutover(script: Script = {}, executionName = 'cutover-x-1'): Promise<WorkflowRun> {
  return run('cutover', script, executionName, CUTOVER_INPUT);
}
