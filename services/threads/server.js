'use strict';
/**
 * The tutorial's threads microservice (3-microservices/services/threads).
 * GET / is the health check; the /api routes answer from db.json.
 */
const kit = require('../_http');
const db = require('./db.json');

/** [pattern, handler(params) -> body or undefined for 404] for the routes this service owns. */
const ROUTES = [
  [/^\/api\/threads\/?$/, () => db.threads],
  [/^\/api\/threads\/(?<id>\d+)$/, ({ id }) => kit.byId(db.threads, id)],
];

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('threads', ROUTES);

module.exports = { createServer };
