import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { createEmulator } from '../../../local/emulator';
import { accountRegionOf, assertImageInRepository, assertOwnImage, ecrRegistry, partitionOf, pinnedImageUri } from '../../../lib/domain/image';
import { parsePushEvent, summarizePush } from '../../../lib/domain/push-event';
import { ConfigurationError, ForeignImageError } from '../../../lib/errors';
import { thrownBy } from './thrown';

const ACCOUNT = '123456789012';
const DIGEST = 'sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c';
const pushEventIn = (region: string) => ({
  version: '0',
  id: '3027b6b5-2122-43d0-b928-4600315b61fe',
  'detail-type': 'ECR Image Action',
  source: 'aws.ecr',
  account: ACCOUNT,
  time: '2026-11-26T09:00:00Z',
  region,
  resources: [],
  detail: { result: 'SUCCESS', 'repository-name': 'posts', 'image-digest': DIGEST, 'action-type': 'PUSH', 'image-tag': 'v1' },
});

/** One region of each partition, its listener ARN (as ELB writes it there) and the image URI ECR gives a push. */
const PARTITIONS = [
  ['aws', 'us-east-1', 'amazonaws.com'],
  ['aws', 'eu-central-2', 'amazonaws.com'],
  ['aws-cn', 'cn-north-1', 'amazonaws.com.cn'],
  ['aws-cn', 'cn-northwest-1', 'amazonaws.com.cn'],
  ['aws-us-gov', 'us-gov-west-1', 'amazonaws.com'],
  ['aws-us-gov', 'us-gov-east-1', 'amazonaws.com'],
] as const;

describe.each(PARTITIONS)('image URIs in partition %s (%s)', (partition, region, dnsSuffix) => {
  const listenerArn = `arn:${partition}:elasticloadbalancing:${region}:${ACCOUNT}:listener/app/demo/0123456789abcdef/0123456789abcdef`;
  const image = `${ACCOUNT}.dkr.ecr.${region}.${dnsSuffix}/posts@${DIGEST}`;

  it(`places the region in partition ${partition}, whose registry host ends in ${dnsSuffix}`, () => {
    // Assess
    expect(partitionOf(region)).toMatchObject({ partition, dnsSuffix });
    expect(ecrRegistry(ACCOUNT, region)).toBe(`${ACCOUNT}.dkr.ecr.${region}.${dnsSuffix}`);
  });

  it('takes a push there from the event to the pinned image URI on that partition’s registry host', () => {
    // Prepare
    const push = summarizePush(parsePushEvent(pushEventIn(region)));
    const home = accountRegionOf(listenerArn);

    // Act
    assertOwnImage(push, home);
    const imageUri = pinnedImageUri(push);

    // Assess
    expect(home).toEqual({ account: ACCOUNT, region });
    expect(imageUri).toBe(image);
    expect(() => assertImageInRepository(imageUri, 'posts', home)).not.toThrow();
  });

  it('agrees with the emulator’s ECR on the repository URI a push there gets', async () => {
    // Prepare
    const emulator = createEmulator({ accountId: ACCOUNT, region });
    emulator.pushImage('posts', DIGEST, 'v1');

    // Act
    const { repositories } = await emulator.clients().ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['posts'] }));

    // Assess
    expect(repositories?.[0]?.repositoryUri).toBe(`${ecrRegistry(ACCOUNT, region)}/posts`);
  });

  it('refuses, as the service’s own, an image URI on another partition’s registry host', () => {
    // Prepare
    const otherSuffix = dnsSuffix === 'amazonaws.com' ? 'amazonaws.com.cn' : 'amazonaws.com';
    const elsewhere = `${ACCOUNT}.dkr.ecr.${region}.${otherSuffix}/posts@${DIGEST}`;

    // Act
    const error = thrownBy(ForeignImageError, () => assertImageInRepository(elsewhere, 'posts', accountRegionOf(listenerArn)));

    // Assess
    expect(error.message).toBe(`refuse image ${elsewhere}: not in repository posts of ${ACCOUNT}/${region}`);
  });
});

describe('partitionOf', () => {
  it.each([
    ['us-iso-east-1', 'an ISO partition (c2s.ic.gov)'],
    ['us-isob-east-1', 'an ISO-B partition (sc2s.sgov.gov)'],
    ['eusc-de-east-1', 'the European Sovereign Cloud (amazonaws.eu)'],
    ['', 'no region at all (an ARN without one)'],
  ])('refuses %s, %s, with ConfigurationError naming the region and the partitions it knows', (region) => {
    // Act
    const error = thrownBy(ConfigurationError, () => partitionOf(region));

    // Assess
    expect(error.message).toBe(`unsupported region ${JSON.stringify(region)}: the pipeline knows ECR's registry host in partitions aws-cn, aws-us-gov, aws only`);
  });

  it('refuses to pin an image in an unsupported region rather than guess its registry host', () => {
    // Act
    const pin = () => pinnedImageUri({ account: ACCOUNT, region: 'us-iso-east-1', time: '2026-11-26T09:00:00Z', repository: 'posts', digest: DIGEST });

    // Assess
    expect(pin).toThrow(ConfigurationError);
  });
});
