import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { stepHandlers } from '../../functions/registry';
import { MONOLITH_LOCK_WAIT_SECONDS } from '../../lib/domain/lock-lease';
import { TRANSIENT_ERROR_NAMES } from '../../lib/errors';
import { cutover, definitions, placeholderOf, rollout, taskStateNames, type AslDefinition } from './harness';

const STATEMACHINES = join(__dirname, '..', '..', 'statemachines');
const machines: [string, AslDefinition][] = Object.entries(definitions);
const tasksOf = (definition: AslDefinition) => taskStateNames(definition).map((name) => [name, definition.States[name]!] as const);
const lambdaTasks = machines.flatMap(([machine, definition]) => tasksOf(definition).filter(([name]) => placeholderOf(definition, name)).map(([name, state]) => [`${machine}: ${name}`, state] as const));
const integrationTasks = machines.flatMap(([machine, definition]) => tasksOf(definition).filter(([name]) => !placeholderOf(definition, name)).map(([name, state]) => [`${machine}: ${name}`, state] as const));

/** Writing a lock after the work is done (or undone), and asking for the cut-over: a failure never compensates. */
const BOOKKEEPING = ['Release service lock', 'Free service lock', 'Start cut-over if due', 'Release monolith lock', 'Release monolith lock after failure'];

function reachable(definition: AslDefinition): Set<string> {
  const seen = new Set<string>();
  const queue = [definition.StartAt];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const state = definition.States[name];
    if (!state) continue;
    queue.push(...[state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next), ...(state.Catch ?? []).map((c) => c.Next)].filter((n): n is string => typeof n === 'string'));
  }
  return seen;
}

describe('statemachines/*.asl.yaml: size', () => {
  it('keeps the service rollout at 22 states or fewer and the cut-over at 12 or fewer', () => {
    expect(Object.keys(rollout.States).length).toBeLessThanOrEqual(22);
    expect(Object.keys(cutover.States).length).toBeLessThanOrEqual(12);
  });

  it.each(['rollout.asl.yaml', 'cutover.asl.yaml', 'policies.yaml'])('keeps %s under 500 lines', (file) => {
    expect(readFileSync(join(STATEMACHINES, file), 'utf8').split('\n').length).toBeLessThanOrEqual(500);
  });

  it('writes every Retry and Catch policy once: in policies.yaml, each distinct, used by alias in the definitions', () => {
    const read = (file: string) => readFileSync(join(STATEMACHINES, file), 'utf8');
    const policies = Object.values((YAML.parse(read('policies.yaml')) as { Policies: Record<string, unknown> }).Policies).map((policy) => JSON.stringify(policy));
    expect(policies.length).toBeGreaterThan(5);
    expect(new Set(policies).size).toBe(policies.length);
    for (const file of ['rollout.asl.yaml', 'cutover.asl.yaml']) {
      // Inline policies: only the one retry used by a single state (Deploy service's wait for a draining name).
      const inline = read(file).split('\n').filter((line) => /ErrorEquals:/.test(line)).map((line) => line.trim());
      expect({ file, inline }).toEqual({ file, inline: file === 'rollout.asl.yaml' ? ['- ErrorEquals: [ServiceDrainingError]'] : [] });
      expect(read(file)).toMatch(/Retry: \[\*retryTransient, \*retryLambda\]/);
    }
  });
});

