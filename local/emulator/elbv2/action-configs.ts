/**
 * The configs of authenticate-oidc, authenticate-cognito and redirect actions: validated as the ELB API reference
 * describes them (AuthenticateOidcActionConfig, AuthenticateCognitoActionConfig, RedirectActionConfig), and kept the
 * way Describe* answers them: the documented defaults filled in, an OIDC client secret kept but never answered.
 * Error codes are the ones CreateRule/ModifyRule document; message wording we have not seen from AWS is ours.
 */
import type { AuthenticateCognitoActionConfig, AuthenticateOidcActionConfig, RedirectActionConfig } from '@aws-sdk/client-elastic-load-balancing-v2';
import { elbv2Error } from '../errors';
import type { ActionState } from '../types';

// AuthenticateOidcActionConfig / AuthenticateCognitoActionConfig: documented defaults; up to 10 extra params.
const SESSION_DEFAULTS = { SessionCookieName: 'AWSELBAuthSessionCookie', Scope: 'openid', SessionTimeout: 604800, OnUnauthenticatedRequest: 'authenticate' };
const MAX_EXTRA_PARAMS = 10;
const MAX_SESSION_TIMEOUT = 604800;
const UNAUTHENTICATED_BEHAVIOURS = ['deny', 'allow', 'authenticate'];

function required(config: object | undefined, keys: readonly string[], what: string): Record<string, unknown> {
  const values = (config ?? {}) as Record<string, unknown>;
  for (const key of keys) {
    if (typeof values[key] !== 'string' || values[key] === '') throw elbv2Error('ValidationError', `${what}: ${key} must be specified`);
  }
  return values;
}

function sessionSettings(config: Record<string, unknown>, what: string): Record<string, unknown> {
  const extra = config.AuthenticationRequestExtraParams as Record<string, string> | undefined;
  if (extra && Object.keys(extra).length > MAX_EXTRA_PARAMS) throw elbv2Error('ValidationError', `${what}: at most ${MAX_EXTRA_PARAMS} AuthenticationRequestExtraParams`);
  const timeout = config.SessionTimeout ?? SESSION_DEFAULTS.SessionTimeout;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > MAX_SESSION_TIMEOUT) {
    throw elbv2Error('ValidationError', `${what}: SessionTimeout must be between 1 and ${MAX_SESSION_TIMEOUT} seconds`);
  }
  const behaviour = config.OnUnauthenticatedRequest ?? SESSION_DEFAULTS.OnUnauthenticatedRequest;
  if (typeof behaviour !== 'string' || !UNAUTHENTICATED_BEHAVIOURS.includes(behaviour)) {
    throw elbv2Error('ValidationError', `${what}: OnUnauthenticatedRequest must be one of ${UNAUTHENTICATED_BEHAVIOURS.join(', ')}`);
  }
  return {
    SessionCookieName: config.SessionCookieName ?? SESSION_DEFAULTS.SessionCookieName,
    Scope: config.Scope ?? SESSION_DEFAULTS.Scope,
    SessionTimeout: timeout,
    ...(extra ? { AuthenticationRequestExtraParams: { ...extra } } : {}),
    OnUnauthenticatedRequest: behaviour,
  };
}

/**
 * authenticate-oidc: the IdP's endpoints must be https URLs. The client secret is required unless the write sets
 * UseExistingClientSecret, which takes the secret of the OIDC action the rule (or default action) has now; both at
 * once is refused (InvalidLoadBalancerAction, as AWS words it). Describe* never answers the secret.
 */
export function parseOidc(input: AuthenticateOidcActionConfig | undefined, order: number, existing: readonly ActionState[]): ActionState {
  const what = 'authenticate-oidc';
  const config = required(input, ['Issuer', 'AuthorizationEndpoint', 'TokenEndpoint', 'UserInfoEndpoint', 'ClientId'], what);
  for (const key of ['Issuer', 'AuthorizationEndpoint', 'TokenEndpoint', 'UserInfoEndpoint']) {
    if (!/^https:\/\/[^/\s]+/.test(config[key] as string)) throw elbv2Error('ValidationError', `${what}: ${key} must be a full https URL`);
  }
  const secret = typeof config.ClientSecret === 'string' && config.ClientSecret !== '' ? config.ClientSecret : undefined;
  const useExisting = config.UseExistingClientSecret === true;
  if (secret !== undefined && useExisting) throw elbv2Error('InvalidLoadBalancerActionException', 'You cannot both specify a client secret and set UseExistingClientSecret to true');
  const current = existing.find((action) => action.type === 'authenticate-oidc');
  const clientSecret = secret ?? (useExisting && current?.type === 'authenticate-oidc' ? current.clientSecret : undefined);
  if (clientSecret === undefined) throw elbv2Error('InvalidLoadBalancerActionException', 'You must either specify a client secret or set UseExistingClientSecret to true');
  const echoed = {
    Issuer: config.Issuer, AuthorizationEndpoint: config.AuthorizationEndpoint, TokenEndpoint: config.TokenEndpoint,
    UserInfoEndpoint: config.UserInfoEndpoint, ClientId: config.ClientId, ...sessionSettings(config, what),
  };
  return { type: 'authenticate-oidc', order, config: echoed, clientSecret };
}

/** authenticate-cognito: the user pool, its app client and its domain; Cognito holds the client's secret itself. */
export function parseCognito(input: AuthenticateCognitoActionConfig | undefined, order: number): ActionState {
  const what = 'authenticate-cognito';
  const config = required(input, ['UserPoolArn', 'UserPoolClientId', 'UserPoolDomain'], what);
  if (!/^arn:aws[a-z-]*:cognito-idp:/.test(config.UserPoolArn as string)) throw elbv2Error('ValidationError', `${what}: UserPoolArn must be a Cognito user pool ARN`);
  const echoed = { UserPoolArn: config.UserPoolArn, UserPoolClientId: config.UserPoolClientId, UserPoolDomain: config.UserPoolDomain, ...sessionSettings(config, what) };
  return { type: 'authenticate-cognito', order, config: echoed };
}

// RedirectActionConfig: components a redirect leaves alone keep their #{...} keyword, which is what Describe* answers.
const KEEP = { Protocol: '#{protocol}', Port: '#{port}', Host: '#{host}', Path: '/#{path}', Query: '#{query}' };

export function parseRedirect(input: RedirectActionConfig | undefined, order: number): ActionState {
  const statusCode = input?.StatusCode ?? '';
  if (statusCode !== 'HTTP_301' && statusCode !== 'HTTP_302') throw elbv2Error('ValidationError', `Redirect status code '${statusCode}' must be HTTP_301 or HTTP_302`);
  const config = {
    Protocol: input?.Protocol ?? KEEP.Protocol, Port: input?.Port ?? KEEP.Port, Host: input?.Host ?? KEEP.Host,
    Path: input?.Path ?? KEEP.Path, Query: input?.Query ?? KEEP.Query, StatusCode: statusCode,
  };
  if (!['Protocol', 'Port', 'Host', 'Path'].some((key) => config[key as keyof typeof KEEP] !== KEEP[key as keyof typeof KEEP])) {
    // "You must modify at least one of the following components to avoid a redirect loop" (RedirectActionConfig).
    throw elbv2Error('InvalidLoadBalancerActionException', 'A redirect must change at least one of protocol, host, port or path');
  }
  return { type: 'redirect', order, config };
}
