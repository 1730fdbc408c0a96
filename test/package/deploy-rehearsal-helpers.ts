/**
 * `sls deploy` rehearsed against moto's CloudFormation (test/package/deploy-rehearsal.test.ts): the deploy steps
 * osls 4.x takes with its default change-set method, and the pure checks the test applies to what moto created.
 */
import { CloudFormationClient, CreateChangeSetCommand, DeleteChangeSetCommand, DescribeChangeSetCommand, DescribeStackResourceCommand, DescribeStacksCommand, ExecuteChangeSetCommand, ListStackResourcesCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CfnTemplate } from './template-helpers';

// ---------------------------------------------------------------------------------------------------------------
// Transitions of an Amazon States Language definition
// ---------------------------------------------------------------------------------------------------------------

export interface AslState {
  Type?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
}
export interface AslMachine {
  StartAt?: string;
  States?: Record<string, AslState>;
}
/** A transition that leads nowhere: `at` is where it is written, `target` what it names (undefined: nothing). */
export interface DanglingTransition {
  at: string;
  target: string | undefined;
}

/** State types that must either name a Next state or End (ASL spec, "Transitions"). */
const MUST_TRANSITION = new Set(['Task', 'Pass', 'Wait', 'Parallel', 'Map']);

/**
 * Every transition of a definition (StartAt, Next, Default, Choices[].Next, Catch[].Next, in nested Parallel
 * branches and Map processors too, each against its own states) that names no state, and every Task, Pass, Wait,
 * Parallel or Map state with neither Next nor End. An empty list: every transition lands on a state.
 */
export function danglingTransitions(machine: AslMachine, path = ''): DanglingTransition[] {
  const states = machine.States ?? {};
  const names = new Set(Object.keys(states));
  const dangling: DanglingTransition[] = [];
  const check = (at: string, target: string | undefined) => {
    if (target === undefined || !names.has(target)) dangling.push({ at, target });
  };
  check(`${path}StartAt`, machine.StartAt);
  for (const [name, state] of Object.entries(states)) {
    const at = `${path}States[${JSON.stringify(name)}]`;
    if (state.Next !== undefined) check(`${at}.Next`, state.Next);
    else if (MUST_TRANSITION.has(state.Type ?? '') && state.End !== true) check(`${at}.Next`, undefined);
    if (state.Default !== undefined) check(`${at}.Default`, state.Default);
    (state.Choices ?? []).forEach((choice, index) => check(`${at}.Choices[${index}].Next`, choice.Next));
    (state.Catch ?? []).forEach((catcher, index) => check(`${at}.Catch[${index}].Next`, catcher.Next));
    (state.Branches ?? []).forEach((branch, index) => dangling.push(...danglingTransitions(branch, `${at}.Branches[${index}].`)));
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) dangling.push(...danglingTransitions(processor, `${at}.${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}.`));
  }
  return dangling;
}

// ---------------------------------------------------------------------------------------------------------------
// Work-around for moto: Fn::Sub variables whose names start with a digit
// ---------------------------------------------------------------------------------------------------------------

export interface RenamedSubVariable {
  /** Logical id of the resource holding the Fn::Sub. */
  resource: string;
  from: string;
  to: string;
}

/**
 * MOTO GAP "moto-fn-sub-digit-variables", worked around here. serverless-step-functions names the Fn::Sub
 * variables of a DefinitionString after an MD5 hash (`${3a65e328...}`); AWS accepts any name, but moto 5.2.5
 * substitutes variables with Python's string.Template, whose identifiers cannot start with a digit, then reads the
 * left-over `${3a65...}` as a Ref to a resource that does not exist (the deploy fails: CreateStack with HTTP 500,
 * ExecuteChangeSet with "Fn::GetAtt references undefined resource <some function>").
 *
 * Returns a copy of the template in which every such variable, in every list-form Fn::Sub, is renamed to
 * `v<name>` (its map key and every `${name}` in the string), and the list of renames. Nothing else changes.
 */
