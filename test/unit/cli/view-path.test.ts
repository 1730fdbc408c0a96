import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { normalizeHistory } from '../../../cli/view/aws-view';
import type { ViewEvent } from '../../../cli/view/model';
import { trafficStepsOf } from '../../../cli/view/model';
import { edgesOf, pathTaken } from '../../../cli/view/path';
import type { AslDefinition } from '../../../local/runner/definitions';

/** A small workflow with every kind of transition: Next, a Choice (two rules to one state), Default, Catch, Retry. */
const DEFINITION: AslDefinition = {
  StartAt: 'Work',
  States: {
    Work: { Type: 'Task', Resource: 'x', Next: 'Done?', Retry: [{ ErrorEquals: ['Transient'] }], Catch: [{ ErrorEquals: ['Permanent'], Next: 'Undo' }] },
    'Done?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.done', BooleanEquals: true, Next: 'Finish' } as never,
        { Variable: '$.skipped', BooleanEquals: true, Next: 'Finish' } as never,
      ],
      Default: 'Wait',
    },
    Wait: { Type: 'Wait', Next: 'Work' },
    Finish: { Type: 'Succeed' },
    Undo: { Type: 'Task', Resource: 'x', Next: 'Failed' },
    Failed: { Type: 'Fail' },
  },
};

const entered = (at: number, state: string): ViewEvent[] => [
  { at, type: 'StateEntered', state },
  { at, type: 'StateExited', state },
];

describe('rollout view: the path taken through the definition', () => {
  it('draws one edge per pair of states, merging two Choice rules that go to the same state, and keeps Catch edges apart', () => {
    expect(edgesOf(DEFINITION)).toEqual([
      { from: 'Work', to: 'Done?', kind: 'next' },
      { from: 'Work', to: 'Undo', kind: 'catch' },
      { from: 'Done?', to: 'Finish', kind: 'choice', label: 'done / skipped' },
      { from: 'Done?', to: 'Wait', kind: 'default', label: 'otherwise' },
      { from: 'Wait', to: 'Work', kind: 'next' },
      { from: 'Undo', to: 'Failed', kind: 'next' },
    ]);
  });

  it('counts visits and retries and marks the transitions taken around a loop', () => {
    const history: ViewEvent[] = [
      { at: 0, type: 'ExecutionStarted' },
      { at: 0, type: 'StateEntered', state: 'Work' },
      { at: 1000, type: 'StateFailed', state: 'Work', error: 'Transient' },
      { at: 3000, type: 'StateRetried', state: 'Work' },
      { at: 3000, type: 'StateExited', state: 'Work' },
      ...entered(3000, 'Done?'),
      ...entered(3000, 'Wait'),
      ...entered(13_000, 'Work'),
      ...entered(13_000, 'Done?'),
      { at: 13_000, type: 'StateEntered', state: 'Finish' },
      { at: 13_000, type: 'ExecutionSucceeded' },
    ];

    const path = pathTaken(history, DEFINITION, null);

    expect(Object.fromEntries(path.visited)).toEqual({ Work: 2, 'Done?': 2, Wait: 1, Finish: 1 });
    expect(Object.fromEntries(path.retries)).toEqual({ Work: 1 });
    expect(path.failed.size).toBe(0);
    const edges = edgesOf(DEFINITION);
    expect([...path.takenEdges].map((index) => `${edges[index]?.from} → ${edges[index]?.to}`).sort()).toEqual(['Done? → Finish', 'Done? → Wait', 'Wait → Work', 'Work → Done?']);
    expect(path.visits[0]).toMatchObject({ state: 'Work', enteredAt: 0, exitedAt: 3000, retriedErrors: ['Transient'], failure: null });
  });

  it('marks the state that failed, takes its Catch edge, and marks the Fail state with the execution error', () => {
    const history: ViewEvent[] = [
      { at: 0, type: 'StateEntered', state: 'Work' },
      { at: 0, type: 'StateFailed', state: 'Work', error: 'Permanent' },
      { at: 0, type: 'StateCaught', state: 'Work' },
      { at: 0, type: 'StateExited', state: 'Work' },
      ...entered(0, 'Undo'),
      { at: 0, type: 'StateEntered', state: 'Failed' },
      { at: 0, type: 'ExecutionFailed', error: 'Permanent' },
    ];

    const path = pathTaken(history, DEFINITION, 'Permanent');

    expect(Object.fromEntries(path.failed)).toEqual({ Work: 'Permanent', Failed: 'Permanent' });
    const edges = edgesOf(DEFINITION);
    expect([...path.takenEdges].map((index) => edges[index])).toEqual([
      { from: 'Work', to: 'Undo', kind: 'catch' },
      { from: 'Undo', to: 'Failed', kind: 'next' },
    ]);
  });
});

