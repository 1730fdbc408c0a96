import { accountRegionOf, assertImageInRepository } from '../lib/domain/image';
import type { Release } from '../lib/domain/release';
import { parseRelease } from '../lib/domain/release-schema';
import { revisionMatches, taskDefinitionSpec, familyRevisionOf } from '../lib/domain/task-definition';
import { lambdaHandler, type HandlerDeps } from '../lib/runtime/lambda';
import { ecsAdapter } from '../lib/runtime/clients';
import { logKeys, manifestOf } from '../lib/runtime/manifest-of';

/** Step 2: a task definition revision for the pinned image; reuses the latest when it already runs it. */
export const makeHandler = (deps: HandlerDeps<'ecs'>) => async (input: unknown): Promise<Release> => {
  const release = parseRelease(input, 'register task definition');
  const manifest = manifestOf(deps, release);
  assertImageInRepository(release.imageUri, manifest.repository, accountRegionOf(deps.config.listenerArn));
  const spec = taskDefinitionSpec(manifest, release.imageUri, deps.config);
  const latest = await deps.ecs.latestTaskDefinition(spec.family);
  if (latest && revisionMatches(latest, spec)) {
    deps.logger.info('latest revision already runs this image', { ...logKeys(release), taskDefinition: familyRevisionOf(latest.taskDefinitionArn) });
    return { ...release, taskDefinitionArn: latest.taskDefinitionArn };
  }
  const taskDefinitionArn = await deps.ecs.registerTaskDefinition(spec);
  deps.logger.info('task definition registered', { ...logKeys(release), taskDefinition: familyRevisionOf(taskDefinitionArn) });
  return { ...release, taskDefinitionArn, changes: [...release.changes, `registered ${familyRevisionOf(taskDefinitionArn)}`] };
};

export const handler = lambdaHandler(makeHandler, (config) => ({ ecs: ecsAdapter(config) }));
