/**
 * A moto server (https://docs.getmoto.org/en/latest/docs/server_mode.html) on a free loopback port,
 * run from the project venv that `npm run setup:python` builds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
const VENV_PYTHON = join(REPO_ROOT, '.venv', 'bin', 'python');
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 15_000;
const READY_POLL_MS = 50;
const STOP_GRACE_MS = 3_000;

export interface MotoServer {
  readonly endpoint: string;
  /** Drops every resource in every moto backend (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export class MotoServerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MotoServerError';
  }
}

export async function startMotoServer(): Promise<MotoServer> {
  if (!existsSync(VENV_PYTHON)) {
    // Deliberately not a skip: a conformance suite that silently does not run proves nothing.
    throw new MotoServerError(`start moto server: ${VENV_PYTHON} is missing; run \`npm run setup:python\` first`);
  }
  const port = await findFreePort();
  const endpoint = `http://${HOST}:${port}`;
  const child = spawn(VENV_PYTHON, ['-m', 'moto.server', '-H', HOST, '-p', String(port)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  const output: string[] = [];
  const keepOutput = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keepOutput);
  child.stderr?.on('data', keepOutput);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  try {
    await waitUntilAnswering(endpoint, exited);
  } catch (error) {
    await stopProcess(child, exited);
    throw new MotoServerError(`start moto server on ${endpoint}: ${(error as Error).message}\n${output.join('')}`, { cause: error });
  }

  return {
    endpoint,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new MotoServerError(`reset moto server: HTTP ${response.status}`);
    },
    stop: () => stopProcess(child, exited),
  };
}

async function findFreePort(): Promise<number> {
  // Bind port 0 and release it: the kernel picks a free port, and moto binds it right after.
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new MotoServerError('find free port: no address from a server bound to port 0'));
      });
    });
  });
}

async function waitUntilAnswering(endpoint: string, exited: Promise<number | null>): Promise<void> {
  let processExit: number | null | undefined;
  void exited.then((code) => (processExit = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (processExit !== undefined) throw new Error(`the process exited with code ${String(processExit)} before answering`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`no answer from ${endpoint}/moto-api/ within ${READY_TIMEOUT_MS} ms`);
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_GRACE_MS).unref())]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}
