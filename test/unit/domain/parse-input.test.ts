import * as v from 'valibot';
import { parseInput, schemaIssues, validate } from '../../../lib/domain/parse-input';
import { ValidationError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const StepInput = v.object({
  lockName: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  record: v.optional(v.object({ digest: v.pipe(v.string(), v.regex(/^sha256:/, 'must be a sha256 digest')) })),
  paths: v.optional(v.array(v.pipe(v.string(), v.startsWith('/')))),
  limits: v.optional(v.strictObject({ max: v.number() })),
});

const validationErrorOf = (run: () => unknown) => thrownBy(ValidationError, run);

describe('parseInput', () => {
  it('returns the parsed input when it fits the schema', () => {
    // Act
    const parsed = parseInput(StepInput, { lockName: 'service#posts', extra: 1 }, 'acquire lock');

    // Assess
    expect(parsed).toEqual({ lockName: 'service#posts' });
  });

  it.each<[string, unknown, string, string]>([
    ['an empty lock name', { lockName: '' }, 'lockName', 'Invalid length: Expected >=1 but received 0'],
    ['a missing lock name', {}, 'lockName', 'is required'],
    ['a nested bad field', { lockName: 'l', record: { digest: 'md5:1' } }, 'record.digest', 'must be a sha256 digest'],
    ['a bad array item', { lockName: 'l', paths: ['/a', 'b'] }, 'paths.1', 'Invalid start: Expected "/" but received "b"'],
    ['an input that is not an object', 'lock', '(input)', 'Invalid type: Expected Object but received "lock"'],
    ['an unknown key of a strict object', { lockName: 'l', limits: { max: 1, min: 0 } }, 'limits', 'Unrecognized key: "min"'],
  ])('rejects %s with a ValidationError naming the step, the field and why', (_case, input, field, message) => {
    // Act
    const error = validationErrorOf(() => parseInput(StepInput, input, 'acquire lock'));

    // Assess
    expect(error.field).toBe(field);
    expect(error.message).toBe(`acquire lock: invalid input: ${field}: ${message}`);
  });

  it('puts the prefix before the field of a nested input', () => {
    // Act
    const error = validationErrorOf(() => parseInput(StepInput, { lockName: 1 }, 'shift traffic', 'release.'));

    // Assess
    expect(error.field).toBe('release.lockName');
    expect(error.message).toBe('shift traffic: invalid input: release.lockName: Invalid type: Expected string but received 1');
  });
});

describe('validate', () => {
  it('names the input itself with the given root when the whole value is wrong', () => {
    // Act
    const error = validationErrorOf(() => validate(StepInput, null, 'invalid ECR push event', { root: '(event)' }));

    // Assess
    expect(error.field).toBe('(event)');
    expect(error.message).toBe('invalid ECR push event: (event): Invalid type: Expected Object but received null');
  });
});

describe('schemaIssues', () => {
  it('lists every issue, with array indexes in brackets when asked', () => {
    // Prepare
    const result = v.safeParse(StepInput, { lockName: '', paths: ['x'] });
    if (result.success) throw new Error('expected the parse to fail');

    // Act
    const issues = schemaIssues(result.issues, { root: '(root)', brackets: true });

    // Assess
    expect(issues).toEqual([
      { field: 'lockName', message: 'Invalid length: Expected >=1 but received 0' },
      { field: 'paths[0]', message: 'Invalid start: Expected "/" but received "x"' },
    ]);
  });
});
