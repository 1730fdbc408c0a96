import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { causeMessage } from '../../lib/domain/lambda-cause';
import { definitionSource, STATE_MACHINES, type AslDefinition } from '../../local/runner/definitions';
import { UsageError } from '../usage-error';
import { trafficStepsOf, type PageModel, type ViewEvent } from './model';

// An execution's history holds at most 25,000 events (Step Functions quotas, "Execution history"); pages of 1,000.
const MAX_EVENTS = 25_000;
const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);

/** The error of a failure event inside a state, whatever kind of task failed. */
function failureOf(event: HistoryEvent): string | undefined {
  const details =
    event.taskFailedEventDetails ??
    event.taskTimedOutEventDetails ??
    event.taskStartFailedEventDetails ??
    event.taskSubmitFailedEventDetails ??
    event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ??
    event.lambdaFunctionStartFailedEventDetails ??
    event.lambdaFunctionScheduleFailedEventDetails ??
    event.activityFailedEventDetails ??
    event.activityTimedOutEventDetails;
  if (!details) return undefined;
  return details.error ?? (event.type?.endsWith('TimedOut') ? 'States.Timeout' : 'States.TaskFailed');
}

/**
 * Step Functions' history in the local runner's vocabulary. A task scheduled again within the same state is a
 * retry (the history has no event of its own for it); a failure event inside a state is that state failing.
 */
export function normalizeHistory(events: readonly HistoryEvent[]): ViewEvent[] {
  const normalized: ViewEvent[] = [];
  let state: string | undefined;
  let scheduled = 0;
  for (const event of events) {
    const at = event.timestamp?.getTime() ?? 0;
    const type = event.type ?? '';
    const failure = failureOf(event);
    if (type.endsWith('StateEntered') && event.stateEnteredEventDetails?.name) {
      state = event.stateEnteredEventDetails.name;
      scheduled = 0;
      normalized.push({ at, type: 'StateEntered', state });
    } else if (type.endsWith('StateExited') && event.stateExitedEventDetails?.name) {
      normalized.push({ at, type: 'StateExited', state: event.stateExitedEventDetails.name });
      state = undefined;
    } else if (SCHEDULED.has(type) && state) {
      scheduled += 1;
      if (scheduled > 1) normalized.push({ at, type: 'StateRetried', state });
    } else if (failure !== undefined && state) {
      normalized.push({ at, type: 'StateFailed', state, error: failure });
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut') {
      const details = event.executionFailedEventDetails ?? event.executionTimedOutEventDetails;
      normalized.push({ at, type: 'ExecutionFailed', error: details?.error ?? (type === 'ExecutionTimedOut' ? 'States.Timeout' : 'States.Runtime') });
    } else if (type.startsWith('Execution')) {
      normalized.push({ at, type });
    }
  }
  return normalized;
}

/** The cut-over this rollout started, as its "Start cut-over if due" Lambda reported it ({ started, name }). */
function startedExecutions(events: readonly HistoryEvent[]): string[] {
  const names: string[] = [];
  for (const event of events) {
    const output = event.lambdaFunctionSucceededEventDetails?.output ?? event.taskSucceededEventDetails?.output;
    if (!output) continue;
    try {
      const parsed = JSON.parse(output) as { started?: unknown; name?: unknown };
      if (parsed.started === true && typeof parsed.name === 'string') names.push(parsed.name);
    } catch {
      // not JSON: not a start report
    }
  }
  return names;
}

async function readHistory(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken && events.length < MAX_EVENTS);
  return events;
}

/** The definition the execution ran (DescribeStateMachineForExecution); the repository's when that is refused. */
async function definitionFor(client: SFNClient, executionArn: string, entered: readonly string[]): Promise<{ definition: AslDefinition; from: string; note?: string }> {
  try {
    const out = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    return { definition: JSON.parse(out.definition ?? '') as AslDefinition, from: 'the deployed definition (DescribeStateMachineForExecution)' };
  } catch (error) {
    const local = STATE_MACHINES.find((candidate) => entered.every((state) => state in definitionSource(candidate).States)) ?? 'rollout';
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { definition: definitionSource(local), from: `statemachines/${local}.asl.yaml`, note: `The deployed definition could not be read (${why}): drawn from the repository's.` };
  }
}

/** The page for one execution of the deployed state machine: DescribeExecution and its history. */
export async function awsPageModel(client: SFNClient, stateMachineArn: string, name: string): Promise<PageModel> {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const described = await client.send(new DescribeExecutionCommand({ executionArn })).catch((error: unknown) => {
    if (error instanceof ExecutionDoesNotExist) throw new UsageError(`no execution named ${name} in ${stateMachineArn} (see \`rollout executions --aws\`)`);
    throw error;
  });
  const events = await readHistory(client, executionArn);
  const history = normalizeHistory(events);
  const entered = history.flatMap((event) => (event.state ? [event.state] : []));
  const { definition, from, note } = await definitionFor(client, executionArn, entered);
  // A failed execution has no output: its last state's output (after Compensate) holds the steps.
  const lastOutput = described.output ?? [...events].reverse().find((event) => event.stateExitedEventDetails?.output)?.stateExitedEventDetails?.output;
  const traffic = trafficStepsOf(lastOutput ? (JSON.parse(lastOutput) as unknown) : undefined);
  const started = startedExecutions(events);
  const notAvailable = 'Not available from the execution history: Step Functions records the Lambda invocations, not the AWS calls they make (CloudTrail has those).';
  return {
    source: 'AWS execution history',
    clock: 'wall',
    execution: {
      name,
      stateMachine: stateMachineArn.split(':').pop() ?? stateMachineArn,
      definition,
      definitionFrom: from,
      status: described.status ?? 'UNKNOWN',
      startedAt: described.startDate?.getTime() ?? events[0]?.timestamp?.getTime() ?? 0,
      stoppedAt: described.stopDate?.getTime() ?? null,
      error: described.error ?? null,
      cause: described.cause === undefined ? null : causeMessage(described.cause),
      history,
      awsCalls: { unavailable: notAvailable },
      ...(traffic.steps ? { trafficSteps: traffic.steps } : {}),
      children: [],
      notes: [
        ...(note ? [note] : []),
        ...(traffic.note ? [traffic.note] : []),
        ...started.map((child) => `It started the execution ${child} (the cut-over): \`rollout view ${child} --aws --state-machine-arn <the cut-over state machine's ARN>\` draws it.`),
      ],
    },
    routing: { unavailable: 'Not available from the history: an execution history does not record the listener\'s rules or the ECS services.' },
  };
}
