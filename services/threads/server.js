'use strict';
/**
 * The tutorial's threads microservice (3-microservices/services/threads): the monolith's /api/threads routes, from its
 * own db.json. GET / is the health check.
 */
const kit = require('../_http');
const resources = require('../_http/routes');
const db = require('./db.json');

const ROUTES = resources.threads(db);

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('threads', ROUTES);

module.exports = { createServer };
