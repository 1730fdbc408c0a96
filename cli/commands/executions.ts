import { DescribeExecutionCommand, GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import { causeMessage } from '../../lib/domain/lambda-cause';
import { failureText } from '../render/failure';
import { fitTable, outputWidth } from '../render/fit-table';
import { UsageError } from '../usage-error';
import { loadRun } from '../run-store';
import { openSession, type AwsAccountOptions } from '../aws-context';
import { rolloutStateMachineArn } from '../aws/environment';

interface AwsStateMachine {
  readonly client: SFNClient;
  readonly stateMachineArn: string;
  /** Rethrows an account failure as one line (exit 2). */
  readonly explain: (error: unknown) => never;
}

/**
 * With --aws: the account (cli/aws-context.ts: --region, --profile, --endpoint-url, the stack's outputs) and its
 * rollout state machine. An injected client (tests) comes with its account: the ARN must then be given.
 */
async function awsStateMachine(options: AwsAccountOptions, client: SFNClient | undefined): Promise<AwsStateMachine> {
  if (client) {
    const arn = options.stateMachineArn ?? process.env.ROLLOUT_STATE_MACHINE_ARN;
    if (!arn) throw new UsageError('--aws needs the state machine: pass --state-machine-arn ARN or set ROLLOUT_STATE_MACHINE_ARN (sls info shows it)');
    return { client, stateMachineArn: arn, explain: (error) => { throw error; } };
  }
  const session = await openSession(options);
  return { client: session.sfn, stateMachineArn: await rolloutStateMachineArn(session, options), explain: (error) => session.explain(error) };
}

const FAILED = ['FAILED', 'TIMED_OUT', 'ABORTED'];
const NO_ERROR = { error: null as string | null, cause: null as string | null };

type ShownEvent = { at: string; type: string; state?: string; error?: string; cause?: string };

/** An AWS history event in the local runner's terms; a failure without a state name gets the state it happened in. */
function fromAwsEvent(event: HistoryEvent, current: string | undefined): ShownEvent {
  const failure =
    event.executionFailedEventDetails ?? event.taskFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.lambdaFunctionFailedEventDetails ??
    event.lambdaFunctionTimedOutEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
  const state = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name ?? (failure && !event.type?.startsWith('Execution') ? current : undefined);
  return {
    at: event.timestamp?.toISOString() ?? '',
    type: event.type ?? '',
    ...(state ? { state } : {}),
    ...(failure?.error ? { error: failure.error } : {}),
    ...(failure?.cause ? { cause: causeMessage(failure.cause) } : {}),
  };
}

interface ExecutionRow {
  name: string;
  status: string;
  startedAt: string;
  stoppedAt: string | null;
  error: string | null;
  cause: string | null;
}

/** ListExecutions says only that an execution failed; DescribeExecution says with what. */
async function awsExecutions(aws: AwsStateMachine): Promise<ExecutionRow[]> {
  const listed = (await aws.client.send(new ListExecutionsCommand({ stateMachineArn: aws.stateMachineArn, maxResults: 50 })).catch(aws.explain)).executions ?? [];
  const rows: ExecutionRow[] = [];
  for (const e of listed) {
    const described = FAILED.includes(e.status ?? '') && e.executionArn ? await aws.client.send(new DescribeExecutionCommand({ executionArn: e.executionArn })).catch(aws.explain) : undefined;
    rows.push({
      name: e.name ?? '',
      status: e.status ?? '',
      startedAt: e.startDate?.toISOString() ?? '',
      stoppedAt: e.stopDate?.toISOString() ?? null,
      error: described?.error ?? null,
      cause: described?.cause === undefined ? null : causeMessage(described.cause),
    });
  }
  return rows;
}

/** Executions of the last local run, or with --aws of the deployed state machine. */
export async function executions(options: AwsAccountOptions & { aws: boolean; json: boolean }, client?: SFNClient): Promise<number> {
  const aws = options.aws ? await awsStateMachine(options, client) : undefined;
  const rows = aws ? await awsExecutions(aws) : loadRun().map(({ name, status, startedAt, stoppedAt, error, cause }) => ({ name, status, startedAt, stoppedAt, error, cause: cause === null ? null : causeMessage(cause) }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write(aws ? 'No executions.\n' : 'No local executions yet: run `npm run demo` or `rollout simulate EVENT_FILE`.\n');
    return 0;
  }
  const table = fitTable(
    [{ head: 'name', wrap: 'keep' }, { head: 'status', wrap: 'words' }, { head: 'started' }, { head: 'stopped' }, { head: 'error', wrap: 'words' }],
    rows.map((row) => [row.name, row.status, row.startedAt, row.stoppedAt ?? '-', row.error ?? '-']),
    outputWidth(),
  );
  process.stdout.write(`${table}\n`);
  return 0;
}

/** One execution's per-state history. */
export async function show(name: string, options: AwsAccountOptions & { aws: boolean; json: boolean }, client?: SFNClient): Promise<number> {
  let history: ShownEvent[];
  let failure = NO_ERROR;
  if (options.aws) {
    const aws = await awsStateMachine(options, client);
    const executionArn = `${aws.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const out = await aws.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 })).catch(aws.explain);
    let current: string | undefined;
    history = (out.events ?? []).map((event) => {
      const shown = fromAwsEvent(event, current);
      if (event.stateEnteredEventDetails?.name) current = event.stateEnteredEventDetails.name;
      return shown;
    });
    const ended = history.find((event) => /^Execution(Failed|TimedOut|Aborted)$/.test(event.type));
    failure = { error: ended?.error ?? null, cause: ended?.cause ?? null };
  } else {
    const record = loadRun().find((candidate) => candidate.name === name);
    if (!record) throw new UsageError(`no execution named ${name} in the last local run (see \`rollout executions\`)`);
    history = record.history;
    failure = { error: record.error, cause: record.cause === null ? null : causeMessage(record.cause) };
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ name, ...failure, history }, null, 2)}\n`);
    return 0;
  }
  for (const event of history) {
    // The execution's own failure line carries the cause: what failed and what was restored.
    const error = event.type === 'ExecutionFailed' && failure.error ? failureText(failure.error, failure.cause, history) : event.error;
    process.stdout.write(`${event.at}  ${event.type}${event.state ? `  ${event.state}` : ''}${error ? `  ${error}` : ''}\n`);
  }
  return 0;
}
