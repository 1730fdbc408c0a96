'use strict';
/**
 * The tutorial's users microservice (3-microservices/services/users): the monolith's /api/users routes, from its
 * own db.json. GET / is the health check.
 */
const kit = require('../_http');
const resources = require('../_http/routes');
const db = require('./db.json');

const ROUTES = resources.users(db);

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('users', ROUTES);

module.exports = { createServer };