export function renameDigitLeadingSubVariables(template: CfnTemplate): { template: CfnTemplate; renamed: RenamedSubVariable[] } {
  const copy = structuredClone(template);
  const renamed: RenamedSubVariable[] = [];
  const visit = (node: unknown, resource: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item) => visit(item, resource));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const sub = record['Fn::Sub'];
    if (Array.isArray(sub) && typeof sub[0] === 'string' && sub[1] && typeof sub[1] === 'object') {
      let text = sub[0];
      const variables: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(sub[1] as Record<string, unknown>)) {
        if (!/^[0-9]/.test(name)) {
          variables[name] = value;
          continue;
        }
        let to = `v${name}`;
        while (to in (sub[1] as Record<string, unknown>) || to in variables) to = `v${to}`;
        text = text.split(`\${${name}}`).join(`\${${to}}`);
        variables[to] = value;
        renamed.push({ resource, from: name, to });
      }
      record['Fn::Sub'] = [text, variables];
    }
    Object.values(record).forEach((value) => visit(value, resource));
  };
  for (const [logicalId, resource] of Object.entries(copy.Resources)) visit(resource, logicalId);
  return { template: copy, renamed };
}

// ---------------------------------------------------------------------------------------------------------------
// The deploy
// ---------------------------------------------------------------------------------------------------------------

export interface RehearsalClients {
  cloudFormation: CloudFormationClient;
  s3: S3Client;
}

export interface RehearsalOptions {
  /** The folder `sls package` wrote (.serverless). */
  packageDir: string;
  /** What `sls deploy` calls the stack: `<service>-<stage>`. */
  stackName: string;
  /** The stage, for the STAGE stack tag osls sets. */
  stage: string;
  /** The update-stack template as uploaded (the packaged one, or a pre-processed copy of it). */
  updateTemplate: CfnTemplate;
}

export interface Rehearsal {
  bucket: string;
  /** `serverless/<service>/<stage>/<timestamp>-<date>`, the folder of the packaged functions' S3Key. */
  artifactDirectory: string;
  /** Keys uploaded to the deployment bucket. */
  uploaded: string[];
  templateUrl: string;
}

// osls: lib/plugins/aws/lib/naming.js (getCompiledTemplateS3Suffix, getStackChangeSetName, getDeploymentBucketLogicalId).
const COMPILED_TEMPLATE = 'compiled-cloudformation-template.json';
const DEPLOYMENT_BUCKET = 'ServerlessDeploymentBucket';
const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] as const;

/**
 * What `sls deploy --package <dir>` does with osls 4.3.1 and its default `deploymentMethod: changesets`, step by step:
 *  1. create the stack from cloudformation-template-create-stack.json (the deployment bucket) through a CREATE change
 *     set (deploy/lib/create-stack.js);
 *  2. find the bucket with DescribeStackResource (provider.getServerlessDeploymentBucketName);
 *  3. upload the compiled template, serverless-state.json and every function zip under the artifact directory
 *     (deploy/lib/upload-artifacts.js);
 *  4. delete the previous change set, create an UPDATE change set from the uploaded template's S3 URL (the
 *     `https://s3.amazonaws.com/<bucket>/<key>` form, lib/update-stack.js) and execute it.
 * Each change set and stack operation is awaited until it settles, and any other outcome than *_COMPLETE throws.
 */
