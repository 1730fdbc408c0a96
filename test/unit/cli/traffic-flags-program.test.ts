/** What `rollout demo` and `rollout simulate` hand their commands for --faulty, --slow and --alarm (commander's side). */
import { demo } from '../../../cli/commands/demo';
import { simulate } from '../../../cli/commands/simulate';
import { buildProgram } from '../../../cli/main';

jest.mock('../../../cli/commands/demo', () => ({ demo: jest.fn(async () => 0) }));
jest.mock('../../../cli/commands/simulate', () => ({ simulate: jest.fn(async () => 0) }));

async function parse(args: string[]): Promise<void> {
  let ran: Promise<number> | undefined;
  buildProgram((exitCode) => {
    ran = exitCode;
  }).parse(['node', 'rollout', ...args]);
  await ran;
}

describe('--faulty, --slow and --alarm on the command line', () => {
  beforeEach(() => jest.clearAllMocks());

  it('simulate collects every value of each, in order', async () => {
    // Act
    await parse(['simulate', '--faulty', 'posts:1', '--alarm', 'posts-5xx', '--slow', 'users', '--faulty', 'threads', '--alarm', 'other', 'push.json']);

    // Assess
    expect(simulate).toHaveBeenCalledWith(['push.json'], expect.objectContaining({ trafficFlags: { faulty: ['posts:1', 'threads'], slow: ['users'], alarm: ['posts-5xx', 'other'] } }));
  });

  it('demo collects every value of each, in order', async () => {
    // Act
    await parse(['demo', '--json', '--slow', 'posts:300', '--faulty', 'users:0.2', '--alarm', 'users-p99']);

    // Assess
    expect(demo).toHaveBeenCalledWith(expect.objectContaining({ json: true, trafficFlags: { faulty: ['users:0.2'], slow: ['posts:300'], alarm: ['users-p99'] } }));
  });

  it('passes none when none is given', async () => {
    // Act
    await parse(['simulate', 'push.json']);
    await parse(['demo']);

    // Assess
    expect(simulate).toHaveBeenCalledWith(['push.json'], expect.objectContaining({ trafficFlags: { faulty: undefined, slow: undefined, alarm: undefined } }));
    expect(demo).toHaveBeenCalledWith(expect.objectContaining({ trafficFlags: { faulty: undefined, slow: undefined, alarm: undefined } }));
  });
});
