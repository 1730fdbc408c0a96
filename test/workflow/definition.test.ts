import { stepHandlers } from '../../functions/registry';
import { TRANSIENT_ERROR_NAMES } from '../../lib/errors';
import { definition, placeholderOf, taskStateNames, type AslState } from './harness';

const tasks = taskStateNames.map((name) => [name, definition.States[name] as AslState] as const);

/** Issue 2's numbered workflow steps and the states that carry each (type, and Lambda for Tasks). */
const ISSUE_2_STEPS: { step: string; states: [name: string, type: string, resource?: string][] }[] = [
  { step: '1 resolve the release', states: [['Resolve release', 'Task', 'ResolveReleaseFunctionArn']] },
  { step: '2 register a task definition', states: [['Register task definition', 'Task', 'RegisterTaskDefinitionFunctionArn']] },
  { step: '3 ensure the target group', states: [['Ensure target group', 'Task', 'EnsureTargetGroupFunctionArn']] },
  { step: '4 ensure the listener rule', states: [['Ensure listener rule', 'Task', 'EnsureListenerRuleFunctionArn']] },
  { step: '5 create or update the ECS service', states: [['Deploy service', 'Task', 'DeployServiceFunctionArn']] },
  {
    step: '6 health gate: Wait → check → Choice',
    states: [['Wait for service to be healthy', 'Wait'], ['Check service health', 'Task', 'CheckServiceHealthFunctionArn'], ['Service healthy?', 'Choice']],
  },
  { step: '7 shift traffic', states: [['Shift traffic', 'Task', 'ShiftTrafficFunctionArn']] },
  {
    step: '8 cut over once',
    states: [
      ['Check all services live', 'Task', 'CheckCutoverFunctionArn'],
      ['Acquire cut-over lock', 'Task', 'AcquireLockFunctionArn'],
      ['Recheck under cut-over lock', 'Task', 'CheckCutoverFunctionArn'],
      ['Drop monolith traffic', 'Task', 'DropMonolithTrafficFunctionArn'],
      ['Scale monolith to zero', 'Task', 'ScaleMonolithFunctionArn'],
      ['Wait for monolith to drain', 'Wait'],
      ['Check monolith drained', 'Task', 'CheckDrainedFunctionArn'],
    ],
  },
  { step: '9 compensate a permanent failure', states: [['Compensate', 'Task', 'CompensateFunctionArn'], ['Rollout failed', 'Fail']] },
];

function reachableStates(): Set<string> {
  const seen = new Set<string>();
  const queue = [definition.StartAt];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = definition.States[name];
    if (!state) continue;
    const next = [state.Next, state.Default, ...(state.Choices ?? []).map((choice) => choice.Next), ...(state.Catch ?? []).map((c) => c.Next)];
    queue.push(...next.filter((candidate): candidate is string => typeof candidate === 'string'));
  }
  return seen;
}

describe('rollout.asl.json: retries, timeouts and catches', () => {
  it('never retries States.ALL', () => {
    const retried = Object.entries(definition.States).flatMap(([name, state]) => (state.Retry ?? []).flatMap((retry) => retry.ErrorEquals.map((error) => `${name}: ${error}`)));
    expect(retried.length).toBeGreaterThan(0);
    expect(retried.filter((entry) => entry.endsWith('States.ALL'))).toEqual([]);
  });

  it.each(tasks)('"%s" has a TimeoutSeconds', (_name, state) => {
    expect(state.TimeoutSeconds).toEqual(expect.any(Number));
    expect(state.TimeoutSeconds).toBeGreaterThan(0);
  });

  it.each(tasks)('"%s" retries TransientAwsError with exponential back-off and full jitter', (_name, state) => {
    const retry = (state.Retry ?? []).find((candidate) => candidate.ErrorEquals.includes('TransientAwsError'));
    expect(retry).toBeDefined();
    expect(retry?.BackoffRate).toBeGreaterThan(1);
    expect(retry?.JitterStrategy).toBe('FULL');
    expect(retry?.MaxAttempts).toBeGreaterThan(0);
  });

  it.each(tasks)('"%s" retries with back-off exactly the errors lib/errors.ts names transient (and, for Deploy, a draining name)', (name, state) => {
    const backedOff = (state.Retry ?? []).filter((retry) => (retry.BackoffRate ?? 1) > 1).flatMap((retry) => retry.ErrorEquals);
    expect([...backedOff].sort()).toEqual([...TRANSIENT_ERROR_NAMES].sort());
    const others = (state.Retry ?? []).filter((retry) => (retry.BackoffRate ?? 1) <= 1).flatMap((retry) => retry.ErrorEquals);
    expect(others).toEqual(name === 'Deploy service' ? ['ServiceDrainingError'] : []);
  });

  const lockReleases = ['Release service lock', 'Release cut-over lock', 'Release superseded push', 'Release retired push'];

  it.each(tasks.filter(([name]) => lockReleases.includes(name)))('"%s" (bookkeeping after the work is done) catches failures onward, never into Compensate', (_name, state) => {
    expect(state.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], ResultPath: '$.lockReleaseError' })]);
    expect(state.Catch?.[0]?.Next).not.toBe('Compensate');
    expect(state.Catch?.[0]?.Next).toBe(state.Next);
  });

  it.each(tasks.filter(([name]) => name !== 'Compensate' && !lockReleases.includes(name)))('"%s" catches failures into Compensate with ResultPath $.error', (_name, state) => {
    expect(state.Catch).toEqual([expect.objectContaining({ ResultPath: '$.error', Next: 'Compensate' })]);
  });

  it('catches a failing Compensate into "Compensation failed", keeping $.error intact', () => {
    expect(definition.States.Compensate?.Catch).toEqual([expect.objectContaining({ ResultPath: '$.compensationError', Next: 'Compensation failed' })]);
    expect(definition.States['Compensation failed']?.Type).toBe('Fail');
  });

  it('maps every Task resource to a handler in functions/registry.ts, and every handler to a Task', () => {
    const placeholders = new Set(taskStateNames.map(placeholderOf));
    expect([...placeholders].sort()).toEqual(Object.keys(stepHandlers).sort());
  });
});

describe('rollout.asl.json: the numbered steps of issue 2', () => {
  const reachable = reachableStates();

  it.each(ISSUE_2_STEPS.map(({ step, states }) => [step, states] as const))('step %s exists as reachable states of the expected type', (_step, states) => {
    for (const [name, type, resource] of states) {
      expect({ name, type: definition.States[name]?.Type, reachable: reachable.has(name) }).toEqual({ name, type, reachable: true });
      if (resource) expect({ name, resource: placeholderOf(name) }).toEqual({ name, resource });
    }
  });

  it('loops the health gate and the drain check back through their Wait states', () => {
    expect(definition.States['Service healthy?']?.Default).toBe('Wait for service to be healthy');
    expect(definition.States['Wait for service to be healthy']?.Next).toBe('Check service health');
    expect(definition.States['Monolith drained?']?.Default).toBe('Wait for monolith to drain');
    expect(definition.States['Wait for monolith to drain']?.Next).toBe('Check monolith drained');
  });

  it('leaves no state unreachable from StartAt', () => {
    expect(Object.keys(definition.States).filter((name) => !reachable.has(name))).toEqual([]);
  });
});
