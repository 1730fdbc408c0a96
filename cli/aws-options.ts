import { Option, type Command } from 'commander';
import { DEFAULT_STACK, type AwsAccountOptions } from './aws-context';

/** The flags as commander parses them. */
export interface AwsFlags extends AwsAccountOptions {
  readonly aws?: boolean;
}

type Resource = 'cluster' | 'listener' | 'stateMachine';

const RESOURCE_OPTIONS: Record<Resource, () => Option> = {
  cluster: () => new Option('--cluster <NAME>', 'with --aws: the ECS cluster (default: from the stack)'),
  listener: () => new Option('--listener-arn <ARN>', 'with --aws: the ALB listener (default: from the stack)'),
  stateMachine: () => new Option('--state-machine-arn <ARN>', 'with --aws: the rollout state machine (default: $ROLLOUT_STATE_MACHINE_ARN, else from the stack)'),
};

/**
 * `--aws` and the AWS CLI's account flags (--region, --profile, --endpoint-url), the stack whose outputs name the
 * environment, and the resource flags that replace those outputs. Without --region the region comes from an ARN
 * given, then AWS_REGION, the profile, AWS_DEFAULT_REGION; credentials from the SDK's default chain.
 */
export function addAwsOptions(command: Command, awsDescription: string, resources: readonly Resource[]): Command {
  command
    .addOption(new Option('--aws', awsDescription))
    .addOption(new Option('--region <REGION>', 'with --aws: the AWS region (default: the ARN given, AWS_REGION, the profile, AWS_DEFAULT_REGION)'))
    .addOption(new Option('--profile <NAME>', 'with --aws: a named profile of ~/.aws/config (default: AWS_PROFILE, else the default chain)'))
    .addOption(new Option('--endpoint-url <URL>', 'with --aws: send every call to this endpoint (moto, LocalStack)'))
    .addOption(new Option('--stack <NAME>', `with --aws: the stack sls deploy created, whose outputs name the environment (default: ${DEFAULT_STACK})`));
  for (const resource of resources) command.addOption(RESOURCE_OPTIONS[resource]());
  return command;
}

/** The account part of the parsed flags. */
export function accountOptions(flags: AwsFlags): AwsAccountOptions {
  const { region, profile, endpointUrl, stack, cluster, listenerArn, stateMachineArn } = flags;
  return { region, profile, endpointUrl, stack, cluster, listenerArn, stateMachineArn };
}
