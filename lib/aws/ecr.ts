import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { ImageNotFoundError } from '../errors';
import { awsCall, awsErrorCode } from './aws-call';

/** ECR adapter: confirms a pushed digest is really in the repository before anything is deployed. */
export function createEcrAdapter(client: ECRClient) {
  return {
    async assertImageExists(repository: string, digest: string): Promise<void> {
      try {
        await awsCall(`describe image ${repository}@${digest}`, () => client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] })), [
          'ImageNotFoundException',
          'RepositoryNotFoundException',
        ]);
      } catch (error) {
        const code = awsErrorCode(error);
        if (code === 'ImageNotFoundException' || code === 'RepositoryNotFoundException') {
          throw new ImageNotFoundError(`resolve image ${repository}@${digest}: ${code} (deleted since the push, or never pushed)`, { cause: error });
        }
        throw error;
      }
    },
  };
}

export type EcrAdapter = ReturnType<typeof createEcrAdapter>;
