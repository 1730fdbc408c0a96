'use strict';
/**
 * Loads a state machine definition from statemachines/<name>.asl.yaml, with statemachines/policies.yaml in
 * front of it (its anchors are the Retry and Catch policies, written once), and resolves its placeholders:
 *   ${<Name>FunctionArn} -> { "Fn::GetAtt": ["<Name>LambdaFunction", "Arn"] }   (the function osls names <name>)
 *   ${LockTableName}     -> { "Ref": "RolloutLockTable" }
 *   ${CutoverStateMachineArn} -> { "Ref": "CutoverStateMachine" }
 * The local runner and the tests pass their own resolver (real names instead of CloudFormation references).
 *
 * Why not `${file(...)}` + DefinitionSubstitutions: serverless-step-functions 3.28 has no
 * `definitionSubstitutions` option, and osls would try to resolve `${...}` as its own variable. With
 * GetAtt/Ref objects in the definition the plugin builds the `Fn::Sub` itself and grants the state machine's
 * role exactly these functions and this table.
 */
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'statemachines');
const PLACEHOLDER = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;

/** The deployed stack's references: what `sls package` puts in the template. */
function cloudFormationReference(name) {
  const fn = /^([A-Z][A-Za-z0-9]*)FunctionArn$/.exec(name);
  if (fn) return { 'Fn::GetAtt': [`${fn[1]}LambdaFunction`, 'Arn'] };
  if (name === 'LockTableName') return { Ref: 'RolloutLockTable' };
  if (name === 'CutoverStateMachineArn') return { Ref: 'CutoverStateMachine' };
  return undefined;
}

function substitute(node, resolve, file, where) {
  if (Array.isArray(node)) return node.map((item, index) => substitute(item, resolve, file, `${where}[${index}]`));
  if (node === null || typeof node !== 'object') {
    if (typeof node === 'string' && node.includes('${')) {
      const name = PLACEHOLDER.exec(node)?.[1];
      const value = name === undefined ? undefined : resolve(name);
      if (value === undefined) throw new Error(`${file}: ${where}: unsupported placeholder ${node}`);
      return value;
    }
    return node;
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substitute(value, resolve, file, `${where}.${key}`)]));
}

/** The definition with its placeholders as written (`${...}` strings): what tests inspect. */
function loadSource(name) {
  const file = path.join(DIR, `${name}.asl.yaml`);
  const relative = path.relative(ROOT, file);
  const policies = fs.readFileSync(path.join(DIR, 'policies.yaml'), 'utf8');
  let document;
  try {
    document = YAML.parse(`${policies}\n${fs.readFileSync(file, 'utf8')}`, { maxAliasCount: -1 });
  } catch (error) {
    throw new Error(`cannot load state machine definition ${relative} (after statemachines/policies.yaml): ${error.message}`);
  }
  const { Policies: _policies, ...definition } = document;
  // Through JSON: aliases become independent copies, so nothing downstream shares (or mutates) one object.
  return JSON.parse(JSON.stringify(definition));
}

/** The definition with every placeholder resolved by `resolve(name)` (default: CloudFormation references). */
function loadDefinition(name, resolve = cloudFormationReference) {
  return substitute(loadSource(name), resolve, `statemachines/${name}.asl.yaml`, '$');
}

module.exports = {
  loadSource,
  loadDefinition,
  substitute,
  STATE_MACHINES: ['rollout', 'cutover'],
  rollout: () => loadDefinition('rollout'),
  cutover: () => loadDefinition('cutover'),
};
