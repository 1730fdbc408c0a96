/**
 * Words for the progress line and the timeline: each traffic step and each look at a bake, or at ECS's own deployment
 * of an update, from the state's output.
 */
import type { Release } from '../../lib/domain/release';

const minutes = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`);

export function describeTrafficExit(state: string, output: unknown): string | undefined {
  const release = (output as { release?: Partial<Release> } | undefined)?.release;
  // An update through ECS's own deployment: each look of the watch (lib/runtime/ecs-deployment-watch.ts).
  if (release?.ecsDeployment && state === 'Check service health') return release.gate?.lastReason;
  const shift = release?.shift;
  if (!release || !shift) return undefined;
  if (state === 'Shift traffic') {
    if (release.live === true) return `${shift.percent} % of its traffic on the new revision: live`;
    const bake = shift.bake ? `; baking ${minutes(shift.bake.seconds)}` : '';
    return `${shift.percent} % of its traffic on the new revision${bake}`;
  }
  if (state === 'Check service health') return release.gate?.lastReason;
  return undefined;
}
