import { STACK_OUTPUTS } from '../../cli/aws/environment';
import { configFromEnv } from '../../lib/config/pipeline-config';
import { loadTemplate, resourcesOfType } from './template-helpers';

const template = loadTemplate();
const outputValue = (key: string) => (template.Outputs?.[key] as { Value?: unknown } | undefined)?.Value;

describe('packaged template: the outputs `rollout status --aws`, `plan --aws` and `abort --aws` read', () => {
  it('names both state machines (serverless-step-functions outputs) by the keys the CLI reads', () => {
    expect(outputValue(STACK_OUTPUTS.rollout)).toEqual({ Ref: 'RolloutStateMachine' });
    expect(outputValue(STACK_OUTPUTS.cutover)).toEqual({ Ref: 'CutoverStateMachine' });
  });

  it('names the lock table the state machines lock, by the key abort reads', () => {
    expect(outputValue(STACK_OUTPUTS.lockTable)).toEqual({ Ref: 'RolloutLockTable' });
    expect(resourcesOfType(template, 'AWS::DynamoDB::Table').map(([logicalId]) => logicalId)).toEqual(['RolloutLockTable']);
  });

  it("holds every function's environment, as JSON that the functions' own validation accepts", () => {
    const [, startRollout] = resourcesOfType(template, 'AWS::Lambda::Function')[0] ?? [];
    const functionEnvironment = (startRollout?.Properties?.Environment as { Variables: Record<string, string> }).Variables;

    const published = JSON.parse(String(outputValue(STACK_OUTPUTS.environment))) as Record<string, string>;

    for (const [name, value] of Object.entries(published)) expect({ name, value }).toEqual({ name, value: functionEnvironment[name] });
    expect(configFromEnv(published, [])).toMatchObject({ clusterName: functionEnvironment.CLUSTER_NAME, listenerArn: functionEnvironment.LISTENER_ARN, vpcId: functionEnvironment.VPC_ID });
  });
});
