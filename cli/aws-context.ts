import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { accountFailure, MISSING_CREDENTIALS_HINT } from './aws/account-errors';
import { readOnly } from './aws/read-only';
import { UsageError } from './usage-error';

/** The account flags every `--aws` command takes, as the AWS CLI spells them, and where the environment comes from. */
export interface AwsAccountOptions {
  readonly region?: string;
  readonly profile?: string;
  readonly endpointUrl?: string;
  /** The stack `sls deploy` created (default ecs-rollout-dev): its outputs name the cluster, listener and state machines. */
  readonly stack?: string;
  readonly cluster?: string;
  readonly listenerArn?: string;
  readonly stateMachineArn?: string;
}

export const DEFAULT_STACK = 'ecs-rollout-dev';
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** `arn:partition:service:region:account:resource`, with the service and resource kind the flag expects. */
export function parseArn(value: string, flag: string, service: string, resourcePrefix: string, example: string): ParsedArn {
  const [arn, partition = '', arnService = '', region = '', account = '', ...rest] = value.split(':');
  const resource = rest.join(':');
  if (arn !== 'arn' || !partition || arnService !== service || !REGION.test(region) || !/^\d{12}$/.test(account) || !resource.startsWith(resourcePrefix)) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}: expected ${example}`);
  }
  return { partition, service, region, account, resource };
}

export const stateMachineArnOf = (value: string, flag = '--state-machine-arn') =>
  parseArn(value, flag, 'states', 'stateMachine:', 'arn:aws:states:<region>:<account>:stateMachine:<name> (sls info lists it)');
export const listenerArnOf = (value: string, flag = '--listener-arn') =>
  parseArn(value, flag, 'elasticloadbalancing', 'listener/', 'arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<alb>/<id>/<id>');

/** The ARNs given on the command line (or ROLLOUT_STATE_MACHINE_ARN), validated before anything else: their region is used. */
export function givenArns(options: AwsAccountOptions, env: NodeJS.ProcessEnv = process.env): { flag: string; arn: ParsedArn }[] {
  const arns: { flag: string; arn: ParsedArn }[] = [];
  if (options.stateMachineArn) arns.push({ flag: '--state-machine-arn', arn: stateMachineArnOf(options.stateMachineArn) });
  else if (env.ROLLOUT_STATE_MACHINE_ARN) arns.push({ flag: 'ROLLOUT_STATE_MACHINE_ARN', arn: stateMachineArnOf(env.ROLLOUT_STATE_MACHINE_ARN, 'ROLLOUT_STATE_MACHINE_ARN') });
  if (options.listenerArn) arns.push({ flag: '--listener-arn', arn: listenerArnOf(options.listenerArn) });
  return arns;
}

/**
 * The region, the way the AWS CLI picks it, except that a region written in an ARN the user passed wins over the
 * environment and the profile (a call to any other region could only fail): --region, then the ARNs' region, then
 * the SDK's own chain (AWS_REGION, the profile's `region` in ~/.aws/config), then AWS_DEFAULT_REGION.
 */
export async function resolveRegion(options: AwsAccountOptions, arns: readonly { flag: string; arn: ParsedArn }[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (options.region !== undefined && !REGION.test(options.region)) throw new UsageError(`invalid --region ${JSON.stringify(options.region)}: expected a region such as us-east-1`);
  const [first, ...others] = arns;
  const conflict = others.find((other) => other.arn.region !== first?.arn.region);
  if (first && conflict) throw new UsageError(`${first.flag} is in ${first.arn.region} but ${conflict.flag} is in ${conflict.arn.region}: pass resources of one region`);
  if (options.region && first && first.arn.region !== options.region) {
    throw new UsageError(`--region ${options.region} does not match ${first.flag}, which is in ${first.arn.region}: drop --region or pass the ARN of that region`);
  }
  if (options.region) return options.region;
  if (first) return first.arn.region;
  try {
    const region = await new SFNClient({ profile: options.profile }).config.region();
    if (region) return region;
  } catch {
    // "Region is missing": fall through to the AWS CLI's own variable, then say what to set.
  }
  if (env.AWS_DEFAULT_REGION && REGION.test(env.AWS_DEFAULT_REGION)) return env.AWS_DEFAULT_REGION;
  throw new UsageError(`no AWS region: pass --region REGION, set AWS_REGION, or set region in the profile${options.profile ? ` ${options.profile}` : ''} (aws configure)`);
}

/** The SDK's own credential chain (environment, SSO, profiles, web identity, container and instance roles), asked once up front. */
async function resolveCredentials(profile: string | undefined): Promise<AwsCredentialIdentityProvider> {
  const provider = fromNodeProviderChain(profile ? { profile } : {});
  try {
    await provider();
  } catch (error) {
    if ((error as Error).name === 'CredentialsProviderError') {
      throw new UsageError(`no AWS credentials${profile ? ` for profile ${profile}` : ''}: ${MISSING_CREDENTIALS_HINT}`);
    }
    throw error;
  }
  return provider;
}

function endpointOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`invalid --endpoint-url ${JSON.stringify(value)}: expected a URL such as http://localhost:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`invalid --endpoint-url ${value}: expected http:// or https://`);
  return value;
}

