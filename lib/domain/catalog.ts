import * as v from 'valibot';
import { ManifestError } from '../errors';
import { alternateTargetGroupName, ManifestSchema, type Manifest } from './manifest';
import { schemaIssues } from './parse-input';
import { pathPatternCovers } from './shadowing';

/** Every service the pipeline deploys, validated alone and against each other. */
export interface Catalog {
  readonly services: readonly Manifest[];
}

export interface ManifestSource {
  /** Where the manifest came from, for messages (e.g. services/posts/service.yml). */
  readonly file: string;
  readonly content: unknown;
}

export function parseManifest(source: ManifestSource): Manifest {
  const result = v.safeParse(ManifestSchema, source.content);
  if (result.success) return result.output;
  const issues = schemaIssues(result.issues, { root: '(root)', brackets: true });
  const details = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  throw new ManifestError(`invalid manifest ${source.file}: ${details}`, source.file, issues[0]?.field ?? '(root)');
}

function assertUnique(
  manifests: readonly { manifest: Manifest; file: string }[],
  field: string,
  keysOf: (manifest: Manifest) => readonly (string | number)[],
): void {
  const seen = new Map<string | number, string>();
  for (const { manifest, file } of manifests) {
    for (const key of keysOf(manifest)) {
      const other = seen.get(key);
      if (other !== undefined) {
        throw new ManifestError(`invalid manifest ${file}: ${field} ${JSON.stringify(key)} is claimed by both ${other} and ${file}`, file, field);
      }
      seen.set(key, file);
    }
  }
}

/** Validates each manifest, then the rules that span services (unique names, priorities, paths, one monolith). */
export function buildCatalog(sources: readonly ManifestSource[]): Catalog {
  const parsed = sources.map((source) => ({ manifest: parseManifest(source), file: source.file }));
  assertUnique(parsed, 'name', (m) => [m.name]);
  assertUnique(parsed, 'repository', (m) => [m.repository]);
  // A microservice's alternate group (alternateTargetGroupName) may not take another group's name either.
  assertUnique(parsed, 'targetGroupName', (m) => (m.role === 'monolith' ? [m.targetGroupName.toLowerCase()] : [m.targetGroupName.toLowerCase(), alternateTargetGroupName(m).toLowerCase()]));
  assertUnique(parsed, 'family', (m) => [m.family]);
  assertUnique(parsed, 'priority', (m) => [m.priority]);
  assertUnique(parsed, 'paths', (m) => m.paths);
  const monoliths = parsed.filter(({ manifest }) => manifest.role === 'monolith');
  const second = monoliths[1];
  if (second) {
    throw new ManifestError(`invalid manifest ${second.file}: role monolith is already claimed by ${monoliths[0]?.file}`, second.file, 'role');
  }
  assertNoShadowing(parsed);
  return { services: parsed.map(({ manifest }) => manifest) };
}

/**
 * An ALB evaluates rules by priority number, lowest first: a manifest whose path a manifest with a lower number
 * covers entirely would never get its requests. A more specific path first is ordinary routing; the monolith's
 * catch-all (e.g. /api*) comes after the microservices it hands paths to.
 */
function assertNoShadowing(manifests: readonly { manifest: Manifest; file: string }[]): void {
  for (const later of manifests) {
    for (const earlier of manifests) {
      if (earlier.manifest.priority >= later.manifest.priority) continue;
      if (earlier.manifest.role === 'microservice' && later.manifest.role === 'monolith') continue;
      const path = later.manifest.paths.find((own) => earlier.manifest.paths.some((other) => pathPatternCovers(other, own)));
      if (path === undefined) continue;
      throw new ManifestError(
        `invalid manifest ${later.file}: priority ${later.manifest.priority} comes after ${earlier.file}'s ${earlier.manifest.priority}, whose paths ${earlier.manifest.paths.join(',')} take requests for ${path}: give ${later.manifest.name} a priority number below ${earlier.manifest.priority}`,
        later.file,
        'priority',
      );
    }
  }
}

export function findByRepository(catalog: Catalog, repository: string): Manifest | undefined {
  return catalog.services.find((service) => service.repository === repository);
}

export function findByName(catalog: Catalog, name: string): Manifest | undefined {
  return catalog.services.find((service) => service.name === name);
}

export function monolithOf(catalog: Catalog): Manifest | undefined {
  return catalog.services.find((service) => service.role === 'monolith');
}

export function microservicesOf(catalog: Catalog): Manifest[] {
  return catalog.services.filter((service) => service.role === 'microservice');
}
