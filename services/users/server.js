'use strict';
/**
 * The tutorial's users service (3-microservices/services/users), without dependencies: node:http and a JSON file.
 * GET / is the health check the ALB target group polls; the /api routes answer from db.json.
 */
const http = require('node:http');
const db = require('./db.json');

const READY = 'Ready to receive requests';

const byId = (items, id) => items.find((item) => item.id === Number(id));

/** [pattern, handler(params) -> body or undefined for 404] for the routes this service owns. */
const ROUTES = [
  [/^\/api\/users\/?$/, () => db.users],
  [/^\/api\/users\/(?<id>\d+)$/, ({ id }) => byId(db.users, id)],
];

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function handle(req, res) {
  const path = new URL(req.url || '/', 'http://localhost').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed');
  if (path === '/') return send(res, 200, READY);
  for (const [pattern, route] of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    const body = route(match.groups || {});
    return body === undefined ? send(res, 404, { error: 'not found' }) : send(res, 200, body);
  }
  return send(res, 404, { error: 'not found' });
}

function createServer() {
  return http.createServer(handle);
}

if (require.main === module) {
  const port = Number(process.env.PORT) || 3000;
  const server = createServer().listen(port, () => console.log(`users listening on ${port}`));
  // ECS stops tasks with SIGTERM: finish in-flight requests, then exit.
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

module.exports = { createServer };
