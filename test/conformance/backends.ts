/**
 * The two AWS implementations a conformance scenario runs against: moto (server mode, the
 * independent reference) and the project's in-process emulator (local/emulator).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createEmulator, type AwsEmulator } from '../../local/emulator';
import { startMotoServer } from './moto-server';

export type BackendName = 'moto' | 'emulator';

export interface AwsClients {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  ecr: ECRClient;
  dynamodb: DynamoDBClient;
  cloudwatch: CloudWatchClient;
}

export interface Backend {
  readonly name: BackendName;
  /** Valid until the next reset(). */
  readonly clients: AwsClients;
  createVpc(): Promise<string>;
  /** Two subnets in different zones: an application load balancer needs both (and moto checks they exist). */
  createSubnets(vpcId: string): Promise<string[]>;
  /**
   * An image as `docker push` leaves it: in moto through CreateRepository + PutImage, in the emulator
   * (which has no push API; images come from the registry side) by seeding it. Returns the digest.
   */
  pushImage(repositoryName: string, manifest: string, tag: string): Promise<string>;
  /** Forgets every resource, so each scenario starts from an empty account. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const REGION = 'us-east-1';
// moto ignores credentials, but the SDK refuses to sign without some.
const DUMMY_CREDENTIALS = { accessKeyId: 'conformance', secretAccessKey: 'conformance' };

export async function createMotoBackend(): Promise<Backend> {
  const server = await startMotoServer();
  // maxAttempts 1: a retried call would hide the error code the scenario asserts on.
  const config = { endpoint: server.endpoint, region: REGION, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 };
  const clients: AwsClients = {
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    ecr: new ECRClient(config),
    dynamodb: new DynamoDBClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
  const ec2 = (params: Record<string, string>) => callEc2Query(server.endpoint, params);
  return {
    name: 'moto',
    clients,
    createVpc: async () => readXmlField(await ec2({ Action: 'CreateVpc', CidrBlock: '10.0.0.0/16' }), 'vpcId'),
    createSubnets: async (vpcId) => {
      const subnetIds: string[] = [];
      for (const [index, zone] of ['us-east-1a', 'us-east-1b'].entries()) {
        const xml = await ec2({ Action: 'CreateSubnet', VpcId: vpcId, CidrBlock: `10.0.${index}.0/24`, AvailabilityZone: zone });
        subnetIds.push(readXmlField(xml, 'subnetId'));
      }
      return subnetIds;
    },
    pushImage: async (repositoryName, manifest, tag) => {
      await clients.ecr.send(new CreateRepositoryCommand({ repositoryName })).catch((error: unknown) => {
        if (!(error instanceof Error && error.name === 'RepositoryAlreadyExistsException')) throw error;
      });
      const pushed = await clients.ecr.send(new PutImageCommand({ repositoryName, imageManifest: manifest, imageTag: tag }));
      const digest = pushed.image?.imageId?.imageDigest;
      if (!digest) throw new Error(`PutImage ${repositoryName}:${tag} on moto: no digest in the response`);
      return digest;
    },
    reset: () => server.reset(),
    close: async () => {
      destroyClients(clients);
      await server.stop();
    },
  };
}

export function destroyClients({ ecs, elbv2, ecr, dynamodb, cloudwatch }: AwsClients): void {
  ecs.destroy();
  elbv2.destroy();
  ecr.destroy();
  dynamodb.destroy();
  cloudwatch.destroy();
}

/** A fresh emulator per reset(): nothing carries over, including its virtual clock. */
export interface EmulatorBackend extends Backend {
  /** The current emulator, for what only it has (the virtual clock). */
  readonly emulator: AwsEmulator;
}

export function createEmulatorBackend(): EmulatorBackend {
  let emulator: AwsEmulator = createEmulator();
  let clients: AwsClients = emulator.clients();
  return {
    name: 'emulator',
    get clients() {
      return clients;
    },
    get emulator() {
      return emulator;
    },
    createVpc: async () => emulator.createVpc('10.0.0.0/16'),
    createSubnets: async (vpcId) => [emulator.createSubnet(vpcId), emulator.createSubnet(vpcId)],
    pushImage: async (repositoryName, manifest, tag) => {
      // The digest AWS assigns: the SHA-256 of the manifest bytes.
      const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
      emulator.pushImage(repositoryName, digest, tag);
      return digest;
    },
    reset: async () => {
      destroyClients(clients);
      emulator = createEmulator();
      clients = emulator.clients();
    },
    close: async () => destroyClients(clients),
  };
}

/**
 * EC2 Query API call without @aws-sdk/client-ec2 (not a project dependency). moto routes a request
 * to a service by the credential scope of its Authorization header and does not verify signatures.
 */
export async function callEc2Query(endpoint: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: `AWS4-HMAC-SHA256 Credential=${DUMMY_CREDENTIALS.accessKeyId}/20240101/${REGION}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ ...params, Version: '2016-11-15' }).toString(),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`EC2 ${params.Action ?? '?'} on moto: HTTP ${response.status}: ${body}`);
  return body;
}

export function readXmlField(xml: string, field: string): string {
  const value = new RegExp(`<${field}>([^<]+)</${field}>`).exec(xml)?.[1];
  if (!value) throw new Error(`EC2 response on moto: no <${field}> in ${xml.slice(0, 300)}`);
  return value;
}
