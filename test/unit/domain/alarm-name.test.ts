import { alarmNameProblem, isAlarmName } from '../../../lib/domain/alarm-name';

describe('CloudWatch alarm names', () => {
  it.each([['posts-5xx'], ['a'], ['x'.repeat(255)], ['Posts: p99 > 2 s (prod)'], ['alarme élevée ⚠']])('accepts %j', (name) => {
    // Act, Assess
    expect(alarmNameProblem(name)).toBeUndefined();
    expect(isAlarmName(name)).toBe(true);
  });

  it.each([
    ['', 'an alarm name is 1-255 characters, got 0'],
    ['x'.repeat(256), 'an alarm name is 1-255 characters, got 256'],
    ['posts\n5xx', 'an alarm name has no control characters'],
    ['posts\t5xx', 'an alarm name has no control characters'],
    ['\u0000', 'an alarm name has no control characters'],
    ['posts\u007f', 'an alarm name has no control characters'],
  ])('refuses %j: %s', (name, problem) => {
    // Act, Assess
    expect(alarmNameProblem(name)).toBe(problem);
    expect(isAlarmName(name)).toBe(false);
  });
});
