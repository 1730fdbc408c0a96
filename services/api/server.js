'use strict';
/**
 * The tutorial's monolith (2-containerized/services/api): users, threads and posts in one process, from one
 * db.json. GET / is the health check.
 */
const kit = require('../_http');
const resources = require('../_http/routes');
const db = require('./db.json');

const ROUTES = [...resources.users(db), ...resources.threads(db), ...resources.posts(db)];

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('api', ROUTES);

module.exports = { createServer };
