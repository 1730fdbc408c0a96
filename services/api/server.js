'use strict';
/**
 * The tutorial's monolith (2-containerized/services/api): every /api route in one process.
 * GET / is the health check; the /api routes answer from db.json.
 */
const kit = require('../_http');
const db = require('./db.json');

/** [pattern, handler(params) -> body or undefined for 404] for the routes this service owns. */
const ROUTES = [
  [/^\/api\/users\/?$/, () => db.users],
  [/^\/api\/users\/(?<id>\d+)$/, ({ id }) => kit.byId(db.users, id)],
  [/^\/api\/threads\/?$/, () => db.threads],
  [/^\/api\/threads\/(?<id>\d+)$/, ({ id }) => kit.byId(db.threads, id)],
  [/^\/api\/posts\/in-thread\/(?<threadId>\d+)$/, ({ threadId }) => db.posts.filter((post) => post.thread === Number(threadId))],
];

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('api', ROUTES);

module.exports = { createServer };
