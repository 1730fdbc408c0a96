import type { Manifest } from './manifest';

/**
 * EventBridge's `wildcard` filter: `*` matches any run of characters (none included); everything else is
 * literal (EventBridge user guide, "Wildcard matching"). The rule pattern filters tags this way; "Resolve
 * release" checks again with the same function, and the local EventBridge matcher uses it too.
 */
export function matchesWildcard(pattern: string, value: string): boolean {
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's').test(value);
}

/**
 * Whether a push with this tag deploys the manifest's service. An untagged push (a platform manifest or the
 * provenance attestation that buildx pushes beside the tagged index, or a push by digest) never does: a
 * `docker push` of one tag then starts exactly one rollout, for the tagged digest.
 */
export function tagDeploys(manifest: Pick<Manifest, 'deployTags'>, tag: string | undefined): boolean {
  if (tag === undefined || tag === '') return false;
  return manifest.deployTags === undefined || manifest.deployTags.some((pattern) => matchesWildcard(pattern, tag));
}
