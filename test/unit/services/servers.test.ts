import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** services/<name>/server.js is plain CommonJS (it ships alone in its container), loaded here by path. */
const load = createRequire(__filename);
const startServer = async (service: string): Promise<{ server: Server; baseUrl: string }> => {
  const { createServer } = load(join(__dirname, '..', '..', '..', 'services', service, 'server.js')) as { createServer: () => Server };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

interface Case {
  service: string;
  path: string;
  expected: unknown;
}
const cases: Case[] = [
  { service: 'api', path: '/api/users/1', expected: expect.objectContaining({ id: 1, username: 'marceline' }) },
  { service: 'api', path: '/api/threads', expected: expect.arrayContaining([expect.objectContaining({ id: 2 })]) },
  { service: 'api', path: '/api/posts/in-thread/1', expected: [expect.objectContaining({ thread: 1 }), expect.objectContaining({ thread: 1 })] },
  { service: 'posts', path: '/api/posts/in-thread/2', expected: [expect.objectContaining({ thread: 2 }), expect.objectContaining({ thread: 2 })] },
  { service: 'users', path: '/api/users', expected: expect.arrayContaining([expect.objectContaining({ id: 4, username: 'jake' })]) },
  { service: 'users', path: '/api/users/2', expected: expect.objectContaining({ id: 2, username: 'finn' }) },
  { service: 'threads', path: '/api/threads', expected: expect.arrayContaining([expect.objectContaining({ id: 3 })]) },
  { service: 'threads', path: '/api/threads/1', expected: expect.objectContaining({ id: 1, createdBy: 4 }) },
];

describe.each(['api', 'posts', 'users', 'threads'])('services/%s/server.js', (service) => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => ({ server, baseUrl } = await startServer(service)));
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the ALB health check on / with 200', async () => {
    const response = await fetch(`${baseUrl}/`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('Ready to receive requests');
  });

  it.each(cases.filter((c) => c.service === service))('serves $path', async ({ path, expected }) => {
    const response = await fetch(`${baseUrl}${path}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(expected);
  });

  it('answers 404 for an unknown id and for paths it does not own', async () => {
    const unknownId = service === 'posts' ? '/api/users/1' : `/api/${service === 'api' ? 'users' : service}/999`;

    expect((await fetch(`${baseUrl}${unknownId}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/api/unknown`)).status).toBe(404);
  });
});

describe('microservices own only their routes', () => {
  it.each([
    ['posts', '/api/threads'],
    ['users', '/api/posts/in-thread/1'],
    ['threads', '/api/users'],
  ])('%s answers 404 for %s', async (service, path) => {
    const { server, baseUrl } = await startServer(service);
    try {
      expect((await fetch(`${baseUrl}${path}`)).status).toBe(404);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
