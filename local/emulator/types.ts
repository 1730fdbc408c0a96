/** Public types of the in-process AWS emulator. */
export type ServiceName = 'ecs' | 'elbv2' | 'ecr' | 'dynamodb' | 'cloudwatch' | 'ec2';

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

/**
 * A listener or rule action as the emulator keeps it: what AWS would answer in Describe* (`order` always set, defaults
 * filled in), plus what AWS keeps and never answers (an OIDC client secret).
 */
export type ActionState =
  | {
      type: 'forward';
      order: number;
      targetGroups: Array<{ arn: string; weight: number }>;
      /** ForwardConfig.TargetGroupStickinessConfig (group-level stickiness), `{ enabled: false }` when not given. */
      stickiness: { enabled: boolean; durationSeconds?: number };
    }
  | { type: 'fixed-response'; order: number; statusCode: string; contentType?: string; messageBody?: string }
  | { type: 'redirect'; order: number; config: Record<'Protocol' | 'Port' | 'Host' | 'Path' | 'Query' | 'StatusCode', string> }
  /** `config` as Describe* answers it (no ClientSecret, no UseExistingClientSecret); the secret is kept apart. */
  | { type: 'authenticate-oidc'; order: number; config: Record<string, unknown>; clientSecret: string }
  | { type: 'authenticate-cognito'; order: number; config: Record<string, unknown> };

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
