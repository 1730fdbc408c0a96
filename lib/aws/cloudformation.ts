import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { awsCall, awsErrorCode } from './aws-call';

/**
 * CloudFormation adapter for the CLI: a deployed stack's outputs, read-only. Not used by any Lambda (the functions get
 * their environment from serverless.yml), so no function bundle carries this client.
 */
export function createCloudFormationAdapter(client: CloudFormationClient) {
  return {
    /** The stack's outputs by key; undefined when there is no such stack (CloudFormation answers ValidationError). */
    async stackOutputs(stackName: string): Promise<Record<string, string> | undefined> {
      try {
        const out = await awsCall(`describe stack ${stackName}`, () => client.send(new DescribeStacksCommand({ StackName: stackName })), ['ValidationError']);
        const stack = out.Stacks?.[0];
        if (!stack) return undefined;
        return Object.fromEntries((stack.Outputs ?? []).filter((output) => output.OutputKey).map((output) => [output.OutputKey as string, output.OutputValue ?? '']));
      } catch (error) {
        // "Stack with id X does not exist" is a ValidationError, the same code as a malformed request.
        if (awsErrorCode(error) === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
        throw error;
      }
    },
  };
}

export type CloudFormationAdapter = ReturnType<typeof createCloudFormationAdapter>;
