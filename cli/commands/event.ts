import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogFromDirectory } from '../../lib/config/load-catalog';
import { findByName } from '../../lib/domain/catalog';
import { tagDeploys } from '../../lib/domain/deploy-tags';
import { DIGEST } from '../../lib/domain/push-event';
import { pushEvent } from '../../local/runner/scenario';
import { PROJECT_ROOT } from '../project-root';
import { UsageError } from '../usage-error';

export interface EventOptions {
  readonly tag: string;
  readonly digest?: string;
  readonly out?: string;
  readonly servicesDir?: string;
  /** The event's `time` (default: now, to the second, as ECR writes it). */
  readonly now?: () => Date;
}

// ECR's image tag rule (and the pipeline's, lib/domain/push-event.ts): up to 128 of letters, digits, _ . -
const TAG = /^[\w][\w.-]{0,127}$/;

/** `8f2c…` (32 hex) → the 8-4-4-4-12 form of the `id` EventBridge gives every event. */
const uuidShaped = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/**
 * `rollout event SERVICE`: the EventBridge event ECR emits when SERVICE's repository gets a push, in ECR's exact
 * shape, for `rollout simulate` and `rollout plan`. The digest is derived from the repository and tag unless given,
 * so the same push written twice is the same image (a duplicate), and another tag another image.
 */
export function event(service: string, options: EventOptions): number {
  const catalog = loadCatalogFromDirectory(options.servicesDir ?? join(PROJECT_ROOT, 'services'));
  const manifest = findByName(catalog, service);
  if (!manifest) {
    const known = catalog.services.map((candidate) => candidate.name).sort();
    throw new UsageError(`unknown service ${service}: no ${options.servicesDir ?? 'services'}/${service}/service.yml (the services are ${known.join(', ')})`);
  }
  if (!TAG.test(options.tag)) throw new UsageError(`invalid --tag ${JSON.stringify(options.tag)}: an image tag is 1-128 letters, digits, _ . - and starts with a letter, digit or _`);
  if (options.digest !== undefined && !DIGEST.test(options.digest)) {
    throw new UsageError(`invalid --digest ${JSON.stringify(options.digest)}: must be sha256: followed by 64 lowercase hex characters`);
  }
  if (!tagDeploys(manifest, options.tag)) {
    process.stderr.write(`rollout: warning: ${manifest.name} deploys only the tags ${manifest.deployTags?.join(', ')}: the rule will not match a push of ${options.tag}\n`);
  }
  const time = (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const pushed = pushEvent(manifest.repository, options.tag, time) as { id: string; detail: Record<string, unknown> };
  const written = {
    ...pushed,
    id: uuidShaped(pushed.id),
    detail: { ...pushed.detail, ...(options.digest ? { 'image-digest': options.digest } : {}) },
  };
  const text = `${JSON.stringify(written, null, 2)}\n`;
  if (options.out) {
    try {
      writeFileSync(options.out, text);
    } catch (error) {
      throw new UsageError(`cannot write --out ${options.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  } else {
    process.stdout.write(text);
  }
  return 0;
}
