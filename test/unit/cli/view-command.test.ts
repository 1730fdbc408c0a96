import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollout as run } from '../../scenario/cli-run';
import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { view } from '../../../cli/commands/view';
import { definitionSource } from '../../../local/runner/definitions';

const POSTS = join(__dirname, '..', '..', 'fixtures', 'events', 'push-posts-v1.json');
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:ecs-rollout-dev-rollout';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:ecs-rollout-dev-rollout:posts-1';

/** The CLI, run in `cwd` with its run store at `cwd`/.rollout. */
const rollout = (cwd: string, ...args: string[]) => run(args, { cwd, home: join(cwd, '.rollout') });

const statesDrawn = (html: string) => [...html.matchAll(/<g class="state [^"]*" data-state="([^"]+)"/g)].map((match) => match[1]);

describe('rollout view (local)', () => {
  it.concurrent('writes the last local run as .rollout/view-<name>.html, saying what `simulate` did not record', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-view-'));
    expect((await rollout(cwd, 'simulate', '--fail', 'CreateService', POSTS)).code).toBe(1);

    const run = await rollout(cwd, 'view');

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const [, path] = /^Wrote (\S+): (posts-\w+) FAILED\. Open it in a browser\.\n$/.exec(run.stdout) ?? [];
    expect(path).toMatch(/^\.rollout\/view-posts-\w+\.html$/);
    const html = readFileSync(join(cwd, path ?? ''), 'utf8');
    expect(statesDrawn(html)).toHaveLength(Object.keys(definitionSource('rollout').States).length);
    expect(html).toContain('ecs:CreateService (injected fault AccessDeniedException)');
    expect(html).toContain('Not recorded for this run');
  });

  it.concurrent('demo --view writes the page of the last rollout with its cut-over; view redraws it, view NAME --out draws another execution of the run', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-view-demo-'));

    const demo = await rollout(cwd, 'demo', '--view');

    expect(demo.code).toBe(0);
    const [, page] = /^Page of the demo's last rollout: (\S+)$/m.exec(demo.stdout) ?? [];
    expect(page).toMatch(/^\.rollout\/view-threads-\w+\.html$/);
    const html = readFileSync(join(cwd, page ?? ''), 'utf8');
    expect(statesDrawn(html)).toHaveLength(Object.keys(definitionSource('rollout').States).length + Object.keys(definitionSource('cutover').States).length);
    expect(html).toContain('Routing before and after');
    const posts = /^(posts-\w+): SUCCEEDED$/m.exec(demo.stdout)?.[1] ?? '';

    const [again, named] = await Promise.all([rollout(cwd, 'view'), rollout(cwd, 'view', posts, '--out', 'pages/posts.html')]);

    expect(again.stdout).toMatch(/^Wrote \.rollout\/view-threads-\w+\.html: threads-\w+ SUCCEEDED \(and cutover-\w+-1 SUCCEEDED\)\. Open it in a browser\.\n$/);

    expect(named).toMatchObject({ code: 0, stdout: `Wrote pages/posts.html: ${posts} SUCCEEDED. Open it in a browser.\n` });
    expect(readFileSync(join(cwd, 'pages', 'posts.html'), 'utf8')).toMatch(/<td>Deploy service<\/td><td>DescribeServices ×1, CreateService ×1<\/td>/);
  });

  it.concurrent('exits 2 naming the problem when there is no run, or no such execution', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rollout-view-none-'));

    expect(await rollout(cwd, 'view')).toMatchObject({ code: 2, stderr: 'rollout: no local run yet: run `rollout demo` or `rollout simulate EVENT_FILE` first\n' });
    expect(existsSync(join(cwd, '.rollout'))).toBe(false);
  });
});

