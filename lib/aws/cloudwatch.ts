import { DescribeAlarmsCommand, GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { BakeObservation } from '../domain/traffic';
import { awsCall } from './aws-call';

const PERIOD_SECONDS = 60;

/**
 * The dimension values of AWS/ApplicationELB metrics (ELB user guide, "CloudWatch metrics for your Application Load
 * Balancer"): TargetGroup is `targetgroup/<name>/<id>`, the end of the group's ARN; LoadBalancer is
 * `app/<name>/<id>`, which the listener's ARN (`…:listener/app/<name>/<id>/<listener-id>`) contains.
 */
export function metricDimensions(targetGroupArn: string, listenerArn: string): { TargetGroup: string; LoadBalancer: string } {
  const listener = listenerArn.split(':listener/')[1] ?? '';
  return {
    TargetGroup: targetGroupArn.slice(targetGroupArn.lastIndexOf(':') + 1),
    LoadBalancer: listener.split('/').slice(0, 3).join('/'),
  };
}

const QUERIES = [
  ['requests', 'RequestCount', 'Sum'],
  ['errors', 'HTTPCode_Target_5XX_Count', 'Sum'],
  ['p99', 'TargetResponseTime', 'p99'],
  ['unhealthy', 'UnHealthyHostCount', 'Maximum'],
] as const;

export interface BakeWindow {
  readonly targetGroupArn: string;
  readonly listenerArn: string;
  /** Whole minutes (CloudWatch's 60 s periods start on the minute). */
  readonly startMs: number;
  /**
   * UnHealthyHostCount counts from here (a whole minute): a minute that began before the bake holds the target's
   * state before it (e.g. still starting before the health gate passed), which says nothing of the new revision's
   * answers. Default: startMs.
   */
  readonly unhealthyFromMs?: number;
  readonly endMs: number;
  readonly alarms: readonly string[];
}

/** CloudWatch adapter for the bake gate: read-only (GetMetricData, DescribeAlarms). */
export function createCloudWatchAdapter(client: CloudWatchClient) {
  return {
    /**
     * What the new group saw in the window: requests and 5xx summed over its minutes, the worst minute's p99 (in ms)
     * and the most unhealthy hosts any minute had. A minute with no datapoint had no requests (ALB publishes
     * RequestCount only for minutes with requests).
     */
    async metrics(window: Omit<BakeWindow, 'alarms'>): Promise<Omit<BakeObservation, 'alarmsInAlarm'>> {
      const dimensions = metricDimensions(window.targetGroupArn, window.listenerArn);
      const queries: MetricDataQuery[] = QUERIES.map(([id, metricName, stat]) => ({
        Id: id,
        MetricStat: {
          Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
          Period: PERIOD_SECONDS,
          Stat: stat,
        },
      }));
      const values = new Map<string, number[]>();
      let nextToken: string | undefined;
      do {
        const out = await awsCall(`read metrics of ${dimensions.TargetGroup}`, () =>
          client.send(new GetMetricDataCommand({ StartTime: new Date(window.startMs), EndTime: new Date(window.endMs), MetricDataQueries: queries, NextToken: nextToken })));
        for (const result of out.MetricDataResults ?? []) {
          const from = result.Id === 'unhealthy' ? (window.unhealthyFromMs ?? window.startMs) : window.startMs;
          const kept = (result.Values ?? []).filter((_value, index) => (result.Timestamps?.[index]?.getTime() ?? from) >= from);
          values.set(result.Id ?? '', [...(values.get(result.Id ?? '') ?? []), ...kept]);
        }
        nextToken = out.NextToken;
      } while (nextToken);
      const sum = (id: string) => (values.get(id) ?? []).reduce((total, value) => total + value, 0);
      const max = (id: string) => (values.get(id) ?? []).reduce<number | undefined>((top, value) => (top === undefined || value > top ? value : top), undefined);
      const p99Seconds = max('p99');
      return {
        requests: sum('requests'),
        errors5xx: sum('errors'),
        ...(p99Seconds === undefined ? {} : { p99LatencyMs: p99Seconds * 1000 }),
        maxUnhealthyHosts: max('unhealthy') ?? 0,
      };
    },

    /** Of these alarm names, those in ALARM now, and those CloudWatch does not know. */
    async alarmStates(names: readonly string[]): Promise<{ inAlarm: string[]; missing: string[] }> {
      if (names.length === 0) return { inAlarm: [], missing: [] };
      const found = new Map<string, string>();
      let nextToken: string | undefined;
      do {
        const out = await awsCall('describe alarms', () => client.send(new DescribeAlarmsCommand({ AlarmNames: [...names], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: nextToken })));
        for (const alarm of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) found.set(alarm.AlarmName ?? '', alarm.StateValue ?? '');
        nextToken = out.NextToken;
      } while (nextToken);
      return { inAlarm: names.filter((name) => found.get(name) === 'ALARM'), missing: names.filter((name) => !found.has(name)) };
    },
  };
}

export type CloudWatchAdapter = ReturnType<typeof createCloudWatchAdapter>;
