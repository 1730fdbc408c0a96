import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadTemplate, projectRoot } from './template-helpers';

const cfnLint = join(projectRoot, '.venv', 'bin', 'cfn-lint');

/** Normally scripts/setup-python.sh (run by `npm test`) has installed it; a lone jest run installs it here. */
function ensureCfnLint(): void {
  if (existsSync(cfnLint)) return;
  const venv = join(projectRoot, '.venv');
  const steps: [string, string[]][] = [
    ...(existsSync(join(venv, 'bin', 'python')) ? [] : [['python3', ['-m', 'venv', venv]] as [string, string[]]]),
    [join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', join(projectRoot, 'requirements-cfn.txt')]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: projectRoot, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`installing cfn-lint failed: ${command} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  }
}

describe('cfn-lint', () => {
  it('passes on the packaged template', () => {
    loadTemplate(); // fails with "run npm run package:offline" when the template is missing
    ensureCfnLint();

    const result = spawnSync('bash', [join(projectRoot, 'scripts', 'cfn-lint.sh')], { cwd: projectRoot, encoding: 'utf8' });

    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({ status: 0, output: '' });
  }, 300_000);
});
