import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(__dirname, '..', '..', 'bin', 'rollout.cjs');
export const EVENTS_DIR = join(__dirname, '..', 'fixtures', 'events');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The run store the command used ($ROLLOUT_HOME). */
  home: string;
  cwd: string;
}

export interface RunOptions {
  /** Default: a fresh temporary directory. */
  readonly cwd?: string;
  /** $ROLLOUT_HOME; default: a fresh temporary directory, so runs never share (or touch the project's) run store. */
  readonly home?: string | null;
  /** Written to the command's standard input, then closed. */
  readonly input?: string;
  readonly timeoutMs?: number;
  /** The whole environment (instead of this process's): e.g. one with no AWS set-up of the machine's. */
  readonly env?: NodeJS.ProcessEnv;
}

/** `node bin/rollout.cjs …`, piped (stdout is not a terminal), killed after 60 s. */
export function rollout(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'rollout-cli-'));
  const home = options.home === undefined ? mkdtempSync(join(tmpdir(), 'rollout-home-')) : options.home;
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), NO_COLOR: '1' };
  if (home === null) delete env.ROLLOUT_HOME;
  else env.ROLLOUT_HOME = home;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, timeout: options.timeoutMs ?? 60_000, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, home: home ?? '', cwd }));
    child.stdin.end(options.input ?? '');
  });
}
