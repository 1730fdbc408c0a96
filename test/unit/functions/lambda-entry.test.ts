import { handler as startCutover } from '../../../functions/start-cutover';
import { handler as startRollout } from '../../../functions/start-rollout';

describe('Lambda entry points (middy-wrapped handler exports)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('fails the first invocation naming the missing environment variable, before any AWS call', async () => {
    delete process.env.CLUSTER_NAME;
    await expect(startCutover({ release: {} }, {} as never)).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining('CLUSTER_NAME'),
    });
  });

  it('names a malformed SERVICE_CATALOG variable', async () => {
    Object.assign(process.env, {
      CLUSTER_NAME: 'c',
      LISTENER_ARN: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/1/2',
      VPC_ID: 'vpc-1',
      EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
      SERVICE_CATALOG: '{not json',
    });
    await expect(startRollout({}, {} as never)).rejects.toMatchObject({ name: 'ConfigurationError', message: expect.stringContaining('SERVICE_CATALOG') });
  });

  it.each([
    ['startRollout', 'STATE_MACHINE_ARN', startRollout],
    ['startCutover', 'CUTOVER_STATE_MACHINE_ARN', startCutover],
  ] as const)('fails %s at cold start when %s is missing, not at its first StartExecution', async (_name, variable, handler) => {
    Object.assign(process.env, {
      CLUSTER_NAME: 'c',
      LISTENER_ARN: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/1/2',
      VPC_ID: 'vpc-1',
      EXECUTION_ROLE_ARN: 'arn:aws:iam::123456789012:role/r',
      SERVICE_CATALOG: '[]',
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:rollout',
      CUTOVER_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:cutover',
    });
    delete process.env[variable];
    await expect(handler({}, {} as never)).rejects.toMatchObject({ name: 'ConfigurationError', message: `missing or invalid environment variable ${variable}: expected a state machine ARN` });
  });
});
