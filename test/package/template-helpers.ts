import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Loose shapes of the packaged CloudFormation template, enough for the assertions in test/package. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
}
export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
/** A statement with where it was found (resource logical id). */
export interface LocatedStatement {
  owner: string;
  statement: IamStatement;
}

export const projectRoot = join(__dirname, '..', '..');
export const templatePath = join(projectRoot, '.serverless', 'cloudformation-template-update-stack.json');

export function loadTemplate(): CfnTemplate {
  if (!existsSync(templatePath)) {
    throw new Error(`packaged template ${templatePath} is missing: run \`npm run package:offline\` first`);
  }
  return JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

interface PolicyDocumentHolder {
  PolicyDocument?: { Statement?: IamStatement | IamStatement[] };
}

/** Every statement of every IAM role, policy, managed policy and resource policy (SQS, S3) in the template. */
export function allStatements(template: CfnTemplate): LocatedStatement[] {
  const located: LocatedStatement[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const properties = resource.Properties ?? {};
    const documents: PolicyDocumentHolder[] = [];
    if (resource.Type === 'AWS::IAM::Role') documents.push(...asList(properties.Policies as PolicyDocumentHolder[] | undefined));
    if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::SQS::QueuePolicy', 'AWS::S3::BucketPolicy'].includes(resource.Type)) {
      documents.push(properties);
    }
    for (const document of documents) {
      for (const statement of asList(document.PolicyDocument?.Statement)) located.push({ owner: logicalId, statement });
    }
  }
  return located;
}

/** The statements of one role's inline policies. */
export function roleStatements(template: CfnTemplate, roleLogicalId: string): IamStatement[] {
  const role = template.Resources[roleLogicalId];
  if (!role || role.Type !== 'AWS::IAM::Role') throw new Error(`no IAM role ${roleLogicalId} in the template`);
  return asList(role.Properties?.Policies as PolicyDocumentHolder[] | undefined).flatMap((policy) => asList(policy.PolicyDocument?.Statement));
}

/**
 * Renders an ARN expression (string, Ref, Fn::GetAtt, Fn::Sub, Fn::Join) to one string with CloudFormation
 * placeholders left as `${...}`, so tests can compare scopes textually: `arn:${AWS::Partition}:ecs:...`.
 */
export function renderArn(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const expression = value as Record<string, unknown>;
    if (typeof expression.Ref === 'string') return `\${${expression.Ref}}`;
    if (Array.isArray(expression['Fn::GetAtt'])) return `\${${(expression['Fn::GetAtt'] as string[]).join('.')}}`;
    const sub = expression['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string') {
      const variables = (sub[1] ?? {}) as Record<string, unknown>;
      return sub[0].replace(/\$\{([^}]+)\}/g, (placeholder, name: string) => (name in variables ? renderArn(variables[name]) : placeholder));
    }
    const join = expression['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map(renderArn).join(join[0]);
    }
  }
  throw new Error(`cannot render ARN expression ${JSON.stringify(value)}`);
}

export const actionsOf = (statement: IamStatement): string[] => asList(statement.Action);
export const resourcesOf = (statement: IamStatement): string[] => asList(statement.Resource).map(renderArn);

/** JSON files of a fixtures folder, by name. */
export function readFixtures(folder: string): [string, unknown][] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(join(folder, name), 'utf8')) as unknown]);
}
