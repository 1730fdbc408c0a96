import { failureText, timedOutState } from '../../../cli/render/failure';

const timedOut = [
  { type: 'StateEntered', state: 'Deploy service' },
  { type: 'StateFailed', state: 'Deploy service', error: 'States.Timeout' },
  { type: 'StateCaught', state: 'Deploy service' },
  { type: 'StateEntered', state: 'Rollout failed' },
  { type: 'StateFailed', state: 'Rollout failed', error: 'States.Timeout' },
  { type: 'ExecutionFailed', error: 'States.Timeout' },
];

describe('failureText', () => {
  it.each<[string, string, string | null, string]>([
    ['a cause that repeats its error name', 'AwsRequestError', 'AwsRequestError: create rule /api/posts*: AccessDenied. Restored: nothing needed restoring.', 'AwsRequestError: create rule /api/posts*: AccessDenied. Restored: nothing needed restoring.'],
    ['a Lambda error cause (JSON)', 'ValidationError', JSON.stringify({ errorType: 'ValidationError', errorMessage: 'resolve release: bad tag', trace: [] }), 'ValidationError: resolve release: bad tag'],
    ['a cause that does not', 'ServiceUnhealthyError', 'posts: 0 of 1 targets healthy', 'ServiceUnhealthyError: posts: 0 of 1 targets healthy'],
    ['no cause', 'States.Runtime', null, 'States.Runtime'],
  ])('names the error once for %s', (_case, error, cause, text) => {
    // Act, Assess
    expect(failureText(error, cause)).toBe(text);
  });

  it('names the Task state that timed out, with its TimeoutSeconds, keeping what was restored', () => {
    // Act
    const text = failureText('States.Timeout', 'States.Timeout: States.Timeout. Restored: removed new service posts.', timedOut);

    // Assess
    expect(text).toBe('States.Timeout: "Deploy service" timed out (its Task did not answer within 60 s). Restored: removed new service posts.');
  });

  it('names the timed-out Task from an AWS history too, whose timeout has no cause', () => {
    // Prepare
    const aws = [
      { type: 'TaskStateEntered', state: 'Deploy service' },
      { type: 'LambdaFunctionTimedOut', state: 'Deploy service', error: 'States.Timeout' },
    ];

    // Act, Assess
    expect(timedOutState(aws)).toBe('Deploy service');
    expect(failureText('States.Timeout', undefined, aws)).toBe('States.Timeout: "Deploy service" timed out (its Task did not answer within 60 s)');
  });
});