describe('rollout view --aws: an execution history in the local vocabulary', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, seconds));
  it('turns state entries and exits, a task scheduled again (a retry), a task failure and the execution failure into view events', () => {
    const events: HistoryEvent[] = [
      { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
      { id: 2, type: 'TaskStateEntered', timestamp: at(0), stateEnteredEventDetails: { name: 'Work' } },
      { id: 3, type: 'LambdaFunctionScheduled', timestamp: at(0) },
      { id: 4, type: 'LambdaFunctionFailed', timestamp: at(1), lambdaFunctionFailedEventDetails: { error: 'Transient' } },
      { id: 5, type: 'LambdaFunctionScheduled', timestamp: at(3) },
      { id: 6, type: 'LambdaFunctionFailed', timestamp: at(4), lambdaFunctionFailedEventDetails: { error: 'Permanent', cause: '{}' } },
      { id: 7, type: 'TaskStateExited', timestamp: at(4), stateExitedEventDetails: { name: 'Work' } },
      { id: 8, type: 'TaskStateEntered', timestamp: at(4), stateEnteredEventDetails: { name: 'Undo' } },
      { id: 9, type: 'TaskScheduled', timestamp: at(4) },
      { id: 10, type: 'TaskSucceeded', timestamp: at(5) },
      { id: 11, type: 'TaskStateExited', timestamp: at(5), stateExitedEventDetails: { name: 'Undo' } },
      { id: 12, type: 'FailStateEntered', timestamp: at(5), stateEnteredEventDetails: { name: 'Failed' } },
      { id: 13, type: 'ExecutionFailed', timestamp: at(5), executionFailedEventDetails: { error: 'Permanent', cause: 'it broke' } },
    ];

    const history = normalizeHistory(events);

    const t = (seconds: number) => at(seconds).getTime();
    expect(history).toEqual([
      { at: t(0), type: 'ExecutionStarted' },
      { at: t(0), type: 'StateEntered', state: 'Work' },
      { at: t(1), type: 'StateFailed', state: 'Work', error: 'Transient' },
      { at: t(3), type: 'StateRetried', state: 'Work' },
      { at: t(4), type: 'StateFailed', state: 'Work', error: 'Permanent' },
      { at: t(4), type: 'StateExited', state: 'Work' },
      { at: t(4), type: 'StateEntered', state: 'Undo' },
      { at: t(5), type: 'StateExited', state: 'Undo' },
      { at: t(5), type: 'StateEntered', state: 'Failed' },
      { at: t(5), type: 'ExecutionFailed', error: 'Permanent' },
    ]);
    const path = pathTaken(history, DEFINITION, 'Permanent');
    expect(Object.fromEntries(path.retries)).toEqual({ Work: 1 });
    expect(Object.fromEntries(path.failed)).toEqual({ Work: 'Permanent', Failed: 'Permanent' });
  });
});

describe('rollout view: trafficSteps (added by progressive traffic)', () => {
  it.each([
    { where: 'absent', output: { release: {} }, expected: {} },
    { where: 'at the top of the output', output: { trafficSteps: [{ at: '2026-11-26T09:00:00Z', percent: 10 }] }, expected: { steps: [{ at: Date.parse('2026-11-26T09:00:00Z'), percent: 10 }] } },
    { where: 'in the release, epoch ms', output: { release: { trafficSteps: [{ at: 5, percent: 100 }] } }, expected: { steps: [{ at: 5, percent: 100 }] } },
    {
      where: 'compensation put the rule back (its outcome, in $.error, ends at 0 and wins over the release\'s)',
      output: { release: { trafficSteps: [{ at: 5, percent: 10 }] }, error: { trafficSteps: [{ at: 5, percent: 10 }, { at: 9, percent: 0 }] } },
      expected: { steps: [{ at: 5, percent: 10 }, { at: 9, percent: 0 }] },
    },
  ])('reads them when $where', ({ output, expected }) => {
    expect(trafficStepsOf(output)).toEqual(expected);
  });

  it('leaves the chart out, and says so, when they are not [{ at, percent }]', () => {
    expect(trafficStepsOf({ trafficSteps: [{ at: 'yesterday', percent: 150 }] })).toEqual({ note: expect.stringContaining('not as [{ at, percent }') });
  });
});
