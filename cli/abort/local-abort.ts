import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeHandler as makeCompensate } from '../../functions/compensate';
import { createLockTable } from '../../lib/aws/lock-table';
import { definitionSource, STATE_MACHINES } from '../../local/runner/definitions';
import type { ExecutionRecord } from '../../local/runner/local-step-functions';
import { ACCOUNT_ID, REGION, type LocalPipeline } from '../../local/runner/pipeline';
import { UsageError } from '../usage-error';
import { abortExecution, type AbortPorts, type AbortReport } from './abort-execution';

/** The states an execution waits in (the Wait states of both definitions): where an abort finds it. */
export function waitStates(): string[] {
  return STATE_MACHINES.flatMap((name) => Object.entries(definitionSource(name).States).filter(([, state]) => state.Type === 'Wait').map(([state]) => state));
}

/** `--abort-at STATE`, checked before anything runs. */
export function checkAbortAt(state: string): string {
  const waits = waitStates();
  if (!waits.includes(state)) throw new UsageError(`invalid --abort-at ${JSON.stringify(state)}: not a state an execution waits in (one of ${waits.map((wait) => JSON.stringify(wait)).join(', ')})`);
  return state;
}

/**
 * `rollout abort`'s ports on the local run: the runner answers for Step Functions (the execution's status, its stop,
 * its newest state as the history holds it), the emulator's DynamoDB for the lock table, and the run's own
 * compensation handler (functions/compensate.ts over the emulator's ECS and ELB).
 */
function localPorts(pipeline: LocalPipeline): AbortPorts {
  const compensate = makeCompensate(pipeline.deps);
  const { sfn } = pipeline;
  const dynamodb = pipeline.emulator.attach(new DynamoDBClient({ region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  return {
    executions: {
      describe: (name) => Promise.resolve(sfn.executions.has(name) ? { status: sfn.executions.get(name)?.status ?? 'UNKNOWN' } : undefined),
      stop: (name, error, cause) => Promise.resolve(void sfn.stop(name, error, cause)),
      // The state it is in, and its input: what the state before it handed on (or the execution's input).
      latestState: (name) => {
        const record = sfn.executions.get(name);
        const entered = record?.history.findLast((event) => event.type === 'StateEntered');
        return Promise.resolve({ state: entered?.state ?? null, data: record?.lastOutput ?? record?.input });
      },
    },
    locks: createLockTable(dynamodb, pipeline.lockTableName),
    // What compensation reports ends the stopped execution's last output, as the workflow's Compensate does ($.error):
    // its trafficSteps, ending at 0 when it put a shifted rule back, are the execution's.
    compensate: async (input) => {
      const outcome = await compensate(input);
      const record = pipeline.sfn.executions.get((input as { executionName: string }).executionName);
      if (record) record.lastOutput = { ...(record.lastOutput as object | undefined), error: outcome };
      return outcome;
    },
    where: `this run (account ${ACCOUNT_ID})`,
    now: () => Date.now(),
    sleep: () => Promise.resolve(),
  };
}

/**
 * `rollout simulate --abort-at STATE`: the first execution to enter STATE is aborted there, by `rollout abort`'s own
 * code, at that instant of virtual time. `result` settles with its report (undefined: none entered STATE).
 */
export function abortAt(pipeline: LocalPipeline, state: string, when: (record: ExecutionRecord) => boolean = () => true): { readonly result: () => Promise<AbortReport | undefined> } {
  let aborting: Promise<AbortReport> | undefined;
  pipeline.sfn.listeners.push((record, event) => {
    if (aborting || event.type !== 'StateEntered' || event.state !== state || !when(record)) return;
    aborting = abortExecution(record.name, localPorts(pipeline));
    // Settled by result(); a rejection must not go unhandled meanwhile.
    aborting.catch(() => undefined);
  });
  return { result: () => aborting ?? Promise.resolve(undefined) };
}
