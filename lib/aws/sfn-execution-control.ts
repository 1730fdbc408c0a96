import { DescribeExecutionCommand, GetExecutionHistoryCommand, StopExecutionCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import type { LatestState } from '../domain/abort';
import { ValidationError } from '../errors';
import { awsCall, awsErrorCode } from './aws-call';

const HISTORY_PAGE = 100;

interface StateData {
  readonly id: number;
  readonly state: string | null;
  readonly json: string;
  readonly truncated: boolean;
  /** A Task state entered (its step may still be running when this is the newest event). */
  readonly taskEnteredAt?: number;
}

/** The data an event carries: a state's input (entered), a state's output (exited), or the execution's input (started). */
function dataOf(event: HistoryEvent): StateData | undefined {
  const id = event.id ?? 0;
  const entered = event.stateEnteredEventDetails;
  if (entered?.input !== undefined) {
    const task = event.type === 'TaskStateEntered' ? { taskEnteredAt: event.timestamp?.getTime() ?? 0 } : {};
    return { id, state: entered.name ?? '', json: entered.input, truncated: entered.inputDetails?.truncated ?? false, ...task };
  }
  const exited = event.stateExitedEventDetails;
  if (exited?.output !== undefined) return { id, state: exited.name ?? '', json: exited.output, truncated: exited.outputDetails?.truncated ?? false };
  const started = event.executionStartedEventDetails;
  if (started?.input !== undefined) return { id, state: null, json: started.input, truncated: started.inputDetails?.truncated ?? false };
  return undefined;
}

/**
 * Step Functions adapter for `rollout abort`: one execution of a state machine, by name. Its status, StopExecution
 * (the execution runs no further state, its Catch included; a Lambda already running finishes), and its newest
 * state as the history holds it, which is where the execution's own state lives once it is stopped.
 */
export function createExecutionControl(client: SFNClient, stateMachineArn: string) {
  const executionArnOf = (name: string) => `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  return {
    stateMachineArn,

    /** Its status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED); undefined when there is no such execution. */
    async describe(name: string): Promise<{ readonly status: string } | undefined> {
      try {
        const out = await awsCall(`describe execution ${name}`, () => client.send(new DescribeExecutionCommand({ executionArn: executionArnOf(name) })), ['ExecutionDoesNotExist']);
        return { status: out.status ?? 'UNKNOWN' };
      } catch (error) {
        if (awsErrorCode(error) === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
    },

    async stop(name: string, error: string, cause: string): Promise<void> {
      await awsCall(`stop execution ${name}`, () => client.send(new StopExecutionCommand({ executionArn: executionArnOf(name), error, cause })));
    },

    /**
     * The newest event that carries the execution's state: read newest first, page by page, until one does. The
     * greatest event id wins, so a history answered oldest first (moto ignores reverseOrder) reads the same.
     */
    async latestState(name: string): Promise<LatestState> {
      let newest: StateData | undefined;
      let nextToken: string | undefined;
      // A history answered oldest first has its newest state on its last page: read to the end then.
      let oldestFirst = false;
      do {
        const page = await awsCall(`read the history of execution ${name}`, () =>
          client.send(new GetExecutionHistoryCommand({ executionArn: executionArnOf(name), reverseOrder: true, includeExecutionData: true, maxResults: HISTORY_PAGE, nextToken })),
        );
        const ids = (page.events ?? []).map((event) => event.id ?? 0);
        if (ids.length > 1 && (ids[0] ?? 0) < (ids.at(-1) ?? 0)) oldestFirst = true;
        for (const event of page.events ?? []) {
          const data = dataOf(event);
          if (data && (!newest || data.id > newest.id)) newest = data;
        }
        nextToken = page.nextToken;
      } while (nextToken && (!newest || oldestFirst));
      if (!newest) throw new ValidationError(`execution ${name}: its history holds no state data`);
      if (newest.truncated) throw new ValidationError(`execution ${name}: the history truncates the data of "${newest.state ?? 'its start'}"`);
      try {
        return { state: newest.state, data: JSON.parse(newest.json) as unknown, ...(newest.taskEnteredAt === undefined ? {} : { taskInFlightSince: newest.taskEnteredAt }) };
      } catch {
        throw new ValidationError(`execution ${name}: the data of "${newest.state ?? 'its start'}" in its history is not JSON`);
      }
    },
  };
}

export type ExecutionControl = ReturnType<typeof createExecutionControl>;
