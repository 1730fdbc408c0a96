import { DescribeImagesCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import {
  ClusterNotFoundException, CreateServiceCommand, DeleteServiceCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand,
  InvalidParameterException, ListTaskDefinitionsCommand, UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { albWithListener, clusterWithTaskDefinitions, createTargetGroup, rejection } from './fixtures';

const IMAGE = 'posts:v1';

describe('ECS validations', () => {
  it('numbers task definition revisions per family and lists them newest first', async () => {
    const { emulator, clients } = await albWithListener();
    const arns = await clusterWithTaskDefinitions(emulator, [IMAGE, IMAGE]);
    expect(arns).toEqual(['arn:aws:ecs:us-east-1:123456789012:task-definition/posts:1', 'arn:aws:ecs:us-east-1:123456789012:task-definition/posts:2']);
    const { taskDefinitionArns } = await clients.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'posts', sort: 'DESC' }));
    expect(taskDefinitionArns).toEqual([...arns].reverse());
    expect((await rejection(clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'posts:9' })))).name).toBe('ClientException');
  });

  it('reports missing clusters and services as failures with reason MISSING', async () => {
    const { emulator, clients } = await albWithListener();
    await clusterWithTaskDefinitions(emulator, [IMAGE]);
    expect((await clients.ecs.send(new DescribeClustersCommand({ clusters: ['nope'] }))).failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/nope', reason: 'MISSING' }]);
    const { failures } = await clients.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['ghost'] }));
    expect(failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/demo/ghost', reason: 'MISSING' }]);
  });

  it('throws ClusterNotFoundException for a service in an unknown cluster', async () => {
    const { emulator, clients } = await albWithListener();
    await clusterWithTaskDefinitions(emulator, [IMAGE]);
    const error = await rejection(clients.ecs.send(new CreateServiceCommand({ cluster: 'nope', serviceName: 'posts', taskDefinition: 'posts', desiredCount: 1 })));
    expect(error).toBeInstanceOf(ClusterNotFoundException);
  });

  it('refuses a target group that no listener action references', async () => {
    const { emulator, clients, vpcId } = await albWithListener();
    await clusterWithTaskDefinitions(emulator, [IMAGE]);
    const orphan = await createTargetGroup(emulator, vpcId, 'posts');
    const error = await rejection(clients.ecs.send(new CreateServiceCommand({
      cluster: 'demo', serviceName: 'posts', taskDefinition: 'posts', desiredCount: 1, loadBalancers: [{ targetGroupArn: orphan, containerName: 'posts', containerPort: 3000 }],
    })));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(`The target group with targetGroupArn ${orphan} does not have an associated load balancer.`);
  });

  it('returns the existing service for the same clientToken and parameters, and refuses other duplicates', async () => {
    const { emulator, clients } = await albWithListener();
    await clusterWithTaskDefinitions(emulator, [IMAGE]);
    const input = { cluster: 'demo', serviceName: 'posts', taskDefinition: 'posts', desiredCount: 1, clientToken: 'token-1' };
    const created = await clients.ecs.send(new CreateServiceCommand(input));
    expect((await clients.ecs.send(new CreateServiceCommand(input))).service?.serviceArn).toBe(created.service?.serviceArn);
    const error = await rejection(clients.ecs.send(new CreateServiceCommand({ ...input, clientToken: 'token-2' })));
    expect(error).toMatchObject({ name: 'InvalidParameterException', message: 'Creation of service was not idempotent.' });
  });

  it('needs force or desired 0 to delete, and reports ServiceNotFound / ServiceNotActive on update', async () => {
    const { emulator, clients } = await albWithListener();
    await clusterWithTaskDefinitions(emulator, [IMAGE]);
    await clients.ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'posts', taskDefinition: 'posts', desiredCount: 1 }));
    expect((await rejection(clients.ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: 'posts' })))).name).toBe('InvalidParameterException');
    expect((await clients.ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: 'posts', force: true }))).service?.status).toBe('DRAINING');
    expect((await rejection(clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'posts', desiredCount: 1 })))).name).toBe('ServiceNotActiveException');
    expect((await rejection(clients.ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'other', desiredCount: 1 })))).name).toBe('ServiceNotFoundException');
  });

  it('completes a service without load balancer once its tasks run', async () => {
    const { emulator, clients } = await albWithListener();
    await clusterWithTaskDefinitions(emulator, [IMAGE]);
    await clients.ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'worker', taskDefinition: 'posts', desiredCount: 3 }));
    emulator.advance(10_000);
    expect(emulator.snapshot().services[0]).toMatchObject({ runningCount: 3, deployments: [{ rolloutState: 'COMPLETED' }] });
  });
});

describe('ECR', () => {
  it('describes pushed images by tag or digest and derives the repository URI', async () => {
    const { emulator, clients } = await albWithListener();
    emulator.pushImage('posts', 'sha256:aaaa', 'v1');
    const { imageDetails } = await clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'posts', imageIds: [{ imageTag: 'v1' }] }));
    expect(imageDetails?.[0]).toMatchObject({ imageDigest: 'sha256:aaaa', imageTags: ['v1'] });
    expect(imageDetails?.[0]?.imagePushedAt).toBeInstanceOf(Date);
    const { repositories } = await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['posts'] }));
    expect(repositories?.[0]?.repositoryUri).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/posts');
  });

  it('throws ImageNotFoundException and RepositoryNotFoundException', async () => {
    const { emulator, clients } = await albWithListener();
    emulator.pushImage('posts', 'sha256:aaaa');
    expect((await rejection(clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'posts', imageIds: [{ imageDigest: 'sha256:bbbb' }] })))).name).toBe('ImageNotFoundException');
    expect((await rejection(clients.ecr.send(new DescribeImagesCommand({ repositoryName: 'users' })))).name).toBe('RepositoryNotFoundException');
  });
});
