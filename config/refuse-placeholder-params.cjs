'use strict';
/**
 * A local serverless plugin: `sls deploy` refuses to run while any parameter it needs still has the placeholder
 * value serverless.yml gives it so that `sls package` works offline (account 123456789012, "tutorial-cluster", …).
 * Deploying those would make a stack whose every step fails against a cluster and listener that do not exist.
 * Packaging is unaffected. The message names each missing --param.
 */

/** Parameters every deployment needs. subnets and securityGroups only when a service runs in awsvpc mode (Fargate). */
const REQUIRED = ['clusterName', 'listenerArn', 'vpcId', 'executionRoleArn', 'taskRoleArn', 'ecsInfrastructureRoleArn'];
const NETWORKING = ['subnets', 'securityGroups'];

/**
 * The parameters still at their placeholder: `defaults` as written in serverless.yml (params.default), `effective`
 * the values the deployment would use (custom.deployParams, resolved from ${param:…}).
 */
function placeholderParams(defaults, effective, needsNetworking) {
  const names = needsNetworking ? [...REQUIRED, ...NETWORKING] : REQUIRED;
  return names.filter((name) => effective[name] === undefined || effective[name] === '' || effective[name] === defaults[name]);
}

function refusal(names) {
  const flags = names.map((name) => `--param="${name}=…"`).join(' ');
  return `sls deploy refuses placeholder parameters (serverless.yml's defaults only let \`sls package\` run offline): pass ${flags}`;
}

class RefusePlaceholderParams {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { initialize: () => this.check() };
  }

  check() {
    const [command, subcommand] = this.serverless.processedInput?.commands ?? [];
    if (command !== 'deploy' || subcommand === 'list') return;
    const defaults = this.serverless.configurationInput?.params?.default ?? {};
    const effective = this.serverless.service.custom?.deployParams ?? {};
    const needsNetworking = (this.serverless.service.custom?.deployNeedsNetworking ?? false) === true;
    const missing = placeholderParams(defaults, effective, needsNetworking);
    if (missing.length > 0) throw new this.serverless.classes.Error(refusal(missing), 'PLACEHOLDER_PARAMS');
  }
}

module.exports = RefusePlaceholderParams;
module.exports.placeholderParams = placeholderParams;
module.exports.refusal = refusal;
