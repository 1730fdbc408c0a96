import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateServices } from '../../local/runner/generate-services';
import { EVENT_PATTERN_MAX_CHARACTERS } from '../../lib/domain/event-pattern';
import { extractZip, lambdaNodeBinary, OFFLINE_AWS_ENV, packagedFunctions } from '../../scripts/lambda-bundles';
import { projectRoot, resourcesOfType, type CfnTemplate } from './template-helpers';

/**
 * 100 services package and would deploy: the catalog is compiled into the bundles (it used to travel in each
 * Lambda's environment, whose 4 KB limit held about 8 services while `sls package` still succeeded).
 */
const SERVICES = 100;
/** Lambda: "The total size of all environment variables doesn't exceed 4 KB" (Lambda quotas). */
const LAMBDA_ENVIRONMENT_BYTES = 4 * 1024;
/** A value CloudFormation fills in at deploy time (a state machine's ARN, say) counts as this many bytes. */
const DEPLOY_TIME_VALUE_BYTES = 256;

/**
 * A copy of the project to package in: `sls package` always deletes `<project>/.serverless` first (osls,
 * aws:common:cleanupTempDir), which the other package tests read while this one runs. node_modules is linked, not copied.
 */
function projectCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'rollout-project-'));
  const skip = new Set(['.serverless', '.git', '.venv', '.rollout', '.esbuild', 'node_modules', 'test', 'test-artifacts']);
  for (const entry of readdirSync(projectRoot)) if (!skip.has(entry)) cpSync(join(projectRoot, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(projectRoot, 'node_modules'), join(copy, 'node_modules'), 'dir');
  return copy;
}

const { dir: servicesDir, names } = generateServices(SERVICES);
const out = join(mkdtempSync(join(tmpdir(), 'rollout-package-100-')), 'out');
const copy = projectCopy();
const packaging = spawnSync('bash', [join(copy, 'scripts', 'package-offline.sh'), out], {
  cwd: copy,
  env: { ...process.env, ROLLOUT_SERVICES_DIR: servicesDir },
  encoding: 'utf8',
});
const templateFile = join(out, 'cloudformation-template-update-stack.json');

/** Runs the packaged resolveRelease on a push of `repository` (every AWS endpoint a closed local port). */
function resolveOnce(repository: string): string {
  const fn = packagedFunctions(templateFile).find((candidate) => candidate.name === 'resolveRelease');
  if (!fn) throw new Error('no resolveRelease in the packaged template');
  const dir = mkdtempSync(join(tmpdir(), 'rollout-resolve-100-'));
  extractZip(join(out, fn.zip), dir);
  const event = { source: 'aws.ecr', 'detail-type': 'ECR Image Action', account: '123456789012', region: 'us-east-1', time: '2026-11-26T09:00:00Z', detail: { result: 'SUCCESS', 'action-type': 'PUSH', 'repository-name': repository, 'image-digest': `sha256:${'a'.repeat(64)}`, 'image-tag': 'v1' } };
  const script = `require(process.argv[1]).handler(${JSON.stringify({ event, executionName: 'scale-check' })}, { functionName: 'resolveRelease', awsRequestId: 'r-1' })
    .then(() => console.log('RESOLVED'), (error) => console.log(error.name));`;
  const result = spawnSync(lambdaNodeBinary().path, ['-e', script, join(dir, fn.entry)], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...fn.environment, ...OFFLINE_AWS_ENV }, encoding: 'utf8', timeout: 60_000 });
  return result.stdout.trim().split('\n').pop() ?? `exit ${result.status}: ${result.stderr}`;
}

describe(`a catalog of ${SERVICES} services`, () => {
  it('packages', () => {
    expect(packaging.stderr).toBe('');
    expect(packaging.status).toBe(0);
  });

  const template = (): CfnTemplate => JSON.parse(readFileSync(templateFile, 'utf8')) as CfnTemplate;

  it("keeps every function's environment under Lambda's 4 KB", () => {
    const functions = resourcesOfType(template(), 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(10);
    for (const [id, resource] of functions) {
      const variables = (resource.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      const bytes = Object.entries(variables).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : DEPLOY_TIME_VALUE_BYTES), 0);
      expect({ id, fits: bytes < LAMBDA_ENVIRONMENT_BYTES, bytes }).toEqual({ id, fits: true, bytes });
    }
  });

  it(`gives the push rule a pattern naming every repository, within EventBridge's ${EVENT_PATTERN_MAX_CHARACTERS}-character quota`, () => {
    const [[, rule] = ['', undefined]] = resourcesOfType(template(), 'AWS::Events::Rule');
    const pattern = rule?.Properties?.EventPattern as { detail: { 'repository-name': string[] } };

    expect(pattern.detail['repository-name']).toEqual(expect.arrayContaining(['api', ...names]));
    expect(pattern.detail['repository-name']).toHaveLength(SERVICES + 1);
    expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARACTERS);
  });

  it('keeps every zip under 250 KB', () => {
    const largest = Math.max(...packagedFunctions(templateFile).map((fn) => statSync(join(out, fn.zip)).size));
    expect(largest).toBeLessThanOrEqual(250 * 1000);
  });

  it('carries the whole catalog in the bundle: the last service resolves (then ECR is unreachable), an unclaimed repository does not', () => {
    expect(resolveOnce(names[names.length - 1] ?? '')).toBe('TransientAwsError');
    expect(resolveOnce('svc-101')).toBe('UnknownRepositoryError');
  });
});
