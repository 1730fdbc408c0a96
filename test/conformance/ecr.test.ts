import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { POSTS_MANIFEST, required } from './fixtures';
import { errorName, expectConformance, useBackends } from './harness';

const backends = useBackends();

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const UNKNOWN_DIGEST = `sha256:${'0'.repeat(64)}`;

// CreateRepository and PutImage themselves are compared in pending-ecr-push.ts (the emulator has no push API yet).
describe('ECR DescribeImages as the pipeline calls it: emulator agrees with moto', () => {
  it('finds a pushed image by its digest', async () => {
    const outcomes = await backends.run(async (backend) => {
      const digest = await backend.pushImage('posts', POSTS_MANIFEST, 'v1');
      const described = await backend.clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'posts', imageIds: [{ imageDigest: digest }] }));
      const detail = required(described.imageDetails?.[0], 'imageDetails');
      return {
        digestIsSha256: DIGEST_PATTERN.test(digest),
        described: { repositoryName: detail.repositoryName, sameDigest: detail.imageDigest === digest, imageTags: detail.imageTags, count: described.imageDetails?.length },
      };
    });
    expectConformance(outcomes, { digestIsSha256: true, described: { repositoryName: 'posts', sameDigest: true, imageTags: ['v1'], count: 1 } });
  });

  it('reports an unknown digest and an unknown repository with the AWS error codes', async () => {
    const outcomes = await backends.run(async (backend) => {
      await backend.pushImage('posts', POSTS_MANIFEST, 'v1');
      const describe = (repositoryName: string) => () => backend.clients.ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageDigest: UNKNOWN_DIGEST }] }));
      return { unknownDigest: await errorName(describe('posts')), unknownRepository: await errorName(describe('users')) };
    });
    expectConformance(outcomes, { unknownDigest: 'ImageNotFoundException', unknownRepository: 'RepositoryNotFoundException' });
  });
});
