'use strict';
/**
 * The small HTTP server every service runs (node:http, no dependencies). It answers as the tutorial's koa 1 /
 * koa-router 5 servers do, down to status, content type and bytes (test/fixtures/tutorial-routes holds their
 * recorded answers), so clients see no difference before, during or after the migration:
 *   - a route's value is the answer: a string is text, anything else compact JSON, undefined is 204 No Content;
 *   - routes match as koa-router's do: any case, optional trailing slash, query ignored, params percent-decoded;
 *   - GET / (the ALB health check) and GET /api/ are answered by every service, as in the tutorial;
 *   - other methods on a route get 405 (OPTIONS 204) with Allow; methods koa-router does not know get 501;
 *     paths no route matches get 404 "Not Found".
 * Copied into each image by the service's Dockerfile (build context: services/).
 */
const http = require('node:http');

// koa-router's list: any other method is 501 Not Implemented, whatever the path.
const IMPLEMENTED = new Set(['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE']);
// Every route is a GET route, and koa-router serves HEAD wherever it serves GET.
const ALLOW = ['HEAD', 'GET'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** '/api/users/:id' → a matcher as path-to-regexp 1 builds it (case-insensitive, non-strict, anchored). */
function route(template, handler) {
  const names = [];
  const source = template
    .replace(/\/$/, '')
    .split('/')
    .map((segment) => (segment.startsWith(':') ? (names.push(segment.slice(1)), '([^/]+?)') : escape(segment)))
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), names, handler };
}

// koa-router leaves a param that does not decode (e.g. '%E0') as it came.
function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function match(routes, path) {
  for (const candidate of routes) {
    const found = candidate.pattern.exec(path);
    if (!found) continue;
    const params = Object.fromEntries(candidate.names.map((name, index) => [name, decode(found[index + 1])]));
    return { handler: candidate.handler, params };
  }
  return undefined;
}

function send(res, status, headers, text) {
  res.writeHead(status, text === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const sendText = (res, status, text, headers = {}) => send(res, status, { ...headers, 'content-type': 'text/plain; charset=utf-8' }, text);

/** A route's value as koa sends a ctx.body: null/undefined is 204 with no body and no content type. */
function sendValue(res, value) {
  if (value === undefined || value === null) return send(res, 204, {});
  if (typeof value === 'string') return sendText(res, 200, value);
  return send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(value));
}

/** The routes every tutorial service answers besides its own. */
const COMMON_ROUTES = [route('/api/', () => 'API ready to receive requests'), route('/', () => 'Ready to receive requests')];

/** routes: from route(); their handlers get the decoded params and return the answer's value. */
function createServer(routes) {
  const all = [...routes, ...COMMON_ROUTES];
  return http.createServer((req, res) => {
    // The path as sent, as koa reads it: no dot-segment resolution, no decoding outside params.
    const path = (req.url || '/').split('?')[0];
    const found = match(all, path);
    if (!IMPLEMENTED.has(req.method)) return sendText(res, 501, 'Not Implemented', found ? { allow: ALLOW } : {});
    // koa answers HEAD for an unmatched path with the bare status: no content type, no length.
    if (!found) return req.method === 'HEAD' ? send(res, 404, {}) : sendText(res, 404, 'Not Found');
    if (req.method === 'OPTIONS') return send(res, 204, { allow: ALLOW });
    if (!ALLOW.includes(req.method)) return sendText(res, 405, 'Method Not Allowed', { allow: ALLOW });
    return sendValue(res, found.handler(found.params));
  });
}

/** Listens on $PORT (3000; 0 picks a free port); ECS stops tasks with SIGTERM: finish in-flight requests, then exit. */
function listen(name, routes) {
  const port = process.env.PORT ? Number(process.env.PORT) : 3000;
  const server = createServer(routes).listen(port, () => console.log(`${name} listening on ${server.address().port}`));
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  return server;
}

/** The tutorial reads ids with parseInt and no radix: '2abc' is 2, '0x4' is 4, 'abc' matches nothing. */
const idOf = (text) => parseInt(text);

module.exports = { createServer, listen, route, idOf };
