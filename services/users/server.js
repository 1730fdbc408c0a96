'use strict';
/**
 * The tutorial's users microservice (3-microservices/services/users).
 * GET / is the health check; the /api routes answer from db.json.
 */
const kit = require('../_http');
const db = require('./db.json');

/** [pattern, handler(params) -> body or undefined for 404] for the routes this service owns. */
const ROUTES = [
  [/^\/api\/users\/?$/, () => db.users],
  [/^\/api\/users\/(?<id>\d+)$/, ({ id }) => kit.byId(db.users, id)],
];

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('users', ROUTES);

module.exports = { createServer };
