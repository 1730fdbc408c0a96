import { readEventFiles } from '../../../cli/event-files';

const event = { source: 'aws.ecr', detail: {} };

describe('readEventFiles', () => {
  it('reads one event from standard input for -', () => {
    // Act, Assess
    expect(readEventFiles(['-'], () => JSON.stringify(event))).toEqual([{ label: '-', event }]);
  });

  it('reads an array of events from standard input, labelled by index', () => {
    // Act, Assess
    expect(readEventFiles(['-'], () => JSON.stringify([event, event]))).toEqual([{ label: '-[0]', event }, { label: '-[1]', event }]);
  });

  it.each<[string, string[], string, RegExp]>([
    ['not JSON', ['-'], '{', /^invalid standard input: not JSON/],
    ['an empty array', ['-'], '[]', /^invalid standard input: an empty array holds no event$/],
    ['an array with a non-event', ['-'], '[{}, 3]', /^invalid standard input: element 1 is not an EventBridge event/],
    ['- twice', ['-', '-'], '{}', /^- \(standard input\) given twice/],
  ])('refuses %s as a UsageError', (_case, paths, input, message) => {
    // Act, Assess
    expect(() => readEventFiles(paths, () => input)).toThrow(expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(message) }));
  });
});
