import * as z from 'zod/mini';
import { parseInput, schemaIssues, validate } from '../../../lib/domain/parse-input';
import { ValidationError } from '../../../lib/errors';
import { thrownBy } from './thrown';

// Only zod/mini is loaded in this file: the English messages must come from parse-input itself.
const StepInput = z.object({
  lockName: z.string().check(z.minLength(1), z.maxLength(64)),
  record: z.optional(z.object({ digest: z.string().check(z.regex(/^sha256:/, 'must be a sha256 digest')) })),
  paths: z.optional(z.array(z.string().check(z.startsWith('/')))),
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
    ['an empty lock name', { lockName: '' }, 'lockName', 'Too small: expected string to have >=1 characters'],
    ['a missing lock name', {}, 'lockName', 'Invalid input: expected string, received undefined'],
    ['a nested bad field', { lockName: 'l', record: { digest: 'md5:1' } }, 'record.digest', 'must be a sha256 digest'],
    ['a bad array item', { lockName: 'l', paths: ['/a', 'b'] }, 'paths.1', 'Invalid string: must start with "/"'],
    ['an input that is not an object', 'lock', '(input)', 'Invalid input: expected object, received string'],
  ])('rejects %s with a ValidationError naming the step, the field and zod\'s English message', (_case, input, field, message) => {
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
    expect(error.message).toBe('shift traffic: invalid input: release.lockName: Invalid input: expected string, received number');
  });
});

describe('validate', () => {
  it('names the input itself with the given root when the whole value is wrong', () => {
    // Act
    const error = validationErrorOf(() => validate(StepInput, null, 'invalid ECR push event', { root: '(event)' }));

    // Assess
    expect(error.field).toBe('(event)');
    expect(error.message).toBe('invalid ECR push event: (event): Invalid input: expected object, received null');
  });
});

describe('schemaIssues', () => {
  it('lists every issue, with array indexes in brackets when asked', () => {
    // Prepare
    const result = z.safeParse(StepInput, { lockName: '', paths: ['x'] });
    if (result.success) throw new Error('expected the parse to fail');

    // Act
    const issues = schemaIssues(result.error, { root: '(root)', brackets: true });

    // Assess
    expect(issues).toEqual([
      { field: 'lockName', message: 'Too small: expected string to have >=1 characters' },
      { field: 'paths[0]', message: 'Invalid string: must start with "/"' },
    ]);
  });
});
