/** CloudWatch operation table: metrics (PutMetricData, GetMetricData, GetMetricStatistics) and metric alarms. */
import type { EmulatorContext } from '../context';
import type { Handlers } from '../handlers';
import { deleteAlarms, describeAlarms, putMetricAlarm, setAlarmState } from './alarms';
import { getMetricData, getMetricStatistics, putMetricData } from './metric-data';

export function cloudwatchHandlers(ctx: EmulatorContext): Handlers {
  return {
    PutMetricData: (input) => putMetricData(ctx, input),
    GetMetricData: (input) => getMetricData(ctx, input),
    GetMetricStatistics: (input) => getMetricStatistics(ctx, input),
    PutMetricAlarm: (input) => putMetricAlarm(ctx, input),
    DescribeAlarms: (input) => describeAlarms(ctx, input),
    SetAlarmState: (input) => setAlarmState(ctx, input),
    DeleteAlarms: (input) => deleteAlarms(ctx, input),
  };
}