export async function rehearseSlsDeploy(clients: RehearsalClients, options: RehearsalOptions): Promise<Rehearsal> {
  const { cloudFormation, s3 } = clients;
  const { packageDir, stackName, stage, updateTemplate } = options;
  const changeSetName = `${stackName}-change-set`;
  const createTemplate = readFileSync(join(packageDir, 'cloudformation-template-create-stack.json'), 'utf8');

  // 1. The stack, holding only the deployment bucket.
  await cloudFormation.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: changeSetName,
      ChangeSetType: 'CREATE',
      TemplateBody: createTemplate,
      Capabilities: [...CAPABILITIES],
      Parameters: [],
      Tags: [{ Key: 'STAGE', Value: stage }],
    }),
  );
  await executeChangeSet(cloudFormation, stackName, changeSetName, 'CREATE_COMPLETE');

  // 2. The bucket.
  const bucketResource = await cloudFormation.send(new DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: DEPLOYMENT_BUCKET }));
  const bucket = bucketResource.StackResourceDetail?.PhysicalResourceId;
  if (!bucket) throw new Error(`sls deploy rehearsal: the stack has no ${DEPLOYMENT_BUCKET}`);

  // 3. The artifacts.
  const artifactDirectory = artifactDirectoryOf(updateTemplate);
  const uploads: [key: string, body: Buffer | string, contentType: string][] = [[`${artifactDirectory}/${COMPILED_TEMPLATE}`, JSON.stringify(updateTemplate), 'application/json']];
  const stateFile = join(packageDir, 'serverless-state.json');
  if (existsSync(stateFile)) uploads.push([`${artifactDirectory}/serverless-state.json`, readFileSync(stateFile), 'application/json']);
  for (const key of functionCodeKeys(updateTemplate)) {
    const zip = join(packageDir, basename(key));
    if (!existsSync(zip)) throw new Error(`sls deploy rehearsal: the template deploys ${key}, but ${zip} is not in the package`);
    uploads.push([key, readFileSync(zip), 'application/zip']);
  }
  for (const [key, body, contentType] of uploads) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  }

  // 4. The update, from the uploaded template.
  const templateUrl = `https://s3.amazonaws.com/${bucket}/${artifactDirectory}/${COMPILED_TEMPLATE}`;
  await cloudFormation.send(new DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
  await cloudFormation.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: changeSetName,
      ChangeSetType: 'UPDATE',
      TemplateURL: templateUrl,
      Capabilities: [...CAPABILITIES],
      Parameters: [],
      Tags: [{ Key: 'STAGE', Value: stage }],
    }),
  );
  await executeChangeSet(cloudFormation, stackName, changeSetName, 'UPDATE_COMPLETE');

  return { bucket, artifactDirectory, uploaded: uploads.map(([key]) => key), templateUrl };
}

const SETTLE_TIMEOUT_MS = 30_000;
const SETTLE_POLL_MS = 100;

async function executeChangeSet(cloudFormation: CloudFormationClient, stackName: string, changeSetName: string, expected: string): Promise<void> {
  const changeSet = await settle(async () => {
    const described = await cloudFormation.send(new DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
    return { status: described.Status ?? 'UNKNOWN', reason: described.StatusReason };
  });
  if (changeSet.status !== 'CREATE_COMPLETE') throw new Error(`sls deploy rehearsal: change set ${changeSetName} ended ${changeSet.status}: ${changeSet.reason ?? ''}`);
  await cloudFormation.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetName }));
  const stack = await settle(async () => {
    const [described] = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
    return { status: described?.StackStatus ?? 'UNKNOWN', reason: described?.StackStatusReason };
  });
  if (stack.status !== expected) throw new Error(`sls deploy rehearsal: stack ${stackName} ended ${stack.status} (expected ${expected}): ${stack.reason ?? ''}`);
}

