/**
 * Metric series and statistics, as the CloudWatch user guide defines them ("CloudWatch concepts", Statistics and
 * Percentiles): a metric is a namespace, a name and one exact combination of dimensions; a statistic aggregates the
 * datapoints whose timestamps fall in a period.
 */
import type { Dimension, StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchState, Datapoint, MetricSeries } from './state';

export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions?: readonly Dimension[];
}

export function sortedDimensions(dimensions: readonly Dimension[] = []): Dimension[] {
  return [...dimensions].map(({ Name, Value }) => ({ Name, Value })).sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
}

export function metricKey({ namespace, metricName, dimensions }: MetricId): string {
  return JSON.stringify([namespace, metricName, sortedDimensions(dimensions).map(({ Name, Value }) => [Name, Value])]);
}

export function putDatapoint(state: CloudWatchState, metric: MetricId, datapoint: Datapoint): void {
  const key = metricKey(metric);
  let series = state.metrics.get(key);
  if (!series) {
    series = { namespace: metric.namespace, metricName: metric.metricName, dimensions: sortedDimensions(metric.dimensions), datapoints: [] };
    state.metrics.set(key, series);
  }
  series.datapoints.push(datapoint);
}

export function findSeries(state: CloudWatchState, metric: MetricId): MetricSeries | undefined {
  return state.metrics.get(metricKey(metric));
}

/** A statistic set built from values and their counts (PutMetricData Values/Counts, or a single Value). */
export function datapointOfValues(timestamp: number, values: ReadonlyArray<[number, number]>, unit?: StandardUnit): Datapoint {
  const counted = values.filter(([, count]) => count > 0);
  return {
    timestamp,
    sampleCount: counted.reduce((sum, [, count]) => sum + count, 0),
    sum: counted.reduce((sum, [value, count]) => sum + value * count, 0),
    minimum: Math.min(...counted.map(([value]) => value)),
    maximum: Math.max(...counted.map(([value]) => value)),
    values: counted.map(([value, count]) => [value, count]),
    ...(unit ? { unit } : {}),
  };
}

export interface Aggregate {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
  values?: Array<[number, number]>;
  unit?: StandardUnit;
}

export function aggregate(datapoints: readonly Datapoint[]): Aggregate | undefined {
  if (datapoints.length === 0) return undefined;
  const withValues = datapoints.every((datapoint) => datapoint.values !== undefined);
  return {
    sampleCount: datapoints.reduce((sum, datapoint) => sum + datapoint.sampleCount, 0),
    sum: datapoints.reduce((sum, datapoint) => sum + datapoint.sum, 0),
    minimum: Math.min(...datapoints.map((datapoint) => datapoint.minimum)),
    maximum: Math.max(...datapoints.map((datapoint) => datapoint.maximum)),
    ...(withValues ? { values: datapoints.flatMap((datapoint) => datapoint.values ?? []) } : {}),
    unit: datapoints[datapoints.length - 1]?.unit,
  };
}

const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/;

export function isPercentile(stat: string): boolean {
  return PERCENTILE.test(stat);
}

/**
 * pNN: "the 95th percentile means that 95 percent of the data is below this value" (ELB user guide, "Statistics for
 * Application Load Balancer metrics"); taken as the nearest rank. Unavailable (undefined) for statistic sets.
 */
function percentile(values: ReadonlyArray<[number, number]>, percent: number): number | undefined {
  const sorted = [...values].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((percent / 100) * total - 1e-9));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}

/** The value of `stat` (SampleCount, Sum, Average, Minimum, Maximum or pNN.NN) over an aggregate. */
export function statisticValue(stat: string, data: Aggregate): number | undefined {
  switch (stat) {
    case 'SampleCount':
      return data.sampleCount;
    case 'Sum':
      return data.sum;
    case 'Average':
      return data.sampleCount > 0 ? data.sum / data.sampleCount : undefined;
    case 'Minimum':
      return data.minimum;
    case 'Maximum':
      return data.maximum;
    default: {
      const match = PERCENTILE.exec(stat);
      return match && data.values ? percentile(data.values, Number(match[1])) : undefined;
    }
  }
}

/**
 * The series' datapoints in [start, end) grouped by period, periods counted from `start`; only periods with data,
 * oldest first. `unit` keeps only the datapoints published with that unit.
 */
export function periodAggregates(series: MetricSeries | undefined, start: number, end: number, periodSeconds: number, unit?: string): Array<{ timestamp: number; data: Aggregate }> {
  if (!series) return [];
  const periodMs = periodSeconds * 1000;
  const buckets = new Map<number, Datapoint[]>();
  for (const datapoint of series.datapoints) {
    if (datapoint.timestamp < start || datapoint.timestamp >= end) continue;
    if (unit !== undefined && datapoint.unit !== unit) continue;
    const bucket = start + Math.floor((datapoint.timestamp - start) / periodMs) * periodMs;
    const inBucket = buckets.get(bucket);
    if (inBucket) inBucket.push(datapoint);
    else buckets.set(bucket, [datapoint]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([timestamp, datapoints]) => {
      const data = aggregate(datapoints);
      return data ? [{ timestamp, data }] : [];
    });
}
