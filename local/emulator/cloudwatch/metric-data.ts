/** PutMetricData, GetMetricData (MetricStat queries) and GetMetricStatistics over the emulator's metric series. */
import type {
  Datapoint as SdkDatapoint, GetMetricDataInput, GetMetricDataOutput, GetMetricStatisticsInput, GetMetricStatisticsOutput, MetricDataQuery,
  MetricDataResult, MetricDatum, PutMetricDataInput,
} from '@aws-sdk/client-cloudwatch';
import type { EmulatorContext } from '../context';
import { invalidParameterCombination, invalidParameterValue, validationError } from './errors';
import { datapointOfValues, findSeries, isPercentile, periodAggregates, putDatapoint, statisticValue } from './metrics';

const MINUTE_MS = 60_000;
const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

function toMs(time: Date | undefined, what: string): number {
  if (!(time instanceof Date) || Number.isNaN(time.getTime())) throw validationError(`The parameter ${what} is required.`);
  return time.getTime();
}

/** Moto's checks, which are AWS's messages for the same mistakes. */
function validateDatum(datum: MetricDatum, index: number): void {
  const member = `MetricData.member.${index}`;
  if (datum.Value !== undefined && Number.isNaN(datum.Value)) throw invalidParameterValue(`The value NaN for parameter ${member}.Value is invalid.`);
  if (datum.Values && datum.Values.length > 0) {
    if (datum.Value !== undefined) throw invalidParameterValue(`The parameters ${member}.Value and ${member}.Values are mutually exclusive and you have specified both.`);
    if (datum.Counts && datum.Counts.length > 0 && datum.Counts.length !== datum.Values.length) {
      throw invalidParameterValue(`The parameters ${member}.Values and ${member}.Counts must be of the same size.`);
    }
    const bad = datum.Values.find((value) => Number.isNaN(value));
    if (bad !== undefined) throw invalidParameterValue(`The value ${bad} for parameter ${member}.Values is invalid.`);
  }
  if (datum.StatisticValues) {
    if (datum.Value !== undefined) {
      throw invalidParameterCombination(`The parameters ${member}.Value and ${member}.StatisticValues are mutually exclusive and you have specified both.`);
    }
    for (const stat of ['Sum', 'Maximum', 'Minimum', 'SampleCount'] as const) {
      if (datum.StatisticValues[stat] === undefined) throw invalidParameterValue(`Missing required parameter in MetricData[${index}].StatisticValues: "${stat}"`);
    }
  }
}

export function putMetricData(ctx: EmulatorContext, input: PutMetricDataInput): object {
  const namespace = input.Namespace ?? '';
  // PutMetricData, Namespace: "Namespaces beginning with AWS/ are reserved for use by Amazon Web Services products."
  if (namespace.startsWith('AWS/')) throw invalidParameterValue(`The value ${namespace} for parameter Namespace is invalid.`);
  const data = input.MetricData ?? [];
  data.forEach((datum, index) => validateDatum(datum, index + 1));
  for (const datum of data) {
    const timestamp = datum.Timestamp instanceof Date ? datum.Timestamp.getTime() : ctx.simulatedUntil;
    const unit = datum.Unit;
    const metric = { namespace, metricName: datum.MetricName ?? '', dimensions: datum.Dimensions };
    if (datum.Values && datum.Values.length > 0) {
      const counts = datum.Counts && datum.Counts.length > 0 ? datum.Counts : datum.Values.map(() => 1);
      putDatapoint(ctx.cloudwatch, metric, datapointOfValues(timestamp, datum.Values.map((value, index) => [value, counts[index] ?? 1]), unit));
    } else if (datum.StatisticValues) {
      const { SampleCount = 0, Sum = 0, Minimum = 0, Maximum = 0 } = datum.StatisticValues;
      putDatapoint(ctx.cloudwatch, metric, { timestamp, sampleCount: SampleCount, sum: Sum, minimum: Minimum, maximum: Maximum, ...(unit ? { unit } : {}) });
    } else {
      putDatapoint(ctx.cloudwatch, metric, datapointOfValues(timestamp, [[datum.Value ?? 0, 1]], unit));
    }
  }
  return {};
}

