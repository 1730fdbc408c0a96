import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCatalogFromDirectory } from '../lib/config/load-catalog';
import { monolithOf } from '../lib/domain/catalog';
import { UsageError } from './usage-error';

/**
 * `--services DIR`: another set of manifests (DIR/<name>/service.yml), as `ROLLOUT_SERVICES_DIR` is for
 * `sls package`. Checked before anything runs: the folder exists, its manifests validate (a ManifestError names
 * the file), and one of them is the monolith the local environment is seeded with.
 */
export function servicesDirOption(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  const absolute = resolve(dir);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) throw new UsageError(`--services ${dir}: no such directory`);
  const catalog = loadCatalogFromDirectory(absolute);
  if (catalog.services.length === 0) throw new UsageError(`--services ${dir}: no <name>/service.yml in it`);
  if (!monolithOf(catalog)) throw new UsageError(`--services ${dir}: none of its manifests has role monolith (the local environment starts from the monolith)`);
  return absolute;
}
