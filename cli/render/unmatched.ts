import { findByRepository, type Catalog } from '../../lib/domain/catalog';
import { explainMismatch, type EventPattern } from '../../local/eventbridge/match-pattern';

/** A pattern value as a person reads it: "PUSH", v* (a wildcard), any value (exists). */
function describeFilter(filter: unknown): string {
  if (typeof filter === 'object' && filter !== null && !Array.isArray(filter)) {
    const record = filter as Record<string, unknown>;
    if (typeof record.wildcard === 'string') return record.wildcard;
    if (record.exists === true) return 'any value';
    if (typeof record.prefix === 'string') return `${JSON.stringify(record.prefix)}…`;
  }
  return JSON.stringify(filter);
}

/**
 * Why the ECR push rule does not match an event, field by field as the rule's pattern checks them
 * (lib/domain/event-pattern.ts): source, detail-type, detail.action-type, detail.result, then the repository and
 * the tag its service deploys.
 */
export function unmatchedReason(pattern: EventPattern, event: unknown, catalog: Catalog): string {
  const mismatch = explainMismatch(pattern, event);
  if (!mismatch) return 'the rule matches it';
  const is = mismatch.present ? `is ${JSON.stringify(mismatch.actual)}` : 'is missing';
  const wanted = mismatch.expected.map(describeFilter);
  if (mismatch.field === 'detail.repository-name') {
    const known = mismatch.expected.filter((value): value is string => typeof value === 'string').sort();
    return `detail.repository-name ${is}: not a repository of the catalog (known: ${known.join(', ')})`;
  }
  if (mismatch.field === 'detail.image-tag') {
    if (!mismatch.present) return 'detail.image-tag is missing: an untagged push (a platform manifest, an attestation or a push by digest) deploys nothing';
    const repository = (event as { detail?: { 'repository-name'?: unknown } }).detail?.['repository-name'];
    const service = typeof repository === 'string' ? (findByRepository(catalog, repository)?.name ?? repository) : 'its service';
    return `detail.image-tag ${is}: not a tag ${service} deploys (deployTags: ${wanted.join(', ')})`;
  }
  return `${mismatch.field} ${is}, the rule wants ${wanted.join(' or ')}`;
}
