import { DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { awsCall, awsErrorCode } from './aws-call';

/** Step Functions adapter for the starter: a deterministic name makes a duplicate delivery a no-op. */
export function createSfnAdapter(client: SFNClient, stateMachineArn: string) {
  return {
    async start(name: string, input: unknown): Promise<{ started: true; executionArn: string } | { started: false }> {
      try {
        const out = await awsCall(`start execution ${name}`, () => client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) })), [
          'ExecutionAlreadyExists',
        ]);
        return { started: true, executionArn: out.executionArn ?? '' };
      } catch (error) {
        if (awsErrorCode(error) === 'ExecutionAlreadyExists') return { started: false };
        throw error;
      }
    },

    /** Status and input of an execution of this state machine, by name; undefined when there is none. */
    async describe(name: string): Promise<{ status: string; input: unknown } | undefined> {
      const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
      let out;
      try {
        out = await awsCall(`describe execution ${name}`, () => client.send(new DescribeExecutionCommand({ executionArn })), ['ExecutionDoesNotExist']);
      } catch (error) {
        if (awsErrorCode(error) === 'ExecutionDoesNotExist') return undefined;
        throw error;
      }
      let input: unknown;
      try {
        input = JSON.parse(out.input ?? 'null');
      } catch {
        input = undefined;
      }
      return { status: out.status ?? 'UNKNOWN', input };
    },
  };
}

export type SfnAdapter = ReturnType<typeof createSfnAdapter>;
