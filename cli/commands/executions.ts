import { GetExecutionHistoryCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import Table from 'cli-table3';
import { UsageError } from '../usage-error';
import { loadRun } from '../run-store';

function stateMachineArn(explicit: string | undefined): string {
  const arn = explicit ?? process.env.ROLLOUT_STATE_MACHINE_ARN;
  if (!arn) throw new UsageError('--aws needs the state machine: pass --state-machine-arn ARN or set ROLLOUT_STATE_MACHINE_ARN (sls info shows it)');
  return arn;
}

/** Executions of the last local run, or with --aws of the deployed state machine. */
export async function executions(options: { aws: boolean; stateMachineArn?: string; json: boolean }, client = new SFNClient({})): Promise<number> {
  const rows = options.aws
    ? ((await client.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn(options.stateMachineArn), maxResults: 50 }))).executions ?? []).map((e) => ({
        name: e.name ?? '',
        status: e.status ?? '',
        startedAt: e.startDate?.toISOString() ?? '',
        stoppedAt: e.stopDate?.toISOString() ?? null,
      }))
    : loadRun().map(({ name, status, startedAt, stoppedAt }) => ({ name, status, startedAt, stoppedAt }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write(options.aws ? 'No executions.\n' : 'No local executions yet: run `npm run demo` or `rollout simulate EVENT_FILE`.\n');
    return 0;
  }
  const table = new Table({ head: ['name', 'status', 'started', 'stopped'], style: { head: [], border: [] } });
  for (const row of rows) table.push([row.name, row.status, row.startedAt, row.stoppedAt ?? '-']);
  process.stdout.write(`${table.toString()}\n`);
  return 0;
}

/** One execution's per-state history. */
export async function show(name: string, options: { aws: boolean; stateMachineArn?: string; json: boolean }, client = new SFNClient({})): Promise<number> {
  let history: { at: string; type: string; state?: string; error?: string }[];
  if (options.aws) {
    const executionArn = `${stateMachineArn(options.stateMachineArn).replace(':stateMachine:', ':execution:')}:${name}`;
    const out = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    history = (out.events ?? []).map((event) => ({
      at: event.timestamp?.toISOString() ?? '',
      type: event.type ?? '',
      ...(event.stateEnteredEventDetails?.name ? { state: event.stateEnteredEventDetails.name } : {}),
      ...(event.executionFailedEventDetails?.error ? { error: event.executionFailedEventDetails.error } : {}),
    }));
  } else {
    const record = loadRun().find((candidate) => candidate.name === name);
    if (!record) throw new UsageError(`no execution named ${name} in the last local run (see \`rollout executions\`)`);
    history = record.history;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ name, history }, null, 2)}\n`);
    return 0;
  }
  for (const event of history) process.stdout.write(`${event.at}  ${event.type}${event.state ? `  ${event.state}` : ''}${event.error ? `  ${event.error}` : ''}\n`);
  return 0;
}
