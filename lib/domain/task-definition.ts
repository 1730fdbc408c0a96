import type { Manifest } from './manifest';

/** The task definition the manifest asks for, in the shape of ECS RegisterTaskDefinition's input. */
export interface TaskDefinitionSpec {
  family: string;
  networkMode: 'bridge' | 'awsvpc';
  requiresCompatibilities: ('EC2' | 'FARGATE')[];
  executionRoleArn: string;
  taskRoleArn?: string;
  cpu?: string;
  memory?: string;
  containerDefinitions: {
    name: string;
    image: string;
    essential: boolean;
    memory: number;
    cpu: number;
    portMappings: { containerPort: number; hostPort: number; protocol: 'tcp' }[];
  }[];
}

export interface RoleArns {
  readonly executionRoleArn: string;
  readonly taskRoleArn?: string;
}

export function taskDefinitionSpec(manifest: Manifest, imageUri: string, roles: RoleArns): TaskDefinitionSpec {
  const fargate = manifest.launchType === 'FARGATE';
  return {
    family: manifest.family,
    networkMode: manifest.networkMode,
    requiresCompatibilities: [manifest.launchType],
    executionRoleArn: roles.executionRoleArn,
    ...(roles.taskRoleArn ? { taskRoleArn: roles.taskRoleArn } : {}),
    // Fargate needs task-level sizes; EC2 + bridge uses the container's hard limit, as in the tutorial.
    ...(fargate ? { cpu: String(manifest.cpu), memory: String(manifest.memory) } : {}),
    containerDefinitions: [
      {
        name: manifest.name,
        image: imageUri,
        essential: true,
        memory: manifest.memory,
        cpu: manifest.cpu,
        // hostPort 0 = dynamic host port in bridge mode (the tutorial's setting); awsvpc requires host == container.
        portMappings: [{ containerPort: manifest.containerPort, hostPort: manifest.networkMode === 'bridge' ? 0 : manifest.containerPort, protocol: 'tcp' }],
      },
    ],
  };
}

/** The parts of a registered revision we compare to decide whether a new revision is needed. */
export interface ObservedTaskDefinition {
  readonly taskDefinitionArn: string;
  readonly networkMode?: string;
  readonly executionRoleArn?: string;
  readonly taskRoleArn?: string;
  readonly requiresCompatibilities?: readonly string[];
  /** Task-level sizes (Fargate), as ECS returns them: strings. */
  readonly cpu?: string;
  readonly memory?: string;
  readonly containers: readonly { name?: string; image?: string; memory?: number; cpu?: number; containerPort?: number; hostPort?: number }[];
}

/** True when the latest revision already runs this image with this manifest's settings: skip registering. */
export function revisionMatches(observed: ObservedTaskDefinition, spec: TaskDefinitionSpec): boolean {
  const wanted = spec.containerDefinitions[0];
  const container = observed.containers[0];
  if (!wanted || !container || observed.containers.length !== 1) return false;
  const port = wanted.portMappings[0];
  const sameCompatibilities = [...(observed.requiresCompatibilities ?? [])].sort().join(',') === [...spec.requiresCompatibilities].sort().join(',');
  return (
    sameCompatibilities &&
    (observed.cpu ?? undefined) === (spec.cpu ?? undefined) &&
    (observed.memory ?? undefined) === (spec.memory ?? undefined) &&
    observed.networkMode === spec.networkMode &&
    observed.executionRoleArn === spec.executionRoleArn &&
    (observed.taskRoleArn ?? undefined) === (spec.taskRoleArn ?? undefined) &&
    container.name === wanted.name &&
    container.image === wanted.image &&
    container.memory === wanted.memory &&
    container.cpu === wanted.cpu &&
    container.containerPort === port?.containerPort &&
    container.hostPort === port?.hostPort
  );
}

/** "arn:aws:ecs:…:task-definition/posts:7" → "posts:7". */
export function familyRevisionOf(taskDefinitionArn: string): string {
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
}
