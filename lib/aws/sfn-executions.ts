import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsCall } from './aws-call';

export interface ExecutionSummary {
  readonly name: string;
  readonly status: string;
  readonly startedAt: string;
  readonly stoppedAt: string | null;
}

export interface ExecutionOutcome extends ExecutionSummary {
  readonly error: string | null;
  readonly cause: string | null;
}

/** Step Functions adapter for the CLI: a state machine's executions, read-only (ListExecutions, DescribeExecution). */
export function createExecutionsReader(client: SFNClient, stateMachineArn: string) {
  return {
    stateMachineArn,

    /** Newest first (ListExecutions' order), at most `limit`, following pages. */
    async list(limit: number): Promise<ExecutionSummary[]> {
      const found: ExecutionSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await awsCall(`list executions of ${stateMachineArn}`, () =>
          client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: Math.min(1000, limit - found.length), nextToken })),
        );
        for (const execution of page.executions ?? []) {
          found.push({
            name: execution.name ?? '',
            status: execution.status ?? '',
            startedAt: execution.startDate?.toISOString() ?? '',
            stoppedAt: execution.stopDate?.toISOString() ?? null,
          });
        }
        nextToken = page.nextToken;
      } while (nextToken && found.length < limit);
      return found;
    },

    /** One execution's status and, once it failed, its error and cause. */
    async describe(name: string): Promise<ExecutionOutcome> {
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      const out = await awsCall(`describe execution ${name}`, () => client.send(new DescribeExecutionCommand({ executionArn })));
      return {
        name,
        status: out.status ?? '',
        startedAt: out.startDate?.toISOString() ?? '',
        stoppedAt: out.stopDate?.toISOString() ?? null,
        error: out.error ?? null,
        cause: out.cause ?? null,
      };
    },
  };
}

export type ExecutionsReader = ReturnType<typeof createExecutionsReader>;