/** Polls until the status is no longer pending or in progress. */
async function settle(describe: () => Promise<{ status: string; reason: string | undefined }>): Promise<{ status: string; reason: string | undefined }> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const outcome = await describe();
    if (!/(PENDING|IN_PROGRESS)$/.test(outcome.status)) return outcome;
    if (Date.now() > deadline) throw new Error(`sls deploy rehearsal: still ${outcome.status} after ${SETTLE_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** The S3Key of every function's code. */
export function functionCodeKeys(template: CfnTemplate): string[] {
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === 'AWS::Lambda::Function')
    .map((resource) => {
      const key = (resource.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key;
      if (typeof key !== 'string') throw new Error(`a packaged function has no literal Code.S3Key: ${JSON.stringify(resource.Properties?.Code)}`);
      return key;
    });
}

/** The one folder every function zip is uploaded to (osls: package.artifactDirectoryName). */
export function artifactDirectoryOf(template: CfnTemplate): string {
  const folders = [...new Set(functionCodeKeys(template).map((key) => dirname(key)))];
  if (folders.length !== 1) throw new Error(`expected the function zips in one artifact directory, found ${JSON.stringify(folders)}`);
  return folders[0] as string;
}

/** Every resource of the stack (ListStackResources, all pages). */
export async function listStackResources(cloudFormation: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  const summaries: StackResourceSummary[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudFormation.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }));
    summaries.push(...(page.StackResourceSummaries ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return summaries;
}

/**
 * A template value with its intrinsic functions resolved against the deployed stack: `Ref` to a resource gives its
 * physical id, `Fn::GetAtt [X, Arn]` the ARN moto reports for X. Enough for the Lambda environment values.
 */
export function resolveValue(value: unknown, physicalIds: Record<string, string>, arns: Record<string, string>): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const expression = value as Record<string, unknown>;
    if (typeof expression.Ref === 'string') {
      const id = physicalIds[expression.Ref];
      if (id === undefined) throw new Error(`resolve ${JSON.stringify(value)}: no such resource in the stack`);
      return id;
    }
    const getAtt = expression['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
      const arn = arns[getAtt[0]];
      if (arn === undefined) throw new Error(`resolve ${JSON.stringify(value)}: no ARN known for ${getAtt[0]}`);
      return arn;
    }
    throw new Error(`resolve ${JSON.stringify(value)}: intrinsic function not handled by the rehearsal`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Work-around for moto: inline role policies created by CloudFormation read back as a Python repr
// ---------------------------------------------------------------------------------------------------------------

/**
 * MOTO GAP "moto-cfn-role-policy-repr", worked around here. GetRolePolicy answers the policy as URL-encoded JSON
 * (IAM API reference, GetRolePolicy: the document is URL-encoded per RFC 3986); for a role that moto 5.2.5's
 * CloudFormation created it answers the Python repr of the document instead
 * (`{'Version': '2012-10-17', 'Statement': [... False ...]}`), because it stores the parsed template dict.
 * Reads either form; `form` says which one it was, so the test can assert the gap.
 */
export function readPolicyDocument(text: string): { form: 'url-encoded JSON' | 'Python repr'; document: unknown } {
  if (text.startsWith('%7B') || text.startsWith('{"')) return { form: 'url-encoded JSON', document: JSON.parse(decodeURIComponent(text)) };
  return { form: 'Python repr', document: JSON.parse(pythonLiteralToJson(text)) };
}

/** A Python literal of dicts, lists, strings ('...' or "..."), numbers, True, False and None, as JSON text. */
export function pythonLiteralToJson(literal: string): string {
  let json = '';
  let index = 0;
  while (index < literal.length) {
    const char = literal.charAt(index);
    if (char === "'" || char === '"') {
      let value = '';
      index += 1;
      while (index < literal.length && literal.charAt(index) !== char) {
        if (literal.charAt(index) === '\\') {
          const escaped = literal.charAt(index + 1);
          value += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' } as Record<string, string>)[escaped] ?? `\\${escaped}`;
          index += 2;
        } else {
          value += literal.charAt(index);
          index += 1;
        }
      }
      if (index >= literal.length) throw new Error(`unterminated string in Python literal: ${literal.slice(0, 80)}`);
      json += JSON.stringify(value);
      index += 1;
      continue;
    }
    const word = /^(True|False|None)\b/.exec(literal.slice(index))?.[1];
    if (word) {
      json += { True: 'true', False: 'false', None: 'null' }[word];
      index += word.length;
      continue;
    }
    json += char;
    index += 1;
  }
  return json;
}
