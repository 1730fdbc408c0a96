import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * No Docker engine here, so each Dockerfile's layout is replayed by hand: its COPY lines are applied to a
 * temp dir standing for WORKDIR, and its CMD is run there. Catches a file the image would lack.
 */
const SERVICES = join(__dirname, '..', '..', '..', 'services');

function dockerfile(service: string) {
  const text = readFileSync(join(SERVICES, service, 'Dockerfile'), 'utf8');
  const copies = [...text.matchAll(/^COPY (?:--\S+ )*(.+)$/gm)].map((match) => {
    const parts = (match[1] ?? '').trim().split(/\s+/);
    return { sources: parts.slice(0, -1), destination: parts[parts.length - 1] ?? '.' };
  });
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)?.[1] ?? '[]') as string[];
  return { copies, cmd, exposes: /^EXPOSE (\d+)$/m.exec(text)?.[1] };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe.each(['api', 'posts', 'users', 'threads'])('services/%s/Dockerfile', (service) => {
  it('exposes the manifest container port 3000 and runs node', () => {
    const { cmd, exposes } = dockerfile(service);
    expect(exposes).toBe('3000');
    expect(cmd[0]).toBe('node');
  });

  it('copies everything its server needs: the image layout starts and answers the health check', async () => {
    const workdir = mkdtempSync(join(tmpdir(), `image-${service}-`));
    try {
      for (const { sources, destination } of dockerfile(service).copies) {
        for (const source of sources) {
          const target = join(workdir, destination, destination.endsWith('/') && !source.endsWith('/') ? source.split('/').pop() ?? '' : '');
          cpSync(join(SERVICES, source), source.endsWith('/') ? join(workdir, destination) : target, { recursive: true });
        }
      }
      const port = await freePort();
      const [command = 'node', ...args] = dockerfile(service).cmd;
      const child = spawn(command === 'node' ? process.execPath : command, args, { cwd: workdir, env: { PORT: String(port), PATH: process.env.PATH } });
      try {
        const status = await (async () => {
          for (let attempt = 0; attempt < 50; attempt += 1) {
            try {
              return (await fetch(`http://127.0.0.1:${port}/`)).status;
            } catch {
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
          return 0;
        })();
        expect(status).toBe(200);
      } finally {
        child.kill('SIGTERM');
      }
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
  });
});
