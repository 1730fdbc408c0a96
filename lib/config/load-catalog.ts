import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ManifestError } from '../errors';
import { buildCatalog, type Catalog, type ManifestSource } from '../domain/catalog';

/** Reads services/<name>/service.yml under `servicesDir`, in name order, and validates the whole catalog. */
export function loadCatalogFromDirectory(servicesDir: string, displayRoot = join(servicesDir, '..')): Catalog {
  const names = readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(servicesDir, entry.name, 'service.yml')))
    .map((entry) => entry.name)
    .sort();
  const sources: ManifestSource[] = names.map((name) => {
    const path = join(servicesDir, name, 'service.yml');
    const file = relative(displayRoot, path);
    let content: unknown;
    try {
      content = parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ManifestError(`invalid manifest ${file}: not valid YAML (${(error as Error).message})`, file, '(root)');
    }
    if (content && typeof content === 'object' && !Array.isArray(content) && (content as { name?: unknown }).name !== name) {
      throw new ManifestError(`invalid manifest ${file}: name must equal its folder name "${name}"`, file, 'name');
    }
    return { file, content };
  });
  return buildCatalog(sources);
}
