/** Emulated ECR: repositories and images put there by pushImage(); read by DescribeImages / DescribeRepositories / BatchGetImage. */
import { createHash } from 'node:crypto';
import type {
  BatchGetImageCommandInput, CreateRepositoryCommandInput, PutImageCommandInput, DescribeImagesCommandInput, DescribeRepositoriesCommandInput, Image, ImageDetail, ImageFailure, ImageIdentifier, Repository,
} from '@aws-sdk/client-ecr';
import type { EcrImageRecord, EmulatorContext } from './context';
import { ecrError } from './errors';
import type { Handlers } from './handlers';

const MANIFEST_MEDIA_TYPE = 'application/vnd.docker.distribution.manifest.v2+json';

export function pushImage(ctx: EmulatorContext, repository: string, digest: string, tag?: string): void {
  const repo = ctx.ecrRepositories.get(repository) ?? { createdAt: ctx.simulatedUntil, images: [] };
  ctx.ecrRepositories.set(repository, repo);
  // a tag names one image at a time (MUTABLE repositories): pushing it again moves it
  if (tag !== undefined) for (const image of repo.images) image.tags = image.tags.filter((existing) => existing !== tag);
  const image = repo.images.find((existing) => existing.digest === digest);
  if (image) {
    if (tag !== undefined) image.tags.push(tag);
    image.pushedAt = ctx.simulatedUntil;
  } else {
    repo.images.push({ digest, tags: tag === undefined ? [] : [tag], pushedAt: ctx.simulatedUntil });
  }
}

function requireRepository(ctx: EmulatorContext, name: string | undefined): { createdAt: number; images: EcrImageRecord[] } {
  const repo = name === undefined ? undefined : ctx.ecrRepositories.get(name);
  if (!repo) throw ecrError('RepositoryNotFoundException', `The repository with name '${String(name)}' does not exist in the registry with id '${ctx.accountId}'`);
  return repo;
}

/**
 * ECR's registry host: `amazonaws.com.cn` in the China regions, `amazonaws.com` elsewhere (GovCloud included), as in
 * the SDKs' partition data (botocore/data/partitions.json) and the ECR user guide's China edition. Written out here
 * rather than imported from lib/, so the emulator stays an independent model of AWS for the pipeline's tests.
 */
const registryDnsSuffix = (region: string): string => (/^cn-\w+-\d+$/.test(region) ? 'amazonaws.com.cn' : 'amazonaws.com');

function toSdkRepository(ctx: EmulatorContext, name: string, createdAt: number): Repository {
  return {
    repositoryArn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`, registryId: ctx.accountId, repositoryName: name,
    repositoryUri: `${ctx.accountId}.dkr.ecr.${ctx.region}.${registryDnsSuffix(ctx.region)}/${name}`, createdAt: new Date(createdAt), imageTagMutability: 'MUTABLE',
  };
}

function findImage(images: EcrImageRecord[], id: ImageIdentifier): EcrImageRecord | undefined {
  return images.find((image) => (id.imageDigest === undefined || image.digest === id.imageDigest) && (id.imageTag === undefined || image.tags.includes(id.imageTag)));
}

function describeImages(ctx: EmulatorContext, input: DescribeImagesCommandInput): { imageDetails: ImageDetail[] } {
  const repo = requireRepository(ctx, input.repositoryName);
  const images = input.imageIds
    ? input.imageIds.map((id) => {
      const image = findImage(repo.images, id);
      if (!image) {
        throw ecrError('ImageNotFoundException', `The image with imageId {imageDigest:'${String(id.imageDigest ?? 'null')}', imageTag:'${String(id.imageTag ?? 'null')}'} does not exist within the repository with name '${String(input.repositoryName)}' in the registry with id '${ctx.accountId}'`);
      }
      return image;
    })
    : repo.images;
  return {
    imageDetails: images.map((image) => ({
      registryId: ctx.accountId, repositoryName: input.repositoryName, imageDigest: image.digest, imageTags: image.tags.length > 0 ? [...image.tags] : undefined,
      imageSizeInBytes: 50_000_000, imagePushedAt: new Date(image.pushedAt), imageManifestMediaType: MANIFEST_MEDIA_TYPE,
    })),
  };
}

function describeRepositories(ctx: EmulatorContext, input: DescribeRepositoriesCommandInput): { repositories: Repository[] } {
  const names = input.repositoryNames ?? [...ctx.ecrRepositories.keys()];
  return { repositories: names.map((name) => toSdkRepository(ctx, name, requireRepository(ctx, name).createdAt)) };
}

function batchGetImage(ctx: EmulatorContext, input: BatchGetImageCommandInput): { images: Image[]; failures: ImageFailure[] } {
  const repo = requireRepository(ctx, input.repositoryName);
  const images: Image[] = [];
  const failures: ImageFailure[] = [];
  for (const id of input.imageIds ?? []) {
    const image = findImage(repo.images, id);
    if (!image) {
      failures.push({ imageId: { ...id }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
      continue;
    }
    images.push({
      registryId: ctx.accountId, repositoryName: input.repositoryName, imageId: { imageDigest: image.digest, imageTag: id.imageTag },
      imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST_MEDIA_TYPE }), imageManifestMediaType: MANIFEST_MEDIA_TYPE,
    });
  }
  return { images, failures };
}

// ECR repository names (API_CreateRepository): 2-256 chars, lowercase components separated by / . _ -
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

function createRepository(ctx: EmulatorContext, input: CreateRepositoryCommandInput): { repository: Repository } {
  const name = input.repositoryName ?? '';
  if (!REPOSITORY_NAME.test(name)) throw ecrError('InvalidParameterException', `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression'`);
  if (ctx.ecrRepositories.has(name)) {
    throw ecrError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.accountId}'`);
  }
  ctx.ecrRepositories.set(name, { createdAt: ctx.simulatedUntil, images: [] });
  return { repository: toSdkRepository(ctx, name, ctx.simulatedUntil) };
}

/** A push by manifest, as `docker push` ends: the digest is the manifest's sha256 (API_PutImage). */
function putImage(ctx: EmulatorContext, input: PutImageCommandInput): { image: Image } {
  requireRepository(ctx, input.repositoryName);
  const manifest = input.imageManifest ?? '';
  const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  pushImage(ctx, input.repositoryName as string, digest, input.imageTag);
  return {
    image: {
      registryId: ctx.accountId, repositoryName: input.repositoryName, imageId: { imageDigest: digest, imageTag: input.imageTag },
      imageManifest: manifest, imageManifestMediaType: input.imageManifestMediaType ?? MANIFEST_MEDIA_TYPE,
    },
  };
}

export function ecrHandlers(ctx: EmulatorContext): Handlers {
  return {
    CreateRepository: (input: CreateRepositoryCommandInput) => createRepository(ctx, input),
    PutImage: (input: PutImageCommandInput) => putImage(ctx, input),
    DescribeImages: (input: DescribeImagesCommandInput) => describeImages(ctx, input),
    DescribeRepositories: (input: DescribeRepositoriesCommandInput) => describeRepositories(ctx, input),
    BatchGetImage: (input: BatchGetImageCommandInput) => batchGetImage(ctx, input),
  };
}
