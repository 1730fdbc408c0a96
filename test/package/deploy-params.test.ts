import { spawnSync } from 'node:child_process';
import { projectRoot } from './template-helpers';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { placeholderParams, refusal } = require('../../config/refuse-placeholder-params.cjs') as {
  placeholderParams: (defaults: Record<string, string>, effective: Record<string, string>, needsNetworking: boolean) => string[];
  refusal: (names: string[]) => string;
};

const DEFAULTS = {
  clusterName: 'tutorial-cluster',
  listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/tutorial-alb/0123456789abcdef/0123456789abcdef',
  vpcId: 'vpc-0123456789abcdef0',
  executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  taskRoleArn: 'arn:aws:iam::123456789012:role/tutorial-task-role',
  ecsInfrastructureRoleArn: 'arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers',
  subnets: 'subnet-0123456789abcdef0',
  securityGroups: 'sg-0123456789abcdef0',
};
const REAL = {
  clusterName: 'BreakTheMonolith-Demo',
  listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/demo/1111111111111111/2222222222222222',
  vpcId: 'vpc-1111',
  executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
  taskRoleArn: 'arn:aws:iam::111122223333:role/task',
  ecsInfrastructureRoleArn: 'arn:aws:iam::111122223333:role/ecsInfrastructureRoleForLoadBalancers',
};

describe('placeholderParams', () => {
  it('lists every required parameter still at its placeholder (or empty), in a fixed order', () => {
    expect(placeholderParams(DEFAULTS, { ...DEFAULTS, vpcId: 'vpc-1111', taskRoleArn: '' }, false)).toEqual(['clusterName', 'listenerArn', 'executionRoleArn', 'taskRoleArn', 'ecsInfrastructureRoleArn']);
  });

  it('asks for subnets and security groups only when a service runs in awsvpc mode', () => {
    expect(placeholderParams(DEFAULTS, { ...DEFAULTS, ...REAL }, false)).toEqual([]);
    expect(placeholderParams(DEFAULTS, { ...DEFAULTS, ...REAL }, true)).toEqual(['subnets', 'securityGroups']);
  });

  it('names each --param to pass', () => {
    expect(refusal(['clusterName', 'vpcId'])).toBe('sls deploy refuses placeholder parameters (serverless.yml\'s defaults only let `sls package` run offline): pass --param="clusterName=…" --param="vpcId=…"');
  });
});

/** `sls deploy` with dummy credentials: it must stop at the check, before any AWS call (there is no network here anyway). */
function slsDeploy(params: Record<string, string>): { status: number | null; output: string } {
  const result = spawnSync('npx', ['--no-install', 'sls', 'deploy', ...Object.entries(params).map(([key, value]) => `--param=${key}=${value}`)], {
    cwd: projectRoot,
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'dummy', AWS_SECRET_ACCESS_KEY: 'dummy', AWS_REGION: 'us-east-1', AWS_PROFILE: '', SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('sls deploy with placeholder parameters', () => {
  it('refuses, naming the missing --params, before touching AWS', () => {
    const { status, output } = slsDeploy({ clusterName: REAL.clusterName });

    expect(status).not.toBe(0);
    expect(output).toContain('sls deploy refuses placeholder parameters');
    expect(output).toContain('pass --param="listenerArn=…" --param="vpcId=…" --param="executionRoleArn=…" --param="taskRoleArn=…" --param="ecsInfrastructureRoleArn=…"');
    expect(output).not.toContain('--param="clusterName=…"');
    expect(output).not.toMatch(/amazonaws\.com/);
  });
});
