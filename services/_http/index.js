'use strict';
/**
 * The small HTTP server every tutorial service runs (node:http, no dependencies): GET / is the health
 * check the ALB target group polls; each service brings its own /api routes. Copied into each image
 * by the service's Dockerfile (build context: services/).
 */
const http = require('node:http');

const READY = 'Ready to receive requests';

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** routes: [pattern, handler(params) -> body, or undefined for 404] */
function createServer(routes) {
  return http.createServer((req, res) => {
    const path = new URL(req.url || '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed');
    if (path === '/') return send(res, 200, READY);
    for (const [pattern, route] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      const body = route(match.groups || {});
      return body === undefined ? send(res, 404, { error: 'not found' }) : send(res, 200, body);
    }
    return send(res, 404, { error: 'not found' });
  });
}

/** Listens on $PORT (3000); ECS stops tasks with SIGTERM: finish in-flight requests, then exit. */
function listen(name, routes) {
  const port = Number(process.env.PORT) || 3000;
  const server = createServer(routes).listen(port, () => console.log(`${name} listening on ${port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return server;
}

const byId = (items, id) => items.find((item) => item.id === Number(id));

module.exports = { createServer, listen, byId };
