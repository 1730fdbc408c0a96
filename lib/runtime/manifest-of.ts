import { UnknownRepositoryError } from '../errors';
import { findByName } from '../domain/catalog';
import type { Manifest } from '../domain/manifest';
import type { Release } from '../domain/release';
import type { Deps } from './deps';

export function manifestOf(deps: Pick<Deps, 'config'>, release: Pick<Release, 'service'>): Manifest {
  const manifest = findByName(deps.config.catalog, release.service);
  if (!manifest) throw new UnknownRepositoryError(`no manifest for service ${release.service}`);
  return manifest;
}

/** Log keys every line carries: never whole events or environment values. 'service' is a Powertools reserved key (the Logger's own serviceName): it would be dropped. */
export function logKeys(release: Pick<Release, 'executionName' | 'service' | 'push'>) {
  return { execution: release.executionName, serviceName: release.service, digest: release.push.digest };
}

/** A cut-over's log keys: it rolls out no image, so the service it acts on (the monolith) and no digest. */
export function cutoverLogKeys(executionName: string, monolith: string | undefined) {
  return { execution: executionName, serviceName: monolith ?? '(no monolith)' };
}
