import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './template-helpers';

/**
 * The zips `sls package` built are what Lambda runs: each must load under plain Node (CommonJS, no
 * node_modules beside it) and reach its handler. With no environment the first invocation must stop at
 * the configuration check, naming the variable, before any AWS call (there is no network here anyway).
 */
const packageDir = join(projectRoot, '.serverless');
const zips = existsSync(packageDir) ? readdirSync(packageDir).filter((file) => file.endsWith('.zip')) : [];
const extracted = mkdtempSync(join(tmpdir(), 'rollout-bundles-'));

function unzip(zip: string): string {
  const target = join(extracted, zip.replace(/\.zip$/, ''));
  execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(packageDir, zip), target]);
  return target;
}

function runBundle(dir: string): string {
  const entry = readdirSync(join(dir, 'functions')).find((file) => file.endsWith('.js'));
  if (!entry) throw new Error(`no functions/*.js in ${dir}`);
  const script = `
    const { handler } = require(${JSON.stringify(join(dir, 'functions', entry))});
    Promise.resolve(handler({}, { functionName: 'test', awsRequestId: 'r-1' }))
      .then(() => console.log('RESOLVED'), (error) => console.log(error.name + ': ' + error.message));`;
  return execFileSync(process.execPath, ['-e', script], { cwd: dir, env: { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, encoding: 'utf8' });
}

describe('packaged Lambda bundles', () => {
  it('are all there: one per function', () => {
    expect(zips.length).toBe(16);
  });

  it.each(zips)('%s loads and its handler stops at the missing configuration', (zip) => {
    const output = runBundle(unzip(zip));
    expect(output.trim().split('\n').pop()).toMatch(/^ConfigurationError: missing or invalid environment variable [A-Z_]+/);
  });

  it.each(zips)('%s stays under 1.5 MB zipped (Lambda cold start grows with bundle size)', (zip) => {
    expect(statSync(join(packageDir, zip)).size).toBeLessThan(1.5 * 1024 * 1024);
  });
});
