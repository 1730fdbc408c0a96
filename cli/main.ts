import { Command, CommanderError, Option } from 'commander';
import { ManifestError } from '../lib/errors';
import { ScenarioError } from '../local/runner/scenario';
import { abort } from './commands/abort';
import { demo } from './commands/demo';
import { event } from './commands/event';
import { executions, show } from './commands/executions';
import { plan } from './commands/plan';
import { simulate } from './commands/simulate';
import { status } from './commands/status';
import { accountOptions, addAwsOptions, type AwsFlags } from './aws-options';
import { view } from './commands/view';
import { packageVersion } from './project-root';
import { servicesDirOption } from './services-dir';
import { alarmOption, faultyOption, slowOption, type TrafficFlags } from './traffic-options';
import { RefusedError, UsageError } from './usage-error';

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
    .version(packageVersion(), '-V, --version', 'print the version (package.json)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('demo')
    .description("the tutorial's migration on the local emulator: push posts, users and threads, then cut the monolith over")
    .option('--json', 'print the simulate --json report instead of tables')
    .addOption(cutoverOption())
    .addOption(servicesOption())
    .option('--view', 'also write the demo as an HTML page (.rollout/view-<name>.html; path printed)')
    .addOption(faultyOption())
    .addOption(slowOption())
    .addOption(alarmOption())
    .action((options: { json?: boolean; cutover: CutoverMode; services?: string; view?: boolean } & TrafficFlags) =>
      run(Promise.resolve().then(() => demo({
        json: Boolean(options.json), cutoverMode: options.cutover, servicesDir: servicesDirOption(options.services), view: Boolean(options.view),
        trafficFlags: { faulty: options.faulty, slow: options.slow, alarm: options.alarm },
      }))),
    );

  program
    .command('simulate')
    .description('feed ECR push events (files in the shape ECR emits) through the rule and the workflow, locally')
    .argument('<EVENT_FILE...>', 'EventBridge event files')
    .option('--json', 'print the machine-readable report (contract in the README)')
    .option('--seed <tutorial|FILE>', 'starting point: the tutorial, or a JSON file {"live": ["posts", …], "monolithStickiness": true, "authenticate": true}', 'tutorial')
    .option('--fail <OPERATION[:N]>', 'OPERATION fails permanently (AccessDenied); :N throttles it N times; :timeout times its Lambda out after the call (repeatable)', collect, [])
    .option('--unhealthy <SERVICE>', "that service's pushed images never pass health checks (repeatable)", collect, [])
    .addOption(faultyOption())
    .addOption(slowOption())
    .addOption(alarmOption())
    .option('--concurrent', 'deliver all events at once instead of one after the other')
    .option('--abort-at <STATE>', 'the first execution to enter STATE (a Wait state) is aborted there, the way rollout abort --aws does it')
    .addOption(cutoverOption())
    .addOption(servicesOption())
    .action((files: string[], options: { json?: boolean; seed: string; fail: string[]; unhealthy: string[]; concurrent?: boolean; abortAt?: string; cutover: CutoverMode; services?: string } & TrafficFlags) =>
      run(
        Promise.resolve().then(() => simulate(files, {
          servicesDir: servicesDirOption(options.services),
          json: Boolean(options.json),
          seed: options.seed,
          fail: options.fail,
          unhealthy: options.unhealthy,
          trafficFlags: { faulty: options.faulty, slow: options.slow, alarm: options.alarm },
          concurrent: Boolean(options.concurrent),
          abortAt: options.abortAt,
          cutoverMode: options.cutover,
        })),
      ),
    );

  program
    .command('event')
    .description('write the ECR push event of a service of the catalog (the shape ECR emits), for simulate and plan')
    .argument('<SERVICE>', 'a service: services/<SERVICE>/service.yml (or DIR/<SERVICE>/ with --services)')
    .option('--tag <TAG>', 'the pushed tag', 'v1')
    .option('--digest <DIGEST>', 'the image digest, sha256: + 64 hex (default: derived from the repository and the tag)')
    .option('--out <FILE>', 'write the event to FILE instead of standard output')
    .addOption(servicesOption())
    .action((service: string, options: { tag: string; digest?: string; out?: string; services?: string }) =>
      run(Promise.resolve().then(() => event(service, { tag: options.tag, digest: options.digest, out: options.out, servicesDir: servicesDirOption(options.services) }))),
    );

  addAwsOptions(
    program
      .command('plan')
      .description("what the workflow would change for this push, decided by the workflow's own steps, changing nothing")
      .argument('<EVENT_FILE>', 'an EventBridge event file')
      .option('--seed <tutorial|FILE>', 'starting point (local)', 'tutorial')
      .option('--json', 'machine-readable output')
      .addOption(servicesOption()),
    'plan against the live account (read-only) instead of the local seed',
    ['cluster', 'listener', 'stateMachine'],
  ).action((file: string, options: AwsFlags & { seed: string; json?: boolean; services?: string }) =>
    run(
      Promise.resolve().then(() =>
        plan(file, { ...accountOptions(options), aws: Boolean(options.aws), seed: options.seed, json: Boolean(options.json), servicesDir: servicesDirOption(options.services) }),
      ),
    ),
  );

  addAwsOptions(
    program
      .command('status')
      .description('read-only: routing as the listener has it, each service (task definition, tasks, deployment, target health) and its last execution')
      .option('--json', 'machine-readable output')
      .addOption(servicesOption()),
    'read the live account instead of the last local run',
    ['cluster', 'listener', 'stateMachine'],
  ).action((options: AwsFlags & { json?: boolean; services?: string }) =>
    run(Promise.resolve().then(() => status({ ...accountOptions(options), aws: Boolean(options.aws), json: Boolean(options.json), servicesDir: servicesDirOption(options.services) }))),
  );

  const awsOption = () => new Option('--aws', 'read the deployed state machine on AWS instead of the last local run');
  addAwsOptions(
    program
      .command('executions')
      .description('executions of the last local run (or, with --aws, of the deployed state machine)')
      .option('--json', 'machine-readable output'),
    'read the deployed state machine on AWS instead of the last local run',
    ['stateMachine'],
  ).action((options: AwsFlags & { json?: boolean }) => run(executions({ ...accountOptions(options), aws: Boolean(options.aws), json: Boolean(options.json) })));

  addAwsOptions(
    program
      .command('show')
      .description("one execution's per-state history")
      .argument('<NAME>', 'execution name')
      .option('--json', 'machine-readable output'),
    'read the deployed state machine on AWS instead of the last local run',
    ['stateMachine'],
  ).action((name: string, options: AwsFlags & { json?: boolean }) => run(show(name, { ...accountOptions(options), aws: Boolean(options.aws), json: Boolean(options.json) })));

  addAwsOptions(
    program
      .command('abort')
      .description('stop a running execution and put back the prior state it recorded, through its own compensation, under its lock; then free the lock')
      .argument('<NAME>', 'execution name (a rollout, or a cut-over: cutover-<24 hex>-<n>)')
      .option('--json', 'machine-readable output: what was restored and the lock')
      .addOption(servicesOption()),
    'abort an execution of the deployed state machines (locally, every run ends its executions before it returns)',
    ['cluster', 'listener', 'stateMachine'],
  ).action((name: string, options: AwsFlags & { json?: boolean; services?: string }) =>
    run(Promise.resolve().then(() => abort(name, { ...accountOptions(options), aws: Boolean(options.aws), json: Boolean(options.json), servicesDir: servicesDirOption(options.services) }))),
  );

  program
    .command('view')
    .description('one execution as a self-contained HTML page: the workflow with the path taken, timeline, routing, AWS calls')
    .argument('[NAME]', 'execution name (default: the last local run\'s last execution a push started)')
    .addOption(awsOption())
    .option('--state-machine-arn <ARN>', 'with --aws (default: $ROLLOUT_STATE_MACHINE_ARN)')
    .option('--out <FILE>', 'where to write the page (default: .rollout/view-<name>.html)')
    .action((name: string | undefined, options: { aws?: boolean; stateMachineArn?: string; out?: string }) =>
      run(view(name, { aws: Boolean(options.aws), stateMachineArn: options.stateMachineArn, out: options.out })),
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
      if (error instanceof RefusedError) {
        process.stderr.write(`rollout: ${error.name}: ${error.message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`rollout: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** `rollout demo | head -1`: the reader has gone, so there is nobody left to tell anything; stop quietly. */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** Entry point for bin/rollout.cjs. */
export function main(argv: readonly string[] = process.argv): void {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  try {
    buildProgram(finish).parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
    else throw error;
  }
}
