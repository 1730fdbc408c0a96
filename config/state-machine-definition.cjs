'use strict';
/**
 * Loads statemachines/rollout.asl.json and turns each `"Resource": "${XxxFunctionArn}"` placeholder into
 * `{ "Fn::GetAtt": ["XxxLambdaFunction", "Arn"] }`.
 *
 * Why not `${file(...asl.json)}` + DefinitionSubstitutions: serverless-step-functions 3.28 has no
 * `definitionSubstitutions` option, and osls would try to resolve `${XxxFunctionArn}` as its own variable.
 * With GetAtt objects in the definition the plugin builds the `Fn::Sub` itself and grants the state
 * machine's role lambda:InvokeFunction on exactly these functions.
 */
const fs = require('node:fs');
const path = require('node:path');

const PLACEHOLDER = /^\$\{([A-Z][A-Za-z0-9]*)FunctionArn\}$/;

/** ResolveRelease -> ResolveReleaseLambdaFunction, the logical id osls gives function `resolveRelease`. */
const lambdaLogicalId = (pascalName) => `${pascalName}LambdaFunction`;

function substitute(node, file, where) {
  if (Array.isArray(node)) return node.map((item, index) => substitute(item, file, `${where}[${index}]`));
  if (node === null || typeof node !== 'object') {
    if (typeof node === 'string' && node.includes('${')) {
      const match = PLACEHOLDER.exec(node);
      if (!match) throw new Error(`${file}: ${where}: unsupported placeholder ${node} (expected \${<Name>FunctionArn})`);
      return { 'Fn::GetAtt': [lambdaLogicalId(match[1]), 'Arn'] };
    }
    return node;
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, substitute(value, file, `${where}.${key}`)]));
}

function loadDefinition(file = path.join(__dirname, '..', 'statemachines', 'rollout.asl.json')) {
  const relative = path.relative(path.join(__dirname, '..'), file);
  let definition;
  try {
    definition = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot load state machine definition ${relative}: ${error.message}`);
  }
  return substitute(definition, relative, '$');
}

module.exports = { loadDefinition, substitute, rollout: () => loadDefinition() };
