import { ConfigurationError, ForeignImageError } from '../errors';
import type { PushSummary } from './push-event';

/**
 * The partitions whose ECR registry host the pipeline knows, by region. A private registry is
 * `<account>.dkr.ecr.<region>.<dnsSuffix>`: `amazonaws.com.cn` in China (Amazon ECR user guide, China edition,
 * "Private registry concepts": https://<account>.dkr.ecr.cn-north-1.amazonaws.com.cn), `amazonaws.com` elsewhere,
 * GovCloud included. Region patterns and DNS suffixes (`regionRegex`, `outputs.dnsSuffix`) as in the SDKs' partition
 * data: botocore/data/partitions.json, and the copy @aws-sdk/core 3.981 bundles. The ISO and sovereign partitions
 * have other suffixes and are refused rather than guessed.
 */
const PARTITIONS = [
  { partition: 'aws-cn', regions: /^cn-\w+-\d+$/, dnsSuffix: 'amazonaws.com.cn' },
  { partition: 'aws-us-gov', regions: /^us-gov-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
  { partition: 'aws', regions: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, dnsSuffix: 'amazonaws.com' },
] as const;

export type Partition = (typeof PARTITIONS)[number];

/** The partition a region belongs to (cn-north-1 -> aws-cn, us-gov-west-1 -> aws-us-gov, us-east-1 -> aws). */
export function partitionOf(region: string): Partition {
  const found = PARTITIONS.find((candidate) => candidate.regions.test(region));
  if (!found) {
    throw new ConfigurationError(`unsupported region ${JSON.stringify(region)}: the pipeline knows ECR's registry host in partitions ${PARTITIONS.map((known) => known.partition).join(', ')} only`);
  }
  return found;
}

/** The account's private ECR registry in a region: the host part of every image URI the pipeline deploys. */
export function ecrRegistry(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.${partitionOf(region).dnsSuffix}`;
}

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
  return `${ecrRegistry(push.account, push.region)}/${push.repository}@${push.digest}`;
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
  const expectedPrefix = `${ecrRegistry(home.account, home.region)}/${repository}@sha256:`;
  if (!imageUri.startsWith(expectedPrefix)) {
    throw new ForeignImageError(`refuse image ${imageUri}: not in repository ${repository} of ${home.account}/${home.region}`);
  }
}
