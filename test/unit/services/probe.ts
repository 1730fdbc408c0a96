import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';

/**
 * Real HTTP against real server processes, shared by the route-table test and the script that records the
 * tutorial's answers (test/fixtures/tutorial-routes/record.ts), so both sides are asked the same way.
 */

/** What a client can see of an answer; headers a server sets on its own (date, keep-alive) are left out. */
export interface Answer {
  status: number;
  contentType: string | null;
  contentLength: string | null;
  /** Repeated Allow headers arrive joined: "HEAD, GET". */
  allow: string | null;
  body: string;
}

export class ServerStartError extends Error {
  override name = 'ServerStartError';
}

export interface RunningServer {
  port: number;
  stop: () => Promise<number | null>;
}

const header = (value: string | string[] | undefined): string | null => (value === undefined ? null : String(value));

/**
 * node:http rather than fetch: the path goes on the wire exactly as written (no dot-segment or case
 * normalisation), any method can be sent, and no connection is kept between requests.
 */
export function ask(port: number, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: header(response.headers['content-type']),
          contentLength: header(response.headers['content-length']),
          allow: header(response.headers.allow),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** SIGTERM, then the exit code (null when a signal ended it: the server did not exit on its own). */
const stopper = (child: ChildProcess) => () =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

/** Spawns `node <args>` and waits for it to print "listening on <port>" (started with port 0: no port race). */
export function startNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunningServer> {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    let started = false;
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new ServerStartError(`node ${args.join(' ')} printed no "listening on <port>" within 10 s: ${output}`)), 10_000);
    // Both streams keep being read after the start (a server that logs every request must never block on a full pipe).
    const collect = (chunk: Buffer) => {
      if (started) return;
      output += chunk.toString('utf8');
      const port = /listening on (\d+)/.exec(output)?.[1];
      if (!port) return;
      started = true;
      clearTimeout(timer);
      resolve({ port: Number(port), stop: stopper(child) });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('exit', (code) => {
      if (!started) fail(new ServerStartError(`node ${args.join(' ')} exited (${code}) before listening: ${output}`));
    });
  });
}
