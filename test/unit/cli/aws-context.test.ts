import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountFailure } from '../../../cli/aws/account-errors';
import { givenArns, resolveRegion, stateMachineArnOf } from '../../../cli/aws-context';
import { AwsRequestError, ShadowedPathError, TransientAwsError } from '../../../lib/errors';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rollout-dev-rollout';
const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/demo/0123456789abcdef/0123456789abcdef';
const home = mkdtempSync(join(tmpdir(), 'aws-context-home-'));
const SAVED = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'ROLLOUT_STATE_MACHINE_ARN'] as const;
const saved = Object.fromEntries(SAVED.map((name) => [name, process.env[name]]));

describe('cli/aws-context: the region, as the AWS CLI picks it, and the ARNs that name one', () => {
  beforeEach(() => {
    for (const name of SAVED) delete process.env[name];
    // No ~/.aws of the machine running the tests.
    process.env.AWS_CONFIG_FILE = join(home, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  });
  afterAll(() => {
    for (const name of SAVED) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it.each([
    { given: '--region alone', options: { region: 'eu-central-1' }, env: {}, region: 'eu-central-1' },
    { given: 'the ARN of --state-machine-arn over AWS_REGION', options: { stateMachineArn: STATE_MACHINE }, env: { AWS_REGION: 'eu-west-1' }, region: 'us-east-1' },
    { given: 'AWS_REGION', options: {}, env: { AWS_REGION: 'ap-southeast-2' }, region: 'ap-southeast-2' },
    { given: "AWS_DEFAULT_REGION (the AWS CLI's variable) last", options: {}, env: { AWS_DEFAULT_REGION: 'sa-east-1' }, region: 'sa-east-1' },
  ])('takes $given', async ({ options, env, region }) => {
    Object.assign(process.env, env);

    await expect(resolveRegion(options, givenArns(options))).resolves.toBe(region);
  });

  it.each([
    { what: 'no region anywhere', options: {}, message: 'no AWS region: pass --region REGION, set AWS_REGION, or set region in the profile (aws configure)' },
    { what: 'a --region the ARN contradicts', options: { region: 'eu-west-1', stateMachineArn: STATE_MACHINE }, message: '--region eu-west-1 does not match --state-machine-arn, which is in us-east-1' },
    { what: 'ARNs of two regions', options: { stateMachineArn: STATE_MACHINE, listenerArn: LISTENER }, message: '--state-machine-arn is in us-east-1 but --listener-arn is in eu-west-1' },
    { what: 'a malformed --region', options: { region: 'useast1' }, message: 'invalid --region "useast1": expected a region such as us-east-1' },
  ])('refuses $what with a UsageError naming what to set', async ({ options, message }) => {
    await expect((async () => resolveRegion(options, givenArns(options)))()).rejects.toMatchObject({ name: 'UsageError', message: expect.stringContaining(message) });
  });

  it('refuses an ARN of another service or resource kind, naming the flag and the shape expected', () => {
    expect(() => stateMachineArnOf(LISTENER)).toThrow(`invalid --state-machine-arn "${LISTENER}": expected arn:aws:states:<region>:<account>:stateMachine:<name>`);
    expect(() => stateMachineArnOf('arn:aws:states:us-east-1:123456789012:execution:x:y')).toThrow('invalid --state-machine-arn');
    expect(stateMachineArnOf(STATE_MACHINE)).toMatchObject({ region: 'us-east-1', account: '123456789012', resource: 'stateMachine:ecs-rollout-dev-rollout' });
  });
});

describe('cli/aws/account-errors: account failures are one line, workflow errors are not theirs', () => {
  const context = { region: 'us-east-1', endpoint: 'http://localhost:4566' };
  const sdkError = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, $fault: 'client' }, extra);

  it.each([
    {
      what: 'a refused read wrapped by an adapter',
      error: new AwsRequestError('describe rules of listener L: AccessDeniedException: not authorized', 'AccessDeniedException', { cause: sdkError('AccessDeniedException', 'not authorized') }),
      says: 'describe rules of listener L: AccessDeniedException: not authorized (region us-east-1)',
    },
    { what: 'an expired session', error: sdkError('ExpiredTokenException', 'The security token included in the request is expired'), says: 'ExpiredTokenException: The security token included in the request is expired (region us-east-1)' },
    { what: 'credentials the chain could not find', error: Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), says: 'no AWS credentials: set AWS_ACCESS_KEY_ID' },
    {
      what: 'an endpoint that does not answer',
      error: new TransientAwsError('describe stack S: Error: connect ECONNREFUSED', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }) }),
      says: 'cannot reach AWS at http://localhost:4566: ECONNREFUSED',
    },
  ])('$what', ({ error, says }) => {
    expect(accountFailure(error, context)).toMatchObject({ name: 'UsageError', message: expect.stringContaining(says) });
  });

  it("leaves the workflow's named errors alone: the plan reports them", () => {
    expect(accountFailure(new ShadowedPathError('resolve release: rule … takes /api/posts'), context)).toBeUndefined();
  });
});
