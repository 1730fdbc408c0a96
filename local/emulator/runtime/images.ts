/** Which images are "bad": a task whose task definition runs a marked image never passes health checks. */
import type { EmulatorContext } from '../context';

/** Accepts 'sha256:…' or a full image URI (by digest or by tag); tags are resolved through emulated ECR. */
export function markImageUnhealthy(ctx: EmulatorContext, imageRef: string): void {
  ctx.unhealthyImages.add(imageRef);
}

function digestOf(ctx: EmulatorContext, image: string): string | undefined {
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

export function taskDefinitionIsUnhealthy(ctx: EmulatorContext, taskDefinitionArn: string): boolean {
  const containers = ctx.taskDefinitions.get(taskDefinitionArn)?.input.containerDefinitions ?? [];
  return containers.some((container) => container.image !== undefined && imageIsUnhealthy(ctx, container.image));
}
