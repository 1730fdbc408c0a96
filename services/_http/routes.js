'use strict';
/**
 * The tutorial's three REST resources, each answering from the db.json slice it is given. The monolith (api)
 * serves all three from one db; each microservice serves its own, so a path answers the same before the
 * migration (monolith) and after it (the microservice the ALB rule sends it to).
 */
const { route, idOf } = require('./index');

const users = (db) => [
  route('/api/users', () => db.users),
  route('/api/users/:id', ({ id }) => db.users.find((user) => user.id === idOf(id))),
];

const threads = (db) => [
  route('/api/threads', () => db.threads),
  route('/api/threads/:id', ({ id }) => db.threads.find((thread) => thread.id === idOf(id))),
];

const posts = (db) => [
  route('/api/posts', () => db.posts),
  route('/api/posts/in-thread/:id', ({ id }) => db.posts.filter((post) => post.thread === idOf(id))),
  route('/api/posts/by-user/:id', ({ id }) => db.posts.filter((post) => post.user === idOf(id))),
];

module.exports = { users, threads, posts };
