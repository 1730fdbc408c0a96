/**
 * An ELBv2 listener/rule action, every field as DescribeRules / DescribeListeners answer it (the API reference's
 * Action shape, written out here because the domain imports nothing from the AWS SDK). The pipeline carries it
 * whole: it edits only a forward's target groups and weights, and restores exactly what it recorded.
 */
export interface RuleAction {
  Type: string;
  Order?: number;
  TargetGroupArn?: string;
  ForwardConfig?: {
    TargetGroups?: { TargetGroupArn?: string; Weight?: number }[];
    TargetGroupStickinessConfig?: { Enabled?: boolean; DurationSeconds?: number };
  };
  FixedResponseConfig?: { StatusCode: string | undefined; ContentType?: string; MessageBody?: string };
  RedirectConfig?: { Protocol?: string; Port?: string; Host?: string; Path?: string; Query?: string; StatusCode: string | undefined };
  /** Describe* never answers ClientSecret; a write of this action without one must set UseExistingClientSecret. */
  AuthenticateOidcConfig?: {
    Issuer: string | undefined;
    AuthorizationEndpoint: string | undefined;
    TokenEndpoint: string | undefined;
    UserInfoEndpoint: string | undefined;
    ClientId: string | undefined;
    ClientSecret?: string;
    SessionCookieName?: string;
    Scope?: string;
    SessionTimeout?: number;
    AuthenticationRequestExtraParams?: Record<string, string | undefined>;
    OnUnauthenticatedRequest?: string;
    UseExistingClientSecret?: boolean;
  };
  AuthenticateCognitoConfig?: {
    UserPoolArn: string | undefined;
    UserPoolClientId: string | undefined;
    UserPoolDomain: string | undefined;
    SessionCookieName?: string;
    Scope?: string;
    SessionTimeout?: number;
    AuthenticationRequestExtraParams?: Record<string, string | undefined>;
    OnUnauthenticatedRequest?: string;
  };
  /** Any other action type's config (jwt-validation, …) is carried as it came. */
  JwtValidationConfig?: unknown;
}

// The release and its parts are defined once, as schemas; their types are inferred there.
export type { Release, PriorState, HealthGate, TargetGroupSettings, Shift, TrafficStep } from './release-schema';
