import { Command, CommanderError, Option } from 'commander';
import { ManifestError } from '../lib/errors';
import { ScenarioError } from '../local/runner/scenario';
import { demo } from './commands/demo';
import { executions, show } from './commands/executions';
import { plan } from './commands/plan';
import { simulate } from './commands/simulate';
import { servicesDirOption } from './services-dir';
import { UsageError } from './usage-error';

const collect = (value: string, previous: string[]) => [...previous, value];

const servicesOption = () => new Option('--services <DIR>', 'the manifests to run with: DIR/<name>/service.yml (default: services/)');

type CutoverMode = 'fixed-response' | 'drop-target-group';
const cutoverOption = () =>
  new Option('--cutover <MODE>', "what dropped paths answer: a fixed 503, or forward to the tutorial's empty drop-traffic target group")
    .choices(['fixed-response', 'drop-target-group'])
    .default('fixed-response');

export function buildProgram(run: (exitCode: Promise<number>) => void): Command {
  const program = new Command('rollout')
    .description('ECR push → Step Functions → ECS + ALB rollouts, and the monolith cut-over; locally on an emulator, or on AWS')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('demo')
    .description("the tutorial's migration on the local emulator: push posts, users and threads, then cut the monolith over")
    .option('--json', 'print the simulate --json report instead of tables')
    .addOption(cutoverOption())
    .addOption(servicesOption())
    .action((options: { json?: boolean; cutover: CutoverMode; services?: string }) =>
      run(Promise.resolve().then(() => demo({ json: Boolean(options.json), cutoverMode: options.cutover, servicesDir: servicesDirOption(options.services) }))),
    );

  program
    .command('simulate')
    .description('feed ECR push events (files in the shape ECR emits) through the rule and the workflow, locally')
    .argument('<EVENT_FILE...>', 'EventBridge event files')
    .option('--json', 'print the machine-readable report (contract in the README)')
    .option('--seed <tutorial|FILE>', 'starting point: the tutorial, or a JSON file {"live": ["posts", …]}', 'tutorial')
    .option('--fail <OPERATION[:N]>', 'OPERATION fails permanently (AccessDenied); :N throttles it N times; :timeout times its Lambda out after the call (repeatable)', collect, [])
    .option('--unhealthy <SERVICE>', "that service's pushed images never pass health checks (repeatable)", collect, [])
    .option('--concurrent', 'deliver all events at once instead of one after the other')
    .addOption(cutoverOption())
    .addOption(servicesOption())
    .action((files: string[], options: { json?: boolean; seed: string; fail: string[]; unhealthy: string[]; concurrent?: boolean; cutover: CutoverMode; services?: string }) =>
      run(
        Promise.resolve().then(() => simulate(files, {
          servicesDir: servicesDirOption(options.services),
          json: Boolean(options.json),
          seed: options.seed,
          fail: options.fail,
          unhealthy: options.unhealthy,
          concurrent: Boolean(options.concurrent),
          cutoverMode: options.cutover,
        })),
      ),
    );

  program
    .command('plan')
    .description('what the workflow would change for this push, without changing anything')
    .argument('<EVENT_FILE>', 'an EventBridge event file')
    .option('--seed <tutorial|FILE>', 'starting point', 'tutorial')
    .option('--json', 'machine-readable output')
    .addOption(servicesOption())
    .action((file: string, options: { seed: string; json?: boolean; services?: string }) =>
      run(Promise.resolve().then(() => plan(file, { seed: options.seed, json: Boolean(options.json), servicesDir: servicesDirOption(options.services) }))),
    );

  const awsOption = () => new Option('--aws', 'read the deployed state machine on AWS instead of the last local run');
  program
    .command('executions')
    .description('executions of the last local run (or, with --aws, of the deployed state machine)')
    .addOption(awsOption())
    .option('--state-machine-arn <ARN>', 'with --aws (default: $ROLLOUT_STATE_MACHINE_ARN)')
    .option('--json', 'machine-readable output')
    .action((options: { aws?: boolean; stateMachineArn?: string; json?: boolean }) =>
      run(executions({ aws: Boolean(options.aws), stateMachineArn: options.stateMachineArn, json: Boolean(options.json) })),
    );

  program
    .command('show')
    .description("one execution's per-state history")
    .argument('<NAME>', 'execution name')
    .addOption(awsOption())
    .option('--state-machine-arn <ARN>', 'with --aws (default: $ROLLOUT_STATE_MACHINE_ARN)')
    .option('--json', 'machine-readable output')
    .action((name: string, options: { aws?: boolean; stateMachineArn?: string; json?: boolean }) =>
      run(show(name, { aws: Boolean(options.aws), stateMachineArn: options.stateMachineArn, json: Boolean(options.json) })),
    );
  return program;
}

function finish(exitCode: Promise<number>): void {
  exitCode.then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError || error instanceof ScenarioError || error instanceof ManifestError) {
        process.stderr.write(`rollout: ${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`rollout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** Entry point for bin/rollout.cjs. */
export function main(argv: readonly string[] = process.argv): void {
  try {
    buildProgram(finish).parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
    else throw error;
  }
}
