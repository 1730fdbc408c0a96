import { ForeignImageError } from '../errors';
import type { PushSummary } from './push-event';

export interface AccountRegion {
  readonly account: string;
  readonly region: string;
}

/** Reads account and region out of an ARN (arn:partition:service:region:account:resource). */
export function accountRegionOf(arn: string): AccountRegion {
  const [, , , region = '', account = ''] = arn.split(':');
  return { account, region };
}

/** The image pinned by digest, never by tag: a tag can be moved, a digest cannot. */
export function pinnedImageUri(push: PushSummary): string {
  return `${push.account}.dkr.ecr.${push.region}.amazonaws.com/${push.repository}@${push.digest}`;
}

/** Refuses images from another account or region than the environment the pipeline deploys into. */
export function assertOwnImage(push: PushSummary, home: AccountRegion): void {
  if (push.account !== home.account) {
    throw new ForeignImageError(`refuse image ${push.repository}@${push.digest}: account ${push.account} is not the pipeline's account ${home.account}`);
  }
  if (push.region !== home.region) {
    throw new ForeignImageError(`refuse image ${push.repository}@${push.digest}: region ${push.region} is not the pipeline's region ${home.region}`);
  }
}

/** Refuses an image URI that is not in the service's own repository (e.g. a hand-edited release). */
export function assertImageInRepository(imageUri: string, repository: string, home: AccountRegion): void {
  const expectedPrefix = `${home.account}.dkr.ecr.${home.region}.amazonaws.com/${repository}@sha256:`;
  if (!imageUri.startsWith(expectedPrefix)) {
    throw new ForeignImageError(`refuse image ${imageUri}: not in repository ${repository} of ${home.account}/${home.region}`);
  }
}
