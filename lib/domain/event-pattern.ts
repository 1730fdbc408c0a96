import { ManifestError } from '../errors';
import type { Catalog } from './catalog';

/**
 * The EventBridge pattern that starts a rollout: a successful, tagged PUSH to one of the catalog's repositories,
 * with a tag the service deploys (its manifest's deployTags, or any tag). serverless.yml and the local runner both
 * take it from here, so the pattern under test is the deployed one. Shape per the ECR docs
 * (AmazonECR/latest/userguide/ecr-eventbridge.html); `exists`, `wildcard` and `$or` per the EventBridge user
 * guide ("Content filtering in Amazon EventBridge event patterns").
 *
 * Untagged pushes match nothing: buildx pushes an image index with the tag plus untagged platform manifests and a
 * provenance attestation, each a PUSH event of its own; only the tagged one is a release.
 */
export type TagFilter = string | { wildcard: string } | { exists: true };

export interface RepositoryTags {
  'repository-name': string[];
  'image-tag': TagFilter[];
}

export interface PushEventPattern {
  source: ['aws.ecr'];
  'detail-type': ['ECR Image Action'];
  detail: { 'action-type': ['PUSH']; result: ['SUCCESS'] } & (RepositoryTags | { $or: RepositoryTags[] });
}

const ANY_TAG: TagFilter[] = [{ exists: true }];

function tagFilters(deployTags: readonly string[] | undefined): TagFilter[] {
  if (deployTags === undefined) return ANY_TAG;
  return [...new Set(deployTags)].sort().map((tag) => (tag.includes('*') ? { wildcard: tag } : tag));
}

export function buildPushEventPattern(catalog: Catalog): PushEventPattern {
  // Repositories that deploy the same tags share one branch: with no deployTags anywhere there is no $or at all.
  const groups = new Map<string, RepositoryTags>();
  for (const service of catalog.services) {
    const filters = tagFilters(service.deployTags);
    const key = JSON.stringify(filters);
    const group = groups.get(key) ?? { 'repository-name': [], 'image-tag': filters };
    group['repository-name'].push(service.repository);
    groups.set(key, group);
  }
  const branches = [...groups.values()]
    .map((group) => ({ ...group, 'repository-name': group['repository-name'].sort() }))
    .sort((a, b) => (a['repository-name'][0] ?? '').localeCompare(b['repository-name'][0] ?? ''));
  const [only] = branches;
  return {
    source: ['aws.ecr'],
    'detail-type': ['ECR Image Action'],
    detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], ...(branches.length === 1 && only ? only : { $or: branches }) },
  };
}

/**
 * EventBridge refuses a rule whose pattern is longer than its "Event pattern size" quota: 2048 characters by default,
 * adjustable to 4096 (EventBridge quotas). Fails packaging with the numbers rather than the deploy with PutRule's error.
 */
export const EVENT_PATTERN_MAX_CHARACTERS = 2048;

export function assertPatternFits(pattern: PushEventPattern, servicesDir: string, maxCharacters = EVENT_PATTERN_MAX_CHARACTERS): string {
  const json = JSON.stringify(pattern);
  if (json.length > maxCharacters) {
    throw new ManifestError(
      `invalid manifests in ${servicesDir}: the EventBridge rule's pattern for their repositories is ${json.length} characters, over EventBridge's default quota of ${maxCharacters} (adjustable to 4096 on request): shorten repository names`,
      servicesDir,
      'repository',
    );
  }
  return json;
}