function checkStat(stat: string, where: string): void {
  if (!(STATISTICS as readonly string[]).includes(stat) && !isPercentile(stat)) throw invalidParameterValue(`The value ${stat} for parameter ${where} is not supported.`);
}

function metricStatResult(ctx: EmulatorContext, query: MetricDataQuery, index: number, start: number, end: number, descending: boolean): MetricDataResult {
  const metricStat = query.MetricStat;
  if (!metricStat) throw validationError(`The parameter MetricDataQueries.member.${index}.MetricStat is required.\n`);
  const stat = metricStat.Stat ?? '';
  checkStat(stat, `MetricDataQueries.member.${index}.MetricStat.Stat`);
  const metricName = metricStat.Metric?.MetricName ?? '';
  const series = findSeries(ctx.cloudwatch, { namespace: metricStat.Metric?.Namespace ?? '', metricName, dimensions: metricStat.Metric?.Dimensions });
  const points = periodAggregates(series, start, end, metricStat.Period ?? 60, metricStat.Unit).flatMap(({ timestamp, data }) => {
    const value = statisticValue(stat, data);
    return value === undefined ? [] : [{ timestamp, value }];
  });
  if (descending) points.reverse();
  return {
    Id: query.Id, Label: query.Label ?? `${metricName} ${stat}`,
    Timestamps: points.map(({ timestamp }) => new Date(timestamp)), Values: points.map(({ value }) => value), StatusCode: 'Complete',
  };
}

/**
 * GetMetricData, StartTime: CloudWatch rounds a recent start down to the whole minute; periods are counted from
 * there. Metric math (Expression) is not emulated.
 */
export function getMetricData(ctx: EmulatorContext, input: GetMetricDataInput): GetMetricDataOutput {
  const queries = input.MetricDataQueries ?? [];
  queries.forEach((query, index) => {
    if (!query.MetricStat && query.Expression === undefined) throw validationError(`The parameter MetricDataQueries.member.${index + 1}.MetricStat is required.\n`);
    if (query.Expression !== undefined) throw new Error('emulator does not implement cloudwatch:GetMetricData with Expression (metric math)');
  });
  const start = Math.floor(toMs(input.StartTime, 'StartTime') / MINUTE_MS) * MINUTE_MS;
  const end = toMs(input.EndTime, 'EndTime');
  if (start > end) throw validationError('The parameter EndTime must be greater than StartTime.');
  if (start === end) throw validationError('The parameter StartTime must not equal parameter EndTime.');
  const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
  return {
    MetricDataResults: queries
      .map((query, index) => ({ query, index: index + 1 }))
      .filter(({ query }) => query.ReturnData !== false)
      .map(({ query, index }) => metricStatResult(ctx, query, index, start, end, descending)),
  };
}

export function getMetricStatistics(ctx: EmulatorContext, input: GetMetricStatisticsInput): GetMetricStatisticsOutput {
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (statistics.length === 0 && extended.length === 0) throw invalidParameterCombination('Must specify either Statistics or ExtendedStatistics');
  extended.forEach((stat) => checkStat(stat, 'ExtendedStatistics'));
  const start = Math.floor(toMs(input.StartTime, 'StartTime') / MINUTE_MS) * MINUTE_MS;
  const end = toMs(input.EndTime, 'EndTime');
  if (start >= end) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
  const series = findSeries(ctx.cloudwatch, { namespace: input.Namespace ?? '', metricName: input.MetricName ?? '', dimensions: input.Dimensions });
  const datapoints = periodAggregates(series, start, end, input.Period ?? 60, input.Unit).map(({ timestamp, data }): SdkDatapoint => {
    const datapoint: SdkDatapoint = { Timestamp: new Date(timestamp), ...(data.unit ? { Unit: data.unit } : {}) };
    for (const stat of statistics) {
      const value = statisticValue(stat, data);
      if (value !== undefined) Object.assign(datapoint, { [stat]: value });
    }
    const percentiles = Object.fromEntries(extended.flatMap((stat) => {
      const value = statisticValue(stat, data);
      return value === undefined ? [] : [[stat, value]];
    }));
    return Object.keys(percentiles).length > 0 ? { ...datapoint, ExtendedStatistics: percentiles } : datapoint;
  });
  return { Label: input.MetricName, Datapoints: datapoints };
}
