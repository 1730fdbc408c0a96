import { CreateRepositoryCommand, DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { createEmulatorBackend } from './backends';
import type { Backend } from './backends';
import { POSTS_MANIFEST, required } from './fixtures';
import { errorName, expectConformance, useBackends } from './harness';

const backends = useBackends();

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const UNKNOWN_DIGEST = `sha256:${'0'.repeat(64)}`;

async function pushPosts(backend: Backend, tag: string) {
  const pushed = await backend.clients.ecr.send(new PutImageCommand({ repositoryName: 'posts', imageManifest: POSTS_MANIFEST, imageTag: tag }));
  return required(pushed.image, 'image');
}

describe('ECR CreateRepository and PutImage: emulator agrees with moto', () => {
  it('pushes a manifest and finds the image again by the digest PutImage returned', async () => {
    const outcomes = await backends.run(async (backend) => {
      const repository = await backend.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: 'posts' }));
      const image = await pushPosts(backend, 'v1');
      const digest = required(image.imageId?.imageDigest, 'imageDigest');
      const described = await backend.clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'posts', imageIds: [{ imageDigest: digest }] }));
      const detail = required(described.imageDetails?.[0], 'imageDetails');
      return {
        repository: { repositoryName: repository.repository?.repositoryName, uriEndsWith: repository.repository?.repositoryUri?.endsWith('.dkr.ecr.us-east-1.amazonaws.com/posts') },
        pushed: { repositoryName: image.repositoryName, imageTag: image.imageId?.imageTag, digestIsSha256: DIGEST_PATTERN.test(digest), manifestKept: image.imageManifest === POSTS_MANIFEST },
        described: { repositoryName: detail.repositoryName, sameDigest: detail.imageDigest === digest, imageTags: detail.imageTags, count: described.imageDetails?.length },
      };
    });
    expectConformance(outcomes, {
      repository: { repositoryName: 'posts', uriEndsWith: true },
      pushed: { repositoryName: 'posts', imageTag: 'v1', digestIsSha256: true, manifestKept: true },
      described: { repositoryName: 'posts', sameDigest: true, imageTags: ['v1'], count: 1 },
    });
  });

  it('reports an unknown digest and an unknown repository with the AWS error codes', async () => {
    const outcomes = await backends.run(async (backend) => {
      await backend.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: 'posts' }));
      await pushPosts(backend, 'v1');
      return {
        unknownDigest: await errorName(() => backend.clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'posts', imageIds: [{ imageDigest: UNKNOWN_DIGEST }] }))),
        unknownRepository: await errorName(() => backend.clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'users', imageIds: [{ imageDigest: UNKNOWN_DIGEST }] }))),
      };
    });
    // PutImage into an unknown repository is not compared: moto answers HTTP 500 (see documented-gaps.test.ts).
    expectConformance(outcomes, { unknownDigest: 'ImageNotFoundException', unknownRepository: 'RepositoryNotFoundException' });
  });
});

describe('where moto does not simulate AWS: checked against AWS documentation', () => {
  // API_PutImage.html, Errors: RepositoryNotFoundException. moto 5.2.5 answers HTTP 500 ("users is not a repository").
  it('reports RepositoryNotFound when pushing into an unknown repository (moto: HTTP 500)', async () => {
    const backend = createEmulatorBackend();
    const outcome = await errorName(() => backend.clients.ecr.send(new PutImageCommand({ repositoryName: 'users', imageManifest: POSTS_MANIFEST, imageTag: 'v1' })));
    await backend.close();
    expect(outcome).toBe('RepositoryNotFoundException');
  });
});
