import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../local/runner/pipeline';
import { coldLoad, extractZip, median, nodeBinaries, OFFLINE_AWS_ENV, packagedFunctions, type ColdLoad, type NodeBinary } from '../scripts/lambda-bundles';

/** Issue 7's targets, per packaged function. */
const TARGET_ZIP_KB = 250;
const TARGET_LOAD_MS = 60;
/** Measured on the previous main (before issue 7), the same way; one range for all 16 functions. */
const BEFORE = { zipKb: '958', loadMs: '126–156' };
const RUNS = 10;
const DEPLOY_TIME_VALUES = {
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rollout-dev-rollout',
  CUTOVER_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rollout-dev-cutover',
};

interface BundleRow {
  name: string;
  zipKb: number;
  /** Per binary, in nodeBinaries() order. */
  loads: ColdLoad[][];
}

/** `sls package` into a fresh folder, or BENCH_PACKAGE_DIR when it holds a package already (e.g. .serverless). */
function packageDir(): string {
  const reuse = process.env.BENCH_PACKAGE_DIR;
  if (reuse) return reuse;
  const dir = mkdtempSync(join(tmpdir(), 'bench-package-'));
  const result = spawnSync('bash', [join(PROJECT_ROOT, 'scripts', 'package-offline.sh'), dir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/package-offline.sh exited ${result.status}: ${result.stderr}`);
  return dir;
}

function measure(dir: string, binaries: readonly NodeBinary[]): BundleRow[] {
  const extracted = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  return packagedFunctions(join(dir, 'cloudformation-template-update-stack.json')).map((fn) => {
    const zipPath = join(dir, fn.zip);
    if (!existsSync(zipPath)) throw new Error(`${fn.zip} is missing from ${dir}`);
    const target = join(extracted, fn.name);
    extractZip(zipPath, target);
    // The packaged environment, so the first invocation gets past the configuration check and builds its clients.
    // Values CloudFormation resolves at deploy time (Ref, GetAtt) are not in the packaged environment: stand-ins.
    const env = { ...DEPLOY_TIME_VALUES, ...fn.environment, ...OFFLINE_AWS_ENV };
    const loads = binaries.map((binary) => Array.from({ length: RUNS }, () => coldLoad(binary.path, target, fn.entry, env)));
    return { name: fn.name, zipKb: statSync(zipPath).size / 1000, loads };
  });
}

const fixed = (value: number) => value.toFixed(1);

/** The "Lambda bundles" section of BENCHMARKS.md. */
export function lambdaBundlesSection(): string[] {
  const header = [
    '## Lambda bundles (issue 7)',
    '',
    `Each function's zip from \`sls package\` (scripts/package-offline.sh into a temporary folder), unpacked. **load ms**: in a fresh \`node\` process,`,
    "`process.hrtime` just before and just after `require('./functions/<name>.js')`, so Node's own start-up is excluded; the require",
    'includes building the handler (middy, the Powertools logger); the SDK clients are built at the first invocation, which is timed apart:',
    '**first invocation ms** = `handler({})` with the packaged environment (configuration and catalog parsed, clients built, the input',
    `rejected before any AWS call; endpoints point at a closed local port, so nothing leaves the machine). **load CPU ms**: the CPU time`,
    `(user + system) the process spent during the require, steadier than wall time when the machine is busy. Medians of ${RUNS} processes.`,
    `KB = 1000 bytes. Targets: zip ≤ ${TARGET_ZIP_KB} KB, load ≤ ${TARGET_LOAD_MS} ms. **before** = measured on the previous main, before this work (all 16 functions in that range).`,
    '',
  ];
  let binaries: NodeBinary[];
  let rows: BundleRow[];
  try {
    binaries = nodeBinaries();
    rows = measure(packageDir(), binaries);
  } catch (error) {
    return [...header, `Not measured: ${error instanceof Error ? error.message : String(error)}`, ''];
  }
  const loadColumns = binaries.flatMap((binary) => [`load ms, Node ${binary.version}`, `load CPU ms, Node ${binary.version}`, `first invocation ms, Node ${binary.version}`]);
  const table = [
    `| function | zip KB | before: zip KB | ${loadColumns.join(' | ')} | before: load ms | first invocation ends with | meets targets |`,
    `|---|---|---|${loadColumns.map(() => '---|').join('')}---|---|---|`,
    ...rows.map((row) => {
      const medians = row.loads.map((runs) => ({
        load: median(runs.map((run) => run.loadMs)),
        cpu: median(runs.map((run) => run.loadCpuMs)),
        first: median(runs.map((run) => run.firstInvocationMs)),
      }));
      const outcome = row.loads[0]?.[0]?.outcome.replace(/:.*$/, '') ?? '?';
      const meets = row.zipKb <= TARGET_ZIP_KB && medians.every((m) => m.load <= TARGET_LOAD_MS);
      const timings = medians.flatMap((m) => [fixed(m.load), fixed(m.cpu), fixed(m.first)]);
      return `| ${row.name} | ${fixed(row.zipKb)} | ${BEFORE.zipKb} | ${timings.join(' | ')} | ${BEFORE.loadMs} | ${outcome} | ${meets ? 'yes' : 'no'} |`;
    }),
  ];
  return [...header, ...table, ''];
}
