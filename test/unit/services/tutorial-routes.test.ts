import { join } from 'node:path';
import { loadCatalogFromDirectory } from '../../../lib/config/load-catalog';
import { microservicesOf } from '../../../lib/domain/catalog';
import { pathPatternMatches } from '../../../lib/domain/routing';
import recorded from '../../fixtures/tutorial-routes/responses.json';
import type { Fixture, Recorded } from '../../fixtures/tutorial-routes/record';
import { ask, startNode, type Answer, type RunningServer } from './probe';

/**
 * The services answer as the tutorial's do, route for route. The table is test/fixtures/tutorial-routes/
 * responses.json: the tutorial's own servers (awslabs/amazon-ecs-nodejs-microservices at 7b550c5:
 * 2-containerized/services/api, 3-microservices/services/{posts,users,threads}, with their db.json and koa 1 /
 * koa-router 5) were started and asked every request in it by record.ts, which sits beside it and says how to
 * re-record. Here each of ours runs as a real process (node services/<name>/server.js, port 0) and is asked the
 * same requests over HTTP: status, content type, length, Allow and body must be the same bytes.
 */
const SERVICES_DIR = join(__dirname, '..', '..', '..', 'services');
const fixture: Fixture = recorded;
const SERVICES = ['api', 'posts', 'users', 'threads'];

const exchanges = (service: string): Recorded[] => fixture.services[service] ?? [];

/** The recorded answer as ask() reports it: JSON values are sent by koa as compact JSON.stringify text. */
function expectedAnswer(exchange: Recorded): Answer {
  const { status, contentType, contentLength, allow } = exchange;
  return { status, contentType, contentLength, allow, body: 'json' in exchange ? JSON.stringify(exchange.json) : exchange.body };
}

const running = new Map<string, RunningServer>();
const portOf = (service: string): number => {
  const server = running.get(service);
  if (!server) throw new Error(`test set-up: ${service} is not running`);
  return server.port;
};

beforeAll(async () => {
  for (const service of SERVICES) running.set(service, await startNode([join(SERVICES_DIR, service, 'server.js')], { env: { PORT: '0' } }));
});
afterAll(async () => {
  await Promise.all([...running.values()].map((server) => server.stop()));
});

describe('the fixture holds the cases issue 8 found missing', () => {
  it.each([
    ['api', '/api/', 200],
    ['api', '/api/posts', 200],
    ['api', '/api/posts/by-user/1', 200],
    ['posts', '/api/posts/by-user/1', 200],
    ['api', '/api/users/5', 204],
    ['users', '/api/users/5', 204],
    ['api', '/api/threads/4', 204],
    ['threads', '/api/threads/4', 204],
  ])('%s: GET %s was %d in the tutorial', (service, path, status) => {
    expect(exchanges(service).find((exchange) => exchange.method === 'GET' && exchange.path === path)?.status).toBe(status);
  });
});

describe.each(SERVICES)('services/%s answers as the tutorial does', (service) => {
  it.each(exchanges(service))('$method $path → $status', async (exchange) => {
    expect(await ask(portOf(service), exchange.method, exchange.path)).toEqual(expectedAnswer(exchange));
  });
});

/**
 * After the migration the ALB sends each path to the microservice whose manifest claims it (services/*\/service.yml,
 * ALB path-pattern rules). Every monolith answer on a claimed path must come back the same from that microservice.
 */
describe('after the migration: each claimed path answers as the monolith did', () => {
  const microservices = microservicesOf(loadCatalogFromDirectory(SERVICES_DIR));
  const owner = (path: string) => microservices.find((manifest) => manifest.paths.some((pattern) => pathPatternMatches(pattern, path.split('?')[0] ?? path)));
  const claimed = exchanges('api').flatMap((exchange) => {
    const manifest = owner(exchange.path);
    return manifest ? [{ ...exchange, service: manifest.name }] : [];
  });

  it.each(claimed)('$method $path → $service, $status', async ({ service, ...exchange }) => {
    expect(await ask(portOf(service), exchange.method, exchange.path)).toEqual(expectedAnswer(exchange));
  });

  // No rule claims these, so the ALB answers them 503 once the monolith is retired (local/runner/verify-migration.ts),
  // as in the tutorial, whose default action then forwards to the empty drop-traffic group. ALB patterns are
  // case-sensitive, so the monolith's case-insensitive matches fall out too.
  it('leaves unclaimed only the monolith answers the tutorial also drops: /, /api, /api/ and other-case paths', () => {
    const unclaimedSuccesses = exchanges('api')
      .filter((exchange) => exchange.method === 'GET' && exchange.status < 300 && !owner(exchange.path))
      .map((exchange) => exchange.path);

    expect(unclaimedSuccesses).toEqual(['/', '/api', '/api/', '/API/USERS/2', '/Api/Threads']);
  });
});
