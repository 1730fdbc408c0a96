/**
 * The packaged Lambda zips, shared by test/package/bundles.test.ts (do they load?) and bench/run.ts (how big,
 * how fast?): which zips the packaged template expects, how to unpack one, the Node binaries to run them
 * under, and one cold load of a bundle in a fresh process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** provider.runtime in serverless.yml is nodejs22.x. */
export const LAMBDA_NODE_MAJOR = 22;

export interface PackagedFunction {
  /** serverless.yml function name, which is also the zip's name: startRollout -> startRollout.zip. */
  readonly name: string;
  readonly zip: string;
  /** The bundle inside the zip: functions/start-rollout.js for handler functions/start-rollout.handler. */
  readonly entry: string;
  /** The function's environment as packaged; values CloudFormation resolves at deploy time (Ref, GetAtt) are left out. */
  readonly environment: Readonly<Record<string, string>>;
}

interface LambdaResource {
  Type: string;
  Properties?: { Handler?: string; Code?: { S3Key?: unknown }; Environment?: { Variables?: Record<string, unknown> } };
}

/** Every AWS::Lambda::Function of a packaged template (cloudformation-template-update-stack.json), by name. */
export function packagedFunctions(templatePath: string): PackagedFunction[] {
  if (!existsSync(templatePath)) throw new Error(`packaged template ${templatePath} is missing: run \`npm run package:offline\` first`);
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Resources: Record<string, LambdaResource> };
  return Object.entries(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const key = resource.Properties?.Code?.S3Key;
      const handler = resource.Properties?.Handler;
      if (typeof key !== 'string' || typeof handler !== 'string') throw new Error(`packaged function ${logicalId}: no S3Key or Handler in ${templatePath}`);
      const zip = key.slice(key.lastIndexOf('/') + 1);
      const variables = Object.entries(resource.Properties?.Environment?.Variables ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
      return { name: zip.replace(/\.zip$/, ''), zip, entry: `${handler.slice(0, handler.lastIndexOf('.'))}.js`, environment: Object.fromEntries(variables) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Unpacks a zip the way Lambda does, into `target` (python3's zipfile: the project already needs python3 for cfn-lint). */
export function extractZip(zipPath: string, target: string): void {
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zipPath, target]);
}

export interface NodeBinary {
  readonly path: string;
  readonly version: string;
}

/** The Node 22 binary of the `node` devDependency (npm package node@22), Lambda's runtime major version. */
export function lambdaNodeBinary(): NodeBinary {
  const path = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith(`v${LAMBDA_NODE_MAJOR}.`)) throw new Error(`${path} is Node ${version}, not Node ${LAMBDA_NODE_MAJOR} (reinstall the node@${LAMBDA_NODE_MAJOR} devDependency)`);
  return { path, version };
}

/**
 * The binaries a bundle must run under: the Node running this process and Lambda's Node 22, once each.
 * (Under `npm run`/`npx` they are the same: node@22 puts its `node` first on the PATH of npm scripts.)
 */
export function nodeBinaries(): NodeBinary[] {
  const lambda = lambdaNodeBinary();
  if (realpathSync(process.execPath) === realpathSync(lambda.path)) return [lambda];
  return [{ path: process.execPath, version: process.version }, lambda];
}

/**
 * Run in a fresh process: records hrtime (and CPU usage) just before `require(entry)` and just after it returns,
 * so Node's own start-up is not counted. The require includes building the handler (lambdaHandler: middy, the Powertools
 * logger); it does not include the SDK clients, which are built at the first invocation. Then it invokes the
 * handler once with `{}` and records how long that first invocation takes and how it ends.
 */
const LOAD_SCRIPT = `
const entry = process.argv[1];
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const { handler } = require(entry);
const loaded = process.hrtime.bigint();
const cpu = process.cpuUsage(cpuBefore);
const ms = (from, to) => Number(to - from) / 1e6;
if (typeof handler !== 'function') throw new Error(entry + ' exports no handler function');
Promise.resolve()
  .then(() => handler({}, { functionName: 'bundle-check', awsRequestId: 'bundle-check-1' }))
  .then(() => 'RESOLVED', (error) => error.name + ': ' + error.message)
  .then((outcome) => process.stdout.write(JSON.stringify({
    loadMs: ms(started, loaded),
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    firstInvocationMs: ms(loaded, process.hrtime.bigint()),
    outcome,
  })));
`;

export interface ColdLoad {
  /** Wall-clock time of the require. */
  readonly loadMs: number;
  /** CPU time (user + system, all threads) the process spent during the require: steadier than wall time on a busy machine. */
  readonly loadCpuMs: number;
  readonly firstInvocationMs: number;
  /** 'RESOLVED', or the error's "name: message". */
  readonly outcome: string;
}

/** One cold load and first invocation of an unpacked bundle in a fresh `binary` process, with exactly `env`. */
export function coldLoad(binary: string, dir: string, entry: string, env: Readonly<Record<string, string>>): ColdLoad {
  const result = spawnSync(binary, ['-e', LOAD_SCRIPT, join(dir, entry)], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${binary} ${entry} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ColdLoad;
}

/**
 * An environment in which a first invocation cannot reach AWS: dummy credentials, no shared config files, no
 * instance metadata, every endpoint on a closed local port and a single attempt.
 */
export const OFFLINE_AWS_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'dummy',
  AWS_SECRET_ACCESS_KEY: 'dummy',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  AWS_MAX_ATTEMPTS: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}