describe.each(machines)('%s: retries, timeouts and catches', (_machine, definition) => {
  it('never retries States.ALL', () => {
    const retried = Object.values(definition.States).flatMap((state) => (state.Retry ?? []).flatMap((retry) => retry.ErrorEquals));
    expect(retried.length).toBeGreaterThan(0);
    expect(retried).not.toContain('States.ALL');
  });

  it('leaves no state unreachable from StartAt, and every transition names a state', () => {
    const names = new Set(Object.keys(definition.States));
    expect(Object.keys(definition.States).filter((name) => !reachable(definition).has(name))).toEqual([]);
    expect([...reachable(definition)].filter((name) => !names.has(name))).toEqual([]);
  });

  it.each(tasksOf(definition).filter(([name]) => name !== 'Compensate' && name !== 'Resolve release' && !BOOKKEEPING.includes(name)))('"%s" catches failures into Compensate with ResultPath $.error', (_name, state) => {
    expect(state.Catch?.at(-1)).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Compensate' });
  });

  it.each(tasksOf(definition).filter(([name]) => BOOKKEEPING.includes(name)))('"%s" (bookkeeping) catches failures onward, never into Compensate', (_name, state) => {
    expect(state.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.bookkeepingError', Next: state.Next }]);
  });

  it('lets a failed compensation fail the execution by name (no Catch), and fails after it with the original error and cause', () => {
    expect(definition.States.Compensate?.Catch).toBeUndefined();
    const failed = Object.values(definition.States).find((state) => state.Type === 'Fail') as Record<string, unknown> | undefined;
    expect(failed).toMatchObject({ ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });
});

describe('Task states: every one retries and catches', () => {
  it('fails a push refused by "Resolve release" at once: nothing was taken or changed, so nothing is compensated or released', () => {
    expect(rollout.States['Resolve release']?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Rollout failed' }]);
  });

  it.each([...lambdaTasks, ...integrationTasks])('%s has a TimeoutSeconds', (_name, state) => {
    expect(state.TimeoutSeconds).toBeGreaterThan(0);
  });

  it.each(lambdaTasks)('%s retries exactly the transient errors lib/errors.ts names, with back-off and full jitter', (name, state) => {
    const backedOff = (state.Retry ?? []).filter((retry) => (retry.BackoffRate ?? 1) > 1);
    expect(backedOff.flatMap((retry) => retry.ErrorEquals).sort()).toEqual([...TRANSIENT_ERROR_NAMES].sort());
    for (const retry of backedOff) expect(retry).toMatchObject({ JitterStrategy: 'FULL', MaxAttempts: expect.any(Number) });
    const fixed = (state.Retry ?? []).filter((retry) => (retry.BackoffRate ?? 1) <= 1).flatMap((retry) => retry.ErrorEquals);
    const expected: Record<string, string[]> = { 'rollout: Deploy service': ['ServiceDrainingError'], 'cutover: Check monolith drained': ['MonolithDrainingError'] };
    expect(fixed).toEqual(expected[name] ?? []);
  });

  it.each(integrationTasks)('%s is a DynamoDB integration that retries DynamoDB throttling and faults (every lock write is conditional on the owner, so safe to repeat)', (_name, state) => {
    expect(state.Resource).toBe('arn:aws:states:::dynamodb:updateItem');
    expect((state.Retry ?? []).flatMap((retry) => retry.ErrorEquals)).toEqual(expect.arrayContaining(['DynamoDB.ThrottlingException', 'DynamoDB.AmazonDynamoDBException', 'States.Timeout']));
  });

  it('waits for a held service lock by re-entering the state (a Retry would keep the first attempt\'s $$.State.EnteredTime) and resolving the push again for a fresh lease', () => {
    const acquire = rollout.States['Acquire service lock'];
    expect(acquire?.Retry?.flatMap((retry) => retry.ErrorEquals)).not.toContain('DynamoDB.ConditionalCheckFailedException');
    expect(acquire?.Catch?.[0]).toEqual({ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.lockHeld', Next: 'Wait for service lock' });
    expect(rollout.States['Wait for service lock']).toMatchObject({ Type: 'Wait', Next: 'Resolve release' });
  });

  it('retries a held monolith lock for MONOLITH_LOCK_WAIT_SECONDS, the wait the cut-over\'s lease allows for', () => {
    const held = cutover.States['Acquire monolith lock']?.Retry?.find((retry) => retry.ErrorEquals.includes('DynamoDB.ConditionalCheckFailedException'));
    expect(held).toMatchObject({ BackoffRate: 1 });
    expect((held?.IntervalSeconds ?? 0) * (held?.MaxAttempts ?? 0)).toBe(MONOLITH_LOCK_WAIT_SECONDS);
  });

  it('after a wait for the service lock, goes straight back to the lock: retired and up to date are judged under it', () => {
    expect(rollout.States['What to do?']?.Choices?.[0]).toEqual({ Variable: '$.lockHeld', IsPresent: true, Next: 'Acquire service lock' });
  });

  it('asks for the cut-over after a failed rollout too, then fails with the original error', () => {
    expect(rollout.States.Compensate?.Next).toBe('Free service lock');
    expect(rollout.States['Free service lock']?.Next).toBe('Start cut-over if due');
    expect(rollout.States['Start cut-over if due']?.Next).toBe('Succeeded or failed?');
    expect(rollout.States['Succeeded or failed?']).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.error', IsPresent: true, Next: 'Rollout failed' }], Default: 'Done' });
  });

  it('maps every Lambda Task to a handler in functions/registry.ts, and every handler to a Task', () => {
    const placeholders = new Set(machines.flatMap(([, definition]) => taskStateNames(definition).map((name) => placeholderOf(definition, name)).filter(Boolean)));
    expect([...placeholders].sort()).toEqual(Object.keys(stepHandlers).sort());
  });
});

describe('the numbered steps of issue 2, and the cut-over as its own execution', () => {
  const steps: [machine: AslDefinition, name: string, type: string, resource?: string][] = [
    [rollout, 'Resolve release', 'Task', 'ResolveReleaseFunctionArn'],
    [rollout, 'Register task definition', 'Task', 'RegisterTaskDefinitionFunctionArn'],
    [rollout, 'Ensure target group', 'Task', 'EnsureTargetGroupFunctionArn'],
    [rollout, 'Ensure listener rule', 'Task', 'EnsureListenerRuleFunctionArn'],
    [rollout, 'Deploy service', 'Task', 'DeployServiceFunctionArn'],
    [rollout, 'Wait for service to be healthy', 'Wait'],
    [rollout, 'Check service health', 'Task', 'CheckServiceHealthFunctionArn'],
    [rollout, 'Service healthy?', 'Choice'],
    [rollout, 'Shift traffic', 'Task', 'ShiftTrafficFunctionArn'],
    [rollout, 'Start cut-over if due', 'Task', 'StartCutoverFunctionArn'],
    [cutover, 'Check cut-over', 'Task', 'CheckCutoverFunctionArn'],
    [cutover, 'Drop monolith traffic', 'Task', 'DropMonolithTrafficFunctionArn'],
    [cutover, 'Scale monolith to zero', 'Task', 'ScaleMonolithFunctionArn'],
    [cutover, 'Wait for monolith to drain', 'Wait'],
    [cutover, 'Check monolith drained', 'Task', 'CheckDrainedFunctionArn'],
    [rollout, 'Compensate', 'Task', 'CompensateFunctionArn'],
    [cutover, 'Compensate', 'Task', 'CompensateFunctionArn'],
  ];

  it.each(steps.map(([machine, name, type, resource]) => [name, machine, type, resource] as const))('"%s" is a reachable state of the expected type', (name, machine, type, resource) => {
    expect({ name, type: machine.States[name]?.Type, reachable: reachable(machine).has(name) }).toEqual({ name, type, reachable: true });
    if (resource) expect(placeholderOf(machine, name)).toBe(resource);
  });

  it('loops the health gate back through its Wait state', () => {
    expect(rollout.States['Service healthy?']?.Default).toBe('Wait for service to be healthy');
    expect(rollout.States['Wait for service to be healthy']?.Next).toBe('Check service health');
  });
});
