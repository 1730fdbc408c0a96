import { parseManifest } from '../../../lib/domain/catalog';
import { accountRegionOf, assertImageInRepository, assertOwnImage, pinnedImageUri } from '../../../lib/domain/image';
import type { PushSummary } from '../../../lib/domain/push-event';
import { familyRevisionOf, revisionMatches, taskDefinitionSpec, type ObservedTaskDefinition } from '../../../lib/domain/task-definition';
import { ForeignImageError } from '../../../lib/errors';

const DIGEST = 'sha256:98cf390a9790526325315c828548fb071f36d34285bc323b29e25dc35cff682c';
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${DIGEST}`;
const ROLES = { executionRoleArn: 'arn:aws:iam::123456789012:role/exec' };
const manifest = (overrides: Record<string, unknown> = {}) =>
  parseManifest({ file: 'services/posts/service.yml', content: { name: 'posts', repository: 'posts', paths: ['/api/posts*'], priority: 1, ...overrides } });

describe('taskDefinitionSpec', () => {
  it('uses a dynamic host port (0) and the container hard limit in bridge mode on EC2', () => {
    // Act
    const spec = taskDefinitionSpec(manifest(), IMAGE, ROLES);

    // Assess
    expect(spec).toEqual({
      family: 'posts',
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      executionRoleArn: ROLES.executionRoleArn,
      containerDefinitions: [
        { name: 'posts', image: IMAGE, essential: true, memory: 256, cpu: 256, portMappings: [{ containerPort: 3000, hostPort: 0, protocol: 'tcp' }] },
      ],
    });
  });

  it('sets hostPort to the container port in awsvpc mode', () => {
    // Act
    const spec = taskDefinitionSpec(manifest({ networkMode: 'awsvpc', containerPort: 8080 }), IMAGE, ROLES);

    // Assess
    expect(spec.containerDefinitions[0]?.portMappings).toEqual([{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }]);
    expect(spec.cpu).toBeUndefined();
  });

  it('gives Fargate task-level cpu and memory as strings, and passes a task role', () => {
    // Act
    const spec = taskDefinitionSpec(manifest({ launchType: 'FARGATE', networkMode: 'awsvpc', cpu: 512, memory: 1024 }), IMAGE, { ...ROLES, taskRoleArn: 'arn:aws:iam::123456789012:role/task' });

    // Assess
    expect(spec).toMatchObject({ requiresCompatibilities: ['FARGATE'], cpu: '512', memory: '1024', taskRoleArn: 'arn:aws:iam::123456789012:role/task' });
  });
});

describe('revisionMatches', () => {
  const spec = taskDefinitionSpec(manifest(), IMAGE, ROLES);
  const registered = (overrides: Partial<ObservedTaskDefinition> = {}, container: Record<string, unknown> = {}): ObservedTaskDefinition => ({
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/posts:7',
    networkMode: 'bridge',
    requiresCompatibilities: ['EC2'],
    executionRoleArn: ROLES.executionRoleArn,
    containers: [{ name: 'posts', image: IMAGE, memory: 256, cpu: 256, containerPort: 3000, hostPort: 0, ...container }],
    ...overrides,
  });

  it.each<[string, ObservedTaskDefinition, boolean]>([
    ['the same image and settings', registered(), true],
    ['another image', registered({}, { image: IMAGE.replace('98cf', '00cf') }), false],
    ['another memory', registered({}, { memory: 512 }), false],
    ['another cpu', registered({}, { cpu: 128 }), false],
    ['another container port', registered({}, { containerPort: 8080 }), false],
    ['a fixed host port', registered({}, { hostPort: 3000 }), false],
    ['another network mode', registered({ networkMode: 'awsvpc' }), false],
    ['another execution role', registered({ executionRoleArn: 'arn:aws:iam::123456789012:role/old' }), false],
    ['a task role the spec does not ask for', registered({ taskRoleArn: 'arn:aws:iam::123456789012:role/task' }), false],
    ['another container name', registered({}, { name: 'web' }), false],
    ['a sidecar container', { ...registered(), containers: [...registered().containers, { name: 'sidecar' }] }, false],
    ['no container', { ...registered(), containers: [] }, false],
    ['a revision for another launch type (the manifest moved to Fargate)', registered({ requiresCompatibilities: ['FARGATE'] }), false],
    ['task-level sizes the spec does not ask for', registered({ cpu: '256', memory: '512' }), false],
  ])('%s → %s', (_case, observed, expected) => {
    // Assess
    expect(revisionMatches(observed, spec)).toBe(expected);
  });

  it('reads family:revision out of an ARN', () => {
    // Assess
    expect(familyRevisionOf('arn:aws:ecs:us-east-1:123456789012:task-definition/posts:7')).toBe('posts:7');
  });
});

describe('image', () => {
  const push: PushSummary = { account: '123456789012', region: 'us-east-1', time: '2026-11-26T09:00:00Z', repository: 'posts', digest: DIGEST };
  const home = accountRegionOf('arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/demo/1/2');

  it('pins the image by digest, never by tag', () => {
    // Assess
    expect(home).toEqual({ account: '123456789012', region: 'us-east-1' });
    expect(pinnedImageUri({ ...push, tag: 'latest' })).toBe(IMAGE);
  });

  it.each([
    ['another account', { account: '999999999999' }, /account 999999999999 is not the pipeline's account 123456789012/],
    ['another region', { region: 'eu-west-1' }, /region eu-west-1 is not the pipeline's region us-east-1/],
  ])('refuses a push from %s with ForeignImageError', (_case, overrides, message) => {
    // Assess
    expect(() => assertOwnImage({ ...push, ...overrides }, home)).toThrow(ForeignImageError);
    expect(() => assertOwnImage({ ...push, ...overrides }, home)).toThrow(message);
  });

  it.each([
    ['its own repository', IMAGE, true],
    ['a repository whose name extends its own', IMAGE.replace('/posts@', '/posts-v2@'), false],
    ['a tag', IMAGE.replace(`@${DIGEST}`, ':v1'), false],
    ['another account', IMAGE.replace('123456789012', '999999999999'), false],
  ])('accepts an image URI in %s only when it is the service’s own: %s', (_case, uri, accepted) => {
    // Act
    const check = () => assertImageInRepository(uri, 'posts', home);

    // Assess
    if (accepted) expect(check).not.toThrow();
    else expect(check).toThrow(ForeignImageError);
  });
});
