'use strict';
/**
 * serverless.yml reads everything it knows about the services from here, so the deployed EventBridge
 * pattern, the catalog compiled into the Lambdas and the IAM resource lists come from the same validated
 * manifests (services/<name>/service.yml) as the handlers and the local runner.
 *
 * Used as `${file(config/serverless-catalog.cjs):<export>}`: osls calls each exported function.
 * A ManifestError thrown here fails `sls package` with its message (file, field and limit).
 */
const path = require('node:path');

// The catalog code is TypeScript; tsx compiles it on require.
require('tsx/cjs/api').register();
const { loadCatalogFromDirectory } = require('../lib/config/load-catalog');
const { assertPatternFits, buildPushEventPattern } = require('../lib/domain/event-pattern');
const { alternateTargetGroupName } = require('../lib/domain/manifest');

const projectRoot = path.join(__dirname, '..');

let cached;
/** Loads and validates the catalog once per packaging run (servicesDir is overridable for tests). */
const servicesDirectory = () => process.env.ROLLOUT_SERVICES_DIR || path.join(projectRoot, 'services');

function catalog(servicesDir = servicesDirectory()) {
  if (!cached || cached.servicesDir !== servicesDir) {
    try {
      cached = { servicesDir, catalog: loadCatalogFromDirectory(servicesDir, path.dirname(servicesDir)) };
    } catch (error) {
      throw withoutStack(error);
    }
  }
  return cached.catalog;
}

/**
 * osls prints a resolver's error with its stack, once per variable that uses the catalog; a manifest
 * mistake is the user's, not the code's, so keep just "ManifestError: invalid manifest <file>: <field>: <limit>".
 */
function withoutStack(error) {
  if (!(error instanceof Error) || error.name !== 'ManifestError') return error;
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/** `arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<resource>` as a CloudFormation value. */
function regionalArn(service, resource) {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, `:${service}:`, { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${resource}`],
    ],
  };
}

/**
 * Listener rules live beside their listener:
 *   listener/app/<lb-name>/<lb-id>/<listener-id> -> listener-rule/app/<lb-name>/<lb-id>/<listener-id>/<rule-id>
 * (ELB user guide, "Resource types defined by Elastic Load Balancing V2").
 */
function listenerRuleArnPattern(listenerArn) {
  const match = /^(arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:)listener\/(app\/[^/]+\/[^/]+\/[^/]+)$/.exec(listenerArn);
  if (!match) {
    throw new Error(`invalid parameter listenerArn "${listenerArn}": expected arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>`);
  }
  return `${match[1]}listener-rule/${match[2]}/*`;
}

module.exports = {
  catalog,
  regionalArn,
  listenerRuleArnPattern,
  /** The rule's pattern: a successful PUSH to one of the manifests' repositories. */
  eventPattern: () => {
    const pattern = buildPushEventPattern(catalog());
    try {
      assertPatternFits(pattern, servicesDirectory());
    } catch (error) {
      throw withoutStack(error);
    }
    return pattern;
  },
  /** The validated manifests as a JavaScript expression, for esbuild's define (lib/config/bundled-catalog.ts). */
  catalogDefine: () => JSON.stringify(catalog().services),
  /** Whether any service runs in awsvpc mode (Fargate), so a deployment needs subnets and security groups. */
  needsNetworking: () => catalog().services.some((service) => service.networkMode === 'awsvpc'),
  /** ecr:DescribeImages is scoped to the manifests' repositories. */
  repositoryArns: () => catalog().services.map((service) => regionalArn('ecr', `repository/${service.repository}`)),
  /**
   * Target-group mutations are scoped to each manifest's target group name (the id suffix is AWS's) and, for a
   * microservice, its alternate group's (ECS's own blue/green, canary and linear updates need two groups).
   */
  targetGroupArns: () =>
    catalog()
      .services.flatMap((service) => (service.role === 'monolith' ? [service.targetGroupName] : [service.targetGroupName, alternateTargetGroupName(service)]))
      .map((name) => regionalArn('elasticloadbalancing', `targetgroup/${name}/*`)),
  /** Rules on the configured listener only. */
  listenerRuleArn: async ({ resolveVariable }) => listenerRuleArnPattern(await resolveVariable('param:listenerArn')),
};