describe('rollout view --aws', () => {
  const sfn = mockClient(SFNClient);
  const at = (seconds: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, seconds));
  beforeEach(() => sfn.reset());
  afterAll(() => sfn.restore());

  it('draws the deployed definition with the path from the history, the cause, and says what the history lacks', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION,
      stateMachineArn: STATE_MACHINE,
      status: 'FAILED',
      startDate: at(0),
      stopDate: at(9),
      error: 'AwsRequestError',
      cause: JSON.stringify({ errorType: 'AwsRequestError', errorMessage: 'create service posts: AccessDenied. Restored: removed rule /api/posts*' }),
    });
    sfn
      .on(GetExecutionHistoryCommand, { executionArn: EXECUTION, nextToken: undefined })
      .resolves({
        nextToken: 'page-2',
        events: [
          { id: 1, type: 'ExecutionStarted', timestamp: at(0) },
          { id: 2, type: 'TaskStateEntered', timestamp: at(0), stateEnteredEventDetails: { name: 'Resolve release' } },
          { id: 3, type: 'TaskStateExited', timestamp: at(1), stateExitedEventDetails: { name: 'Resolve release' } },
        ],
      })
      .on(GetExecutionHistoryCommand, { executionArn: EXECUTION, nextToken: 'page-2' })
      .resolves({
        events: [
          { id: 4, type: 'TaskStateEntered', timestamp: at(1), stateEnteredEventDetails: { name: 'Deploy service' } },
          { id: 5, type: 'LambdaFunctionFailed', timestamp: at(2), lambdaFunctionFailedEventDetails: { error: 'AwsRequestError' } },
          { id: 6, type: 'TaskStateExited', timestamp: at(2), stateExitedEventDetails: { name: 'Deploy service' } },
          { id: 7, type: 'TaskStateEntered', timestamp: at(2), stateEnteredEventDetails: { name: 'Compensate' } },
          { id: 8, type: 'TaskStateExited', timestamp: at(8), stateExitedEventDetails: { name: 'Compensate' } },
          { id: 9, type: 'FailStateEntered', timestamp: at(9), stateEnteredEventDetails: { name: 'Rollout failed' } },
          { id: 10, type: 'ExecutionFailed', timestamp: at(9), executionFailedEventDetails: { error: 'AwsRequestError' } },
        ],
      });
    sfn.on(DescribeStateMachineForExecutionCommand).resolves({ definition: JSON.stringify(definitionSource('rollout')) });
    const out = join(mkdtempSync(join(tmpdir(), 'rollout-view-aws-')), 'page.html');
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);

    const code = await view('posts-1', { aws: true, stateMachineArn: STATE_MACHINE, out }, new SFNClient({ region: 'us-east-1' })).finally(() => stdout.mockRestore());

    expect(code).toBe(0);
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
    expect(sfn).toHaveReceivedCommandWith(GetExecutionHistoryCommand, { executionArn: EXECUTION, nextToken: 'page-2' });
    expect(sfn).toHaveReceivedCommandWith(DescribeStateMachineForExecutionCommand, { executionArn: EXECUTION });
    const html = readFileSync(out, 'utf8');
    expect(statesDrawn(html)).toHaveLength(Object.keys(definitionSource('rollout').States).length);
    expect(html).toMatch(/class="state type-task visited failed" data-state="Deploy service"/);
    expect(html).toMatch(/class="edge edge-catch taken" data-from="Deploy service" data-to="Compensate"/);
    expect(html).toContain('create service posts: AccessDenied. Restored: removed rule /api/posts*');
    expect(html).toContain('the deployed definition (DescribeStateMachineForExecution)');
    expect(html).toContain('AWS calls they make (CloudTrail has those)');
    expect(html).toContain('Not available from the history');
  });

  it('names the execution that does not exist, and needs a NAME before any call', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    const client = new SFNClient({ region: 'us-east-1' });

    await expect(view('nope', { aws: true, stateMachineArn: STATE_MACHINE }, client)).rejects.toMatchObject({ name: 'UsageError', message: `no execution named nope in ${STATE_MACHINE} (see \`rollout executions --aws\`)` });
    await expect(view(undefined, { aws: true, stateMachineArn: STATE_MACHINE }, client)).rejects.toMatchObject({ name: 'UsageError' });
    expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 1);
  });
});
