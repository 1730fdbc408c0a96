/**
 * The AWS operations the pipeline makes, for fault injection (`--fail`) and reports. Mutating ones
 * change AWS; the rest only read.
 */
export const MUTATING_OPERATIONS = [
  'RegisterTaskDefinition',
  'CreateTargetGroup',
  'ModifyTargetGroup',
  'ModifyTargetGroupAttributes',
  'DeleteTargetGroup',
  'CreateRule',
  'ModifyRule',
  'DeleteRule',
  'ModifyListener',
  'CreateService',
  'UpdateService',
  'DeleteService',
  'StopServiceDeployment',
  'PutItem',
  'DeleteItem',
  'UpdateItem',
] as const;

export const READ_OPERATIONS = [
  'DescribeImages',
  'DescribeServices',
  'DescribeServiceDeployments',
  'DescribeTaskDefinition',
  'DescribeTargetGroups',
  'DescribeTargetGroupAttributes',
  'DescribeTargetHealth',
  'DescribeRules',
  'DescribeListeners',
  'GetItem',
] as const;

export const PIPELINE_OPERATIONS: readonly string[] = [...MUTATING_OPERATIONS, ...READ_OPERATIONS];

export function isMutating(operation: string): boolean {
  return (MUTATING_OPERATIONS as readonly string[]).includes(operation);
}
