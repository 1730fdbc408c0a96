import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStepFunctions, type ExecutionRecord } from '../../local/runner/local-step-functions';
import { VirtualTime } from '../../local/runner/virtual-time';

/** The definition under test, exactly as deployed. */
export const DEFINITION_PATH = join(__dirname, '..', '..', 'statemachines', 'rollout.asl.json');

export interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
  Retry?: { ErrorEquals: string[]; BackoffRate?: number; JitterStrategy?: string; IntervalSeconds?: number; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

export function loadDefinition(): AslDefinition {
  return JSON.parse(readFileSync(DEFINITION_PATH, 'utf8')) as AslDefinition;
}

export const definition = loadDefinition();
export const taskStateNames = Object.entries(definition.States)
  .filter(([, state]) => state.Type === 'Task')
  .map(([name]) => name);

export function placeholderOf(stateName: string): string {
  const resource = definition.States[stateName]?.Resource ?? '';
  const placeholder = /^\$\{(\w+)\}$/.exec(resource)?.[1];
  if (!placeholder) throw new Error(`state ${stateName} has no \${Placeholder} resource (${resource})`);
  return placeholder;
}

/** An error as a Lambda would throw it: Step Functions matches `name`. */
export function namedError(name: string, message = `${name} (stubbed)`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** What the stubbed steps answer: the decisions the Choice states branch on. */
export interface Script {
  role?: 'microservice' | 'monolith';
  retired?: boolean;
  upToDate?: boolean;
  /** The monolith was cut over while this push of it waited for its lock ("Record prior state" sees it). */
  retiredUnderLock?: boolean;
  /** Acquire service lock answers "held by another execution" this many times first. */
  serviceLockBusy?: number;
  superseded?: boolean;
  /** Check service health answers "waiting" this many times before "healthy". */
  healthPolls?: number;
  /** Check all services live answers ready. */
  allLive?: boolean;
  /** Recheck under cut-over lock answers ready (default: same as allLive). */
  stillDue?: boolean;
  cutoverLockBusy?: number;
  /** Check monolith drained answers "not yet" this many times. */
  drainPolls?: number;
  /** Per state: what its first calls do, in order: throw the error, or answer normally (null). Then it answers normally. */
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
  /** The release as the last release-returning step produced it (what Compensate must be handed). */
  readonly lastRelease: Record<string, unknown> | undefined;
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

type Input = Record<string, unknown>;
type Stub = (input: unknown) => Promise<unknown>;

// Building the machine validates the definition (~0.2 s): build it once and route each Task to the running test's stubs.
let activeStubs: Record<string, Stub> = {};
let machine: LocalStepFunctions | undefined;
function sharedMachine(): LocalStepFunctions {
  const placeholders = new Set(taskStateNames.map(placeholderOf));
  const routed = Object.fromEntries([...placeholders].map((placeholder) => [placeholder, (input: unknown) => {
    const stub = activeStubs[placeholder];
    if (!stub) throw new Error(`no stub for ${placeholder}`);
    return stub(input);
  }]));
  machine ??= new LocalStepFunctions(definition as never, routed, { accountId: '123456789012', region: 'us-east-1' });
  return machine;
}

/**
 * Runs the real definition with every Task stubbed, on virtual time. Several states share a Lambda
 * (lock, cut-over check); the stub tells them apart by their Parameters, as the handlers do.
 */
export async function runWorkflow(script: Script = {}, executionName = 'posts-exec-1'): Promise<WorkflowRun> {
  const time = new VirtualTime();
  try {
    const calls: StubCall[] = [];
    const remainingThrows = new Map(Object.entries(script.throws ?? {}).map(([state, errors]) => [state, [...errors]]));
    let lastRelease: Input | undefined;
    let cutoverLockHeld = false;
    let serviceLockBusy = script.serviceLockBusy ?? 0;
    let cutoverLockBusy = script.cutoverLockBusy ?? 0;
    const role = script.role ?? 'microservice';

    const step = (stateOf: (input: Input) => string, answer: (input: Input, state: string) => unknown) => async (raw: unknown) => {
      const input = raw as Input;
      const state = stateOf(input);
      calls.push({ state, input, at: time.now() });
      const error = remainingThrows.get(state)?.shift();
      if (error) throw error;
      if (script.hangs?.includes(state)) return new Promise<never>(() => undefined);
      const output = answer(input, state);
      if (output && typeof output === 'object' && 'executionName' in output) lastRelease = output;
      return output;
    };
    const fixed = (state: string) => () => state;
    const release = (input: Input) => input;

    const stubs: Record<string, Stub> = {
      ResolveReleaseFunctionArn: step(fixed('Resolve release'), (input) => ({
        executionName: input.executionName,
        service: role === 'monolith' ? 'api' : 'posts',
        role,
        push: { repository: 'posts', digest: PUSH_EVENT.detail['image-digest'], tag: 'v1', time: PUSH_EVENT.time },
        imageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${PUSH_EVENT.detail['image-digest']}`,
        retired: script.retired ?? false,
        upToDate: script.upToDate ?? false,
        cutoverLock: 'api',
        changes: [],
      })),
      AcquireLockFunctionArn: step(
        // The service lock is taken with the push's eventTime (to detect a newer live push); the cut-over lock without.
        (input) => (input.eventTime === undefined ? 'Acquire cut-over lock' : 'Acquire service lock'),
        (_input, state) => {
          if (state === 'Acquire service lock' && serviceLockBusy-- > 0) return { acquired: false, superseded: false, holder: 'other', waitSeconds: 10 };
          if (state === 'Acquire cut-over lock' && cutoverLockBusy-- > 0) return { acquired: false, superseded: false, holder: 'other', waitSeconds: 10 };
          if (state === 'Acquire cut-over lock') cutoverLockHeld = true;
          return { acquired: true, superseded: state === 'Acquire service lock' && (script.superseded ?? false), waitSeconds: 0 };
        },
      ),
      RecordPriorStateFunctionArn: step(fixed('Record prior state'), (input) => ({
        ...release(input),
        retired: script.retiredUnderLock ?? false,
        before: { service: { exists: false }, targetGroupExisted: false, rule: null },
      })),
      RegisterTaskDefinitionFunctionArn: step(fixed('Register task definition'), (input) => ({ ...input, taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/posts:1' })),
      EnsureTargetGroupFunctionArn: step(fixed('Ensure target group'), (input) => ({ ...input, targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/posts/1' })),
      EnsureListenerRuleFunctionArn: step(fixed('Ensure listener rule'), (input) => ({ ...input, ruleArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/demo/1/1/1' })),
      DeployServiceFunctionArn: step(fixed('Deploy service'), (input) => ({ ...input, gate: { waitedSeconds: 0, nextWaitSeconds: 5, healthy: false, polls: 0 } })),
      CheckServiceHealthFunctionArn: step(fixed('Check service health'), (input) => {
        const gate = input.gate as { waitedSeconds: number; nextWaitSeconds: number; polls: number };
        const polls = gate.polls + 1;
        const healthy = polls > (script.healthPolls ?? 0);
        return { ...input, gate: { waitedSeconds: gate.waitedSeconds + gate.nextWaitSeconds, nextWaitSeconds: healthy ? 0 : 3, healthy, polls } };
      }),
      ShiftTrafficFunctionArn: step(fixed('Shift traffic'), (input) => ({ ...input, live: true })),
      ReleaseLockFunctionArn: step(
        (input) =>
          input.record
            ? 'Release service lock'
            : input.lockName !== (role === 'monolith' ? 'api' : 'posts')
              ? 'Release cut-over lock'
              : script.retiredUnderLock
                ? 'Release retired push'
                : 'Release superseded push',
        () => ({ released: true }),
      ),
      CheckCutoverFunctionArn: step(
        () => (cutoverLockHeld ? 'Recheck under cut-over lock' : 'Check all services live'),
        (_input, state) => {
          const ready = state === 'Check all services live' ? (script.allLive ?? false) : (script.stillDue ?? script.allLive ?? false);
          return ready
            ? { ready, reason: 'all live', monolith: { service: 'api', targetGroupArn: 'tg/api', desiredCount: 1, deregistrationDelaySeconds: 20 }, plan: [] }
            : { ready, reason: 'not all live', plan: [] };
        },
      ),
      DropMonolithTrafficFunctionArn: step(fixed('Drop monolith traffic'), (input) => input.cutover),
      ScaleMonolithFunctionArn: step(fixed('Scale monolith to zero'), (input) => ({ ...(input.cutover as Input), drain: { waitedSeconds: 0, nextWaitSeconds: 25, drained: false } })),
      CheckDrainedFunctionArn: step(fixed('Check monolith drained'), (input) => {
        const cutover = input.cutover as Input & { drain: { waitedSeconds: number; nextWaitSeconds: number } };
        const polls = calls.filter((call) => call.state === 'Check monolith drained').length;
        const drained = polls > (script.drainPolls ?? 0);
        return { ...cutover, drain: { waitedSeconds: cutover.drain.waitedSeconds + cutover.drain.nextWaitSeconds, nextWaitSeconds: drained ? 0 : 10, drained } };
      }),
      CompensateFunctionArn: step(fixed('Compensate'), (input) => {
        const error = (input.state as { error: { Error: string } }).error;
        return { error: error.Error, cause: `${error.Error}: stubbed failure. Restored: nothing needed restoring.`, restored: [] };
      }),
    };

    activeStubs = stubs;
    const sfn = sharedMachine();
    sfn.executions.delete(executionName);
    const execution = sfn.start(executionName, { event: PUSH_EVENT });
    // Timers (Wait, retry back-off, task timeouts) run on virtual time; promise chains settle in between.
    for (let round = 0; execution.stoppedAt === undefined; round += 1) {
      if (round > 100) throw new Error(`execution ${executionName} still running after 100 idle rounds`);
      await time.runUntilIdle();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return {
      execution,
      calls,
      lastRelease,
      virtualSeconds: time.elapsedSeconds(),
      callsTo: (state) => calls.filter((call) => call.state === state),
    };
  } finally {
    time.dispose();
  }
}
