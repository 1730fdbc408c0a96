/**
 * Which images are "bad" (a task whose task definition runs a marked image never passes health checks) or slow to
 * start (its application answers health checks only some seconds after the task started).
 */
import type { EmulatorContext } from '../context';

/** Accepts 'sha256:…' or a full image URI (by digest or by tag); tags are resolved through emulated ECR. */
export function markImageUnhealthy(ctx: EmulatorContext, imageRef: string): void {
  ctx.unhealthyImages.add(imageRef);
}

/** Tasks running this image fail health checks for their first `seconds` (the application's own start-up). */
export function markImageSlowToStart(ctx: EmulatorContext, imageRef: string, seconds: number): void {
  ctx.slowImages.set(imageRef, seconds);
}

/** 'repo@sha256:…' -> the digest; 'registry/repo:tag' -> the digest that tag points to in emulated ECR. */
export function digestOf(ctx: EmulatorContext, image: string): string | undefined {
  const byDigest = image.split('@')[1];
  if (byDigest !== undefined) return byDigest;
  const match = /^[^/]+\/(.+):([^:/]+)$/.exec(image);
  if (!match) return undefined;
  const [, repository = '', tag = ''] = match;
  return ctx.ecrRepositories.get(repository)?.images.find((entry) => entry.tags.includes(tag))?.digest;
}

export function imageIsUnhealthy(ctx: EmulatorContext, image: string): boolean {
  if (ctx.unhealthyImages.has(image)) return true;
  const digest = digestOf(ctx, image);
  return digest !== undefined && ctx.unhealthyImages.has(digest);
}

function imageStartUpSeconds(ctx: EmulatorContext, image: string): number {
  const digest = digestOf(ctx, image);
  return ctx.slowImages.get(image) ?? (digest === undefined ? undefined : ctx.slowImages.get(digest)) ?? 0;
}

/** How long after its task starts the slowest container of this task definition answers health checks. */
export function taskDefinitionStartUpSeconds(ctx: EmulatorContext, taskDefinitionArn: string): number {
  const containers = ctx.taskDefinitions.get(taskDefinitionArn)?.input.containerDefinitions ?? [];
  return Math.max(0, ...containers.map((container) => (container.image === undefined ? 0 : imageStartUpSeconds(ctx, container.image))));
}

export function taskDefinitionIsUnhealthy(ctx: EmulatorContext, taskDefinitionArn: string): boolean {
  const containers = ctx.taskDefinitions.get(taskDefinitionArn)?.input.containerDefinitions ?? [];
  return containers.some((container) => container.image !== undefined && imageIsUnhealthy(ctx, container.image));
}