/** One account and region: clients for it that only read (and send the command's own writes), created once each, and a translator for account failures. */
export interface AwsSession {
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecr: ECRClient;
  readonly sfn: SFNClient;
  readonly cloudwatch: CloudWatchClient;
  readonly cloudFormation: CloudFormationClient;
  /** The lock table's (`rollout abort`). */
  readonly dynamodb: DynamoDBClient;
  /** The one-line error for an account failure (credentials, permissions, endpoint, throttling), else undefined. */
  accountFailure(error: unknown): UsageError | undefined;
  /** Rethrows an account failure as its one-line error (exit 2); anything else as is. */
  explain(error: unknown): never;
}

/**
 * Region, credentials and endpoint checked before any call, so a missing one is one line naming what to set;
 * an ARN on the command line is checked first and lends its region.
 */
export async function openSession(options: AwsAccountOptions, access: { readonly writes?: readonly string[] } = {}): Promise<AwsSession> {
  const endpoint = endpointOf(options.endpointUrl);
  const region = await resolveRegion(options, givenArns(options));
  const credentials = await resolveCredentials(options.profile);
  const config = { region, credentials, ...(endpoint ? { endpoint } : {}) };
  const lazy = <T extends { middlewareStack: unknown }>(make: () => T) => {
    let client: T | undefined;
    return () => (client ??= readOnly(make(), access.writes));
  };
  const clients = {
    ecs: lazy(() => new ECSClient(config)),
    elbv2: lazy(() => new ElasticLoadBalancingV2Client(config)),
    ecr: lazy(() => new ECRClient(config)),
    sfn: lazy(() => new SFNClient(config)),
    cloudwatch: lazy(() => new CloudWatchClient(config)),
    cloudFormation: lazy(() => new CloudFormationClient(config)),
    dynamodb: lazy(() => new DynamoDBClient(config)),
  };
  return {
    region,
    ...(options.profile ? { profile: options.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    get ecs() {
      return clients.ecs();
    },
    get elbv2() {
      return clients.elbv2();
    },
    get ecr() {
      return clients.ecr();
    },
    get sfn() {
      return clients.sfn();
    },
    get cloudwatch() {
      return clients.cloudwatch();
    },
    get cloudFormation() {
      return clients.cloudFormation();
    },
    get dynamodb() {
      return clients.dynamodb();
    },
    accountFailure: (error) => accountFailure(error, { region, profile: options.profile, endpoint }),
    explain(error: unknown): never {
      throw accountFailure(error, { region, profile: options.profile, endpoint }) ?? error;
    },
  };
}
