'use strict';
/**
 * The tutorial's posts microservice (3-microservices/services/posts): the monolith's /api/posts routes, from its
 * own db.json. GET / is the health check.
 */
const kit = require('../_http');
const resources = require('../_http/routes');
const db = require('./db.json');

const ROUTES = resources.posts(db);

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('posts', ROUTES);

module.exports = { createServer };
