/** Public types of the in-process AWS emulator. */
export type ServiceName = 'ecs' | 'elbv2' | 'ecr' | 'dynamodb' | 'ec2';

export interface BucketConfig {
  burst: number;
  refillPerSecond: number;
}
export type BucketName = 'ecs:read' | 'ecs:write' | 'elbv2:read' | 'elbv2:write' | 'ecr:read' | 'ecr:write' | 'dynamodb:read' | 'dynamodb:write';
export interface ThrottleConfig {
  buckets?: Partial<Record<BucketName, BucketConfig>>;
}

export interface EmulatorOptions {
  accountId?: string;
  region?: string;
  now?: () => number;
  taskStartSeconds?: number;
  throttling?: boolean | ThrottleConfig;
}

export type FaultRule =
  | { operation: string; kind: 'throttle'; times: number }
  | { operation: string; kind: 'permanent'; code?: string; times?: number }
  | { operation: string; kind: 'hang'; applyFirst?: boolean; times?: number };

export interface CallRecord {
  service: ServiceName;
  operation: string;
  mutating: boolean;
  at: number;
  error?: string;
}

export interface RoutedTargetGroup {
  arn: string;
  name: string;
  weight: number;
  healthyTargets: number;
}
export type RouteResult =
  | { kind: 'forward'; targetGroups: RoutedTargetGroup[] }
  | { kind: 'fixed-response'; statusCode: number }
  | { kind: 'redirect' };

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'unused';

export type ActionState =
  | { type: 'forward'; targetGroups: Array<{ arn: string; weight: number }> }
  | { type: 'fixed-response'; statusCode: string; contentType?: string; messageBody?: string }
  | { type: 'redirect'; config: Record<string, string | undefined> };

export interface EmulatorState {
  now: string;
  loadBalancers: Array<{ arn: string; name: string; dnsName: string; vpcId: string }>;
  listeners: Array<{ arn: string; loadBalancerArn: string; port: number; protocol: string; defaultActions: ActionState[] }>;
  rules: Array<{ arn: string; listenerArn: string; priority: number; conditions: Array<{ field: string; values: string[] }>; actions: ActionState[] }>;
  targetGroups: Array<{
    arn: string;
    name: string;
    port: number;
    protocol: string;
    vpcId: string;
    targetType: string;
    loadBalancerArns: string[];
    healthCheck: { path: string; intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number; matcher: string };
    attributes: Record<string, string>;
    targets: Array<{ id: string; port: number; state: TargetState }>;
  }>;
  clusters: Array<{ arn: string; name: string }>;
  services: Array<{
    arn: string;
    name: string;
    clusterArn: string;
    status: string;
    taskDefinition: string;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
    targetGroupArns: string[];
    deployments: Array<{ id: string; status: string; taskDefinition: string; desiredCount: number; runningCount: number; pendingCount: number; failedTasks: number; rolloutState: string; rolloutStateReason?: string }>;
  }>;
  taskDefinitions: Array<{ arn: string; family: string; revision: number; status: string; images: string[] }>;
  ecrImages: Array<{ repository: string; digest: string; tags: string[] }>;
  dynamodbItems: Record<string, Array<Record<string, unknown>>>;
}
