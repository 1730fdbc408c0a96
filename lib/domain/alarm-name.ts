/**
 * CloudWatch alarm names (PutMetricAlarm, AlarmName): 1-255 characters, "only UTF-8 characters, and can't contain
 * ASCII control characters" (U+0000-U+001F and U+007F). The length is counted as the emulator counts it
 * (local/emulator/cloudwatch/alarms.ts: UTF-16 code units), so a name accepted here is one the emulator accepts.
 */
export const ALARM_NAME_MAX_LENGTH = 255;

// eslint-disable-next-line no-control-regex -- the control characters are what this looks for
const ASCII_CONTROL = /[\u0000-\u001f\u007f]/;

/** What is wrong with `name` as a CloudWatch alarm name, in a few words; undefined when it is one. */
export function alarmNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > ALARM_NAME_MAX_LENGTH) return `an alarm name is 1-${ALARM_NAME_MAX_LENGTH} characters, got ${name.length}`;
  if (ASCII_CONTROL.test(name)) return 'an alarm name has no control characters';
  return undefined;
}

export const isAlarmName = (name: string): boolean => alarmNameProblem(name) === undefined;
