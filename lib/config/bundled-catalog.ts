/**
 * The manifests, compiled into each Lambda bundle at `sls package` time by esbuild's `define`
 * (serverless.yml, custom.esbuild.define, from config/serverless-catalog.cjs). Outside a bundle (tests, the local
 * runner) the identifier is not defined and this is undefined.
 *
 * Why not an environment variable: Lambda allows 4 KB of environment in total and the catalog needs about 450 bytes
 * a service, so it stopped fitting at 9 services, while `sls package` still succeeded.
 */
declare const __ROLLOUT_CATALOG__: unknown;

export const bundledManifests: unknown = typeof __ROLLOUT_CATALOG__ === 'undefined' ? undefined : __ROLLOUT_CATALOG__;
