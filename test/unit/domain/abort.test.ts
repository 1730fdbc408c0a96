import { abortCause, abortSubject, protects, type AbortAction, type LatestState } from '../../../lib/domain/abort';
import { ValidationError } from '../../../lib/errors';
import { definitionSource } from '../../../local/runner/definitions';
import { dueCutover, CUTOVER_EXECUTION } from '../functions/cutover.fixtures';
import { LEASE_UNTIL, releaseFor } from '../functions/fixtures';
import { thrownBy } from './thrown';

const EVENT = { source: 'aws.ecr' };
const firstRollout = { service: { exists: false }, targetGroupExisted: false, rule: null };
const caught = { Error: 'ServiceUnhealthyError', Cause: 'health gate for posts: tasks failed to start' };
const compensated = { ...caught, restored: ['removed new service posts'] };
const cutoverInput = { lockKey: 'lock#api', leaseUntil: LEASE_UNTIL, startedBy: 'threads-98cf390a9790526325315c828548fb07', services: ['posts', 'users', 'threads'] };

describe('abortSubject: what an execution stopped in its newest state must have put back', () => {
  it.each<[string, LatestState, { kind: string; lockKey?: string; action: AbortAction }]>([
    ['a rollout before "Resolve release": no lock, nothing changed', { state: null, data: { event: EVENT } }, { kind: 'rollout', action: 'nothing-to-restore' }],
    [
      'a rollout waiting for its lock: nothing recorded, nothing changed',
      { state: 'Wait for service lock', data: { event: EVENT, release: releaseFor('posts'), lockHeld: {} } },
      { kind: 'rollout', lockKey: 'lock#posts', action: 'nothing-to-restore' },
    ],
    [
      'a rollout in its health gate, after its prior state was recorded: restore it',
      { state: 'Wait for service to be healthy', data: { event: EVENT, release: releaseFor('posts', { before: firstRollout }) } },
      { kind: 'rollout', lockKey: 'lock#posts', action: 'restore' },
    ],
    [
      'a rollout whose Compensate has not yet written its outcome: restore it',
      { state: 'Compensate', data: { event: EVENT, release: releaseFor('posts', { before: firstRollout }), error: caught } },
      { kind: 'rollout', lockKey: 'lock#posts', action: 'restore' },
    ],
    [
      'a rollout that compensated itself already',
      { state: 'Free service lock', data: { event: EVENT, release: releaseFor('posts', { before: firstRollout }), error: compensated } },
      { kind: 'rollout', lockKey: 'lock#posts', action: 'nothing-to-restore' },
    ],
    [
      'a superseded push: it deployed nothing',
      { state: 'Free service lock', data: { event: EVENT, release: releaseFor('posts', { before: firstRollout, superseded: true }) } },
      { kind: 'rollout', lockKey: 'lock#posts', action: 'nothing-to-restore' },
    ],
    [
      'a rollout past its traffic shift: live, not undone',
      { state: 'Service healthy?', data: { event: EVENT, release: releaseFor('posts', { before: firstRollout, live: true }) } },
      { kind: 'rollout', lockKey: 'lock#posts', action: 'not-undone' },
    ],
    [
      "a monolith's update releasing its lock (healthy; a monolith shifts no traffic): not undone",
      { state: 'Release service lock', data: { event: EVENT, release: releaseFor('api', { before: { ...firstRollout, service: { exists: true, taskDefinitionArn: 'api:1', desiredCount: 1 } } }) } },
      { kind: 'rollout', lockKey: 'lock#api', action: 'not-undone' },
    ],
    [
      'a rollout whose lock release failed, asking for the cut-over: not undone',
      { state: 'Start cut-over if due', data: { event: EVENT, release: releaseFor('api', { before: firstRollout }), error: { Error: 'DynamoDB.AmazonDynamoDBException', Cause: 'x' } } },
      { kind: 'rollout', lockKey: 'lock#api', action: 'not-undone' },
    ],
    ['a cut-over before its plan: nothing changed', { state: 'Acquire monolith lock', data: cutoverInput }, { kind: 'cutover', lockKey: 'lock#api', action: 'nothing-to-restore' }],
    [
      'a cut-over draining the monolith: restore the listener and the monolith',
      { state: 'Wait for monolith to drain', data: { ...cutoverInput, cutover: dueCutover() } },
      { kind: 'cutover', lockKey: 'lock#api', action: 'restore' },
    ],
    [
      'a cut-over that has drained the monolith: not undone',
      { state: 'Release monolith lock', data: { ...cutoverInput, cutover: dueCutover() } },
      { kind: 'cutover', lockKey: 'lock#api', action: 'not-undone' },
    ],
    [
      'a cut-over that compensated itself already',
      { state: 'Release monolith lock after failure', data: { ...cutoverInput, cutover: dueCutover(), error: compensated } },
      { kind: 'cutover', lockKey: 'lock#api', action: 'nothing-to-restore' },
    ],
  ])('%s', (_case, latest, expected) => {
    expect(abortSubject(latest)).toMatchObject(expected);
  });

  it("reads the definitions as they are: Compensate writes its outcome over $.error, and the cut-over's last states end it", () => {
    const rollout = definitionSource('rollout').States;
    const cutover = definitionSource('cutover').States;
    expect([rollout.Compensate?.Parameters, cutover.Compensate?.Parameters]).toEqual([{ 'state.$': '$', 'executionName.$': '$$.Execution.Name' }, { 'state.$': '$', 'executionName.$': '$$.Execution.Name' }]);
    expect(rollout.Compensate).toMatchObject({ ResultPath: '$.error' });
    expect(cutover.Compensate).toMatchObject({ ResultPath: '$.error' });
    expect([cutover['Release monolith lock']?.Next, cutover.Done?.Type]).toEqual(['Done', 'Succeed']);
    // A rollout reaches "Release service lock" only from its health gate's Choice (healthy), or a traffic shift.
    const into = (target: string) =>
      Object.entries(rollout)
        .filter(([, state]) => state.Next === target || state.Default === target || (state.Choices ?? []).some((choice) => choice.Next === target) || (state.Catch ?? []).some((catcher) => catcher.Next === target))
        .map(([name]) => name);
    expect(into('Release service lock').every((name) => ['Service healthy?', 'Shift traffic'].includes(name))).toBe(true);
    expect([rollout['Release service lock']?.Next, rollout['Start cut-over if due']?.Next, rollout['Succeeded or failed?']?.Default]).toEqual(['Start cut-over if due', 'Succeeded or failed?', 'Done']);
  });

  it('hands on the release of a live rollout, whose digest and time "Release service lock" records', () => {
    const release = releaseFor('posts', { before: firstRollout, live: true });
    expect(abortSubject({ state: 'Release service lock', data: { release } }).release).toEqual(release);
  });

  it.each<[string, unknown]>([
    ['not an object', 'RUNNING'],
    ['a release that is not one', { release: { service: 'posts' } }],
    ['a cut-over lock that is not a key', { lockKey: '' }],
  ])('throws ValidationError on a state that is %s', (_case, data) => {
    expect(thrownBy(ValidationError, () => abortSubject({ state: 'Deploy service', data })).message).toMatch(/^abort: /);
  });
});

describe('protects', () => {
  const NOW = '2026-11-26T09:30:00.000Z';

  it.each<[string, { owner?: string; leaseUntil?: string }, boolean]>([
    ['held by it, lease running', { owner: CUTOVER_EXECUTION, leaseUntil: LEASE_UNTIL }, true],
    ['held by it, lease run out', { owner: CUTOVER_EXECUTION, leaseUntil: '2026-11-26T09:29:59.999Z' }, false],
    ['held by another execution', { owner: 'cutover-0123456789abcdef01234567-2', leaseUntil: LEASE_UNTIL }, false],
    ['not held', {}, false],
  ])('%s', (_case, lock, expected) => {
    expect(protects(lock, CUTOVER_EXECUTION, NOW)).toBe(expected);
  });
});

describe('abortCause', () => {
  it('says who stopped the execution and in which state', () => {
    expect(abortCause({ state: 'Wait for service to be healthy', data: {} })).toBe('stopped by rollout abort in "Wait for service to be healthy"');
    expect(abortCause({ state: null, data: {} })).toBe('stopped by rollout abort before its first state');
  });
});
