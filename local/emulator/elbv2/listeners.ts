/** ELBv2 load balancers (application only) and listeners. */
import type {
  CreateListenerCommandInput, CreateLoadBalancerCommandInput, DescribeListenersCommandInput, DescribeLoadBalancersCommandInput,
  Listener, LoadBalancer, ModifyListenerCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { nextHex, type EmulatorContext, type ListenerRecord, type LoadBalancerRecord } from '../context';
import { elbv2Error } from '../errors';
import { createVpc } from '../vpcs';
import { parseActions, toSdkActions } from './actions';

const LOAD_BALANCER_NAME = /^(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

export function requireLoadBalancer(ctx: EmulatorContext, arn: string | undefined): LoadBalancerRecord {
  const loadBalancer = arn === undefined ? undefined : ctx.loadBalancers.get(arn);
  if (!loadBalancer) throw elbv2Error('LoadBalancerNotFoundException', `Load balancer '${String(arn)}' not found`);
  return loadBalancer;
}

export function requireListener(ctx: EmulatorContext, arn: string | undefined): ListenerRecord {
  const listener = arn === undefined ? undefined : ctx.listeners.get(arn);
  if (!listener) throw elbv2Error('ListenerNotFoundException', `Listener '${String(arn)}' not found`);
  return listener;
}

function toSdkLoadBalancer(ctx: EmulatorContext, loadBalancer: LoadBalancerRecord): LoadBalancer {
  return {
    LoadBalancerArn: loadBalancer.arn, DNSName: loadBalancer.dnsName, CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K', CreatedTime: new Date(loadBalancer.createdAt),
    LoadBalancerName: loadBalancer.name, Scheme: loadBalancer.scheme as LoadBalancer['Scheme'], VpcId: loadBalancer.vpcId, State: { Code: 'active' },
    Type: 'application', AvailabilityZones: loadBalancer.subnets.map((SubnetId) => ({ SubnetId, ZoneName: `${ctx.region}a` })),
    SecurityGroups: [...loadBalancer.securityGroups], IpAddressType: 'ipv4',
  };
}

export function toSdkListener(listener: ListenerRecord): Listener {
  const tls = listener.certificateArn !== undefined ? { Certificates: [{ CertificateArn: listener.certificateArn }], SslPolicy: listener.sslPolicy } : {};
  return { ListenerArn: listener.arn, LoadBalancerArn: listener.loadBalancerArn, Port: listener.port, Protocol: listener.protocol as Listener['Protocol'], ...tls, DefaultActions: toSdkActions(listener.defaultActions) };
}

// CreateListener: an HTTPS listener needs exactly one (default) certificate; ELBSecurityPolicy-2016-08 is the default policy.
const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';
const HTTPS_CERTIFICATE = 'You must provide a list containing exactly one certificate if the listener protocol is HTTPS.';

function certificateOf(protocol: string, certificates: ReadonlyArray<{ CertificateArn?: string }> | undefined): string | undefined {
  if (protocol !== 'HTTPS') return undefined;
  const arn = certificates?.length === 1 ? certificates[0]?.CertificateArn : undefined;
  if (arn === undefined) throw elbv2Error('ValidationError', HTTPS_CERTIFICATE);
  return arn;
}

export function createLoadBalancer(ctx: EmulatorContext, input: CreateLoadBalancerCommandInput): { LoadBalancers: LoadBalancer[] } {
  const name = input.Name ?? '';
  if (!LOAD_BALANCER_NAME.test(name)) throw elbv2Error('ValidationError', `Load balancer name '${name}' is not valid`);
  if ((input.Type ?? 'application') !== 'application') throw new Error(`emulator does not implement elbv2 load balancer type ${String(input.Type)}`);
  const subnets = input.Subnets ?? [];
  const knownSubnet = subnets.map((id) => ctx.subnets.get(id)).find((subnet) => subnet !== undefined);
  const vpcId = knownSubnet?.vpcId ?? [...ctx.vpcs.keys()][0] ?? createVpc(ctx);
  const existing = [...ctx.loadBalancers.values()].find((loadBalancer) => loadBalancer.name === name);
  if (existing) {
    // CreateLoadBalancer is idempotent for identical settings
    if (existing.vpcId !== vpcId || existing.scheme !== (input.Scheme ?? 'internet-facing')) throw elbv2Error('DuplicateLoadBalancerNameException', `A load balancer with the same name '${name}' exists`);
    return { LoadBalancers: [toSdkLoadBalancer(ctx, existing)] };
  }
  const id = nextHex(ctx, 16);
  const loadBalancer: LoadBalancerRecord = {
    arn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/app/${name}/${id}`, name,
    dnsName: `${name}-${parseInt(id, 16)}.${ctx.region}.elb.amazonaws.com`, vpcId, scheme: input.Scheme ?? 'internet-facing',
    subnets: [...subnets], securityGroups: [...(input.SecurityGroups ?? [])], createdAt: ctx.now(),
  };
  ctx.loadBalancers.set(loadBalancer.arn, loadBalancer);
  return { LoadBalancers: [toSdkLoadBalancer(ctx, loadBalancer)] };
}

export function describeLoadBalancers(ctx: EmulatorContext, input: DescribeLoadBalancersCommandInput): { LoadBalancers: LoadBalancer[] } {
  let loadBalancers = [...ctx.loadBalancers.values()];
  if (input.Names) {
    loadBalancers = input.Names.map((name) => {
      const found = loadBalancers.find((loadBalancer) => loadBalancer.name === name);
      if (!found) throw elbv2Error('LoadBalancerNotFoundException', `Load balancers '[${name}]' not found`);
      return found;
    });
  } else if (input.LoadBalancerArns) {
    loadBalancers = input.LoadBalancerArns.map((arn) => requireLoadBalancer(ctx, arn));
  }
  return { LoadBalancers: loadBalancers.map((loadBalancer) => toSdkLoadBalancer(ctx, loadBalancer)) };
}

export function createListener(ctx: EmulatorContext, input: CreateListenerCommandInput): { Listeners: Listener[] } {
  const loadBalancer = requireLoadBalancer(ctx, input.LoadBalancerArn);
  const port = input.Port ?? 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw elbv2Error('ValidationError', `Port '${port}' must be between 1 and 65535`);
  const protocol = input.Protocol ?? 'HTTP';
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') throw new Error(`emulator does not implement elbv2 listener protocol ${protocol}`);
  const certificateArn = certificateOf(protocol, input.Certificates);
  const defaultActions = parseActions(ctx, input.DefaultActions, { protocol });
  const samePort = [...ctx.listeners.values()].find((listener) => listener.loadBalancerArn === loadBalancer.arn && listener.port === port);
  if (samePort) {
    const identical = samePort.protocol === protocol && JSON.stringify(samePort.defaultActions) === JSON.stringify(defaultActions);
    if (!identical) throw elbv2Error('DuplicateListenerException', `A listener already exists on port ${port} of load balancer '${loadBalancer.arn}'`);
    return { Listeners: [toSdkListener(samePort)] };
  }
  const listenerPath = `${loadBalancer.arn.split(':loadbalancer/')[1] ?? ''}/${nextHex(ctx, 16)}`;
  const listener: ListenerRecord = {
    arn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener/${listenerPath}`, loadBalancerArn: loadBalancer.arn, port, protocol, defaultActions,
    ...(certificateArn !== undefined ? { certificateArn, sslPolicy: input.SslPolicy ?? DEFAULT_SSL_POLICY } : {}),
    defaultRuleArn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener-rule/${listenerPath}/${nextHex(ctx, 16)}`,
  };
  ctx.listeners.set(listener.arn, listener);
  return { Listeners: [toSdkListener(listener)] };
}

export function describeListeners(ctx: EmulatorContext, input: DescribeListenersCommandInput): { Listeners: Listener[] } {
  if (input.ListenerArns) return { Listeners: input.ListenerArns.map((arn) => toSdkListener(requireListener(ctx, arn))) };
  if (input.LoadBalancerArn === undefined) throw elbv2Error('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
  const loadBalancer = requireLoadBalancer(ctx, input.LoadBalancerArn);
  return { Listeners: [...ctx.listeners.values()].filter((listener) => listener.loadBalancerArn === loadBalancer.arn).map(toSdkListener) };
}

export function modifyListener(ctx: EmulatorContext, input: ModifyListenerCommandInput): { Listeners: Listener[] } {
  const listener = requireListener(ctx, input.ListenerArn);
  const protocol = input.Protocol ?? listener.protocol;
  const certificateArn = protocol === 'HTTPS' && input.Certificates === undefined ? listener.certificateArn : certificateOf(protocol, input.Certificates);
  if (protocol === 'HTTPS' && certificateArn === undefined) throw elbv2Error('ValidationError', HTTPS_CERTIFICATE);
  const defaultActions = input.DefaultActions ? parseActions(ctx, input.DefaultActions, { protocol, existing: listener.defaultActions }) : listener.defaultActions;
  if (protocol !== 'HTTPS' && defaultActions.some((action) => action.type.startsWith('authenticate-'))) {
    throw elbv2Error('InvalidLoadBalancerActionException', `Authenticate actions are supported only on HTTPS listeners, not ${protocol}`);
  }
  if (input.Port !== undefined && input.Port !== listener.port) {
    const clash = [...ctx.listeners.values()].some((other) => other.loadBalancerArn === listener.loadBalancerArn && other.port === input.Port);
    if (clash) throw elbv2Error('DuplicateListenerException', `A listener already exists on port ${input.Port}`);
    listener.port = input.Port;
  }
  listener.protocol = protocol;
  listener.defaultActions = defaultActions;
  if (certificateArn !== undefined) {
    listener.certificateArn = certificateArn;
    listener.sslPolicy = input.SslPolicy ?? listener.sslPolicy ?? DEFAULT_SSL_POLICY;
  } else {
    delete listener.certificateArn;
    delete listener.sslPolicy;
  }
  return { Listeners: [toSdkListener(listener)] };
}

export function deleteListener(ctx: EmulatorContext, arn: string | undefined): void {
  const listener = requireListener(ctx, arn);
  for (const rule of [...ctx.rules.values()]) if (rule.listenerArn === listener.arn) ctx.rules.delete(rule.arn);
  ctx.listeners.delete(listener.arn);
}
