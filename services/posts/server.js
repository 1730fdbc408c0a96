'use strict';
/**
 * The tutorial's posts microservice (3-microservices/services/posts).
 * GET / is the health check; the /api routes answer from db.json.
 */
const kit = require('../_http');
const db = require('./db.json');

/** [pattern, handler(params) -> body or undefined for 404] for the routes this service owns. */
const ROUTES = [
  [/^\/api\/posts\/in-thread\/(?<threadId>\d+)$/, ({ threadId }) => db.posts.filter((post) => post.thread === Number(threadId))],
];

const createServer = () => kit.createServer(ROUTES);

if (require.main === module) kit.listen('posts', ROUTES);

module.exports = { createServer };
