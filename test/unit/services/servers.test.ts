import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { loadCatalogFromDirectory } from '../../../lib/config/load-catalog';
import { ask, startNode } from './probe';

/**
 * What the pipeline relies on beyond the tutorial's answers (those are tutorial-routes.test.ts): the health check
 * each manifest configures, the createServer export, $PORT and a clean exit on SIGTERM (ECS's stop signal).
 */
const SERVICES_DIR = join(__dirname, '..', '..', '..', 'services');
const catalog = loadCatalogFromDirectory(SERVICES_DIR);

/** services/<name>/server.js is plain CommonJS (it ships alone in its container), loaded here by path. */
const load = createRequire(__filename);
const startInProcess = async (service: string): Promise<Server> => {
  const { createServer } = load(join(SERVICES_DIR, service, 'server.js')) as { createServer: () => Server };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
};

/** An ELB matcher ("200", "200-299", "200,202") accepts `status`. */
const matcherAccepts = (matcher: string, status: number) =>
  matcher.split(',').some((part) => {
    const [low = '', high = low] = part.split('-');
    return status >= Number(low) && status <= Number(high);
  });

describe.each(catalog.services.map((manifest) => [manifest.name, manifest] as const))('services/%s/server.js', (service, manifest) => {
  it(`passes its manifest's health check (GET ${manifest.healthCheck.path}, matcher ${manifest.healthCheck.matcher})`, async () => {
    const server = await startInProcess(service);
    try {
      const { status } = await ask((server.address() as AddressInfo).port, 'GET', manifest.healthCheck.path);

      expect(matcherAccepts(manifest.healthCheck.matcher, status)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('listens on $PORT and exits 0 on SIGTERM', async () => {
    const server = await startNode([join(SERVICES_DIR, service, 'server.js')], { env: { PORT: '0' } });

    expect((await ask(server.port, 'GET', '/')).status).toBe(200);
    await expect(server.stop()).resolves.toBe(0);
  });
});
