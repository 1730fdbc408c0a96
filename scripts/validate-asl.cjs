'use strict';
// `npm run validate:asl`: every statemachines/*.asl.yaml (with statemachines/policies.yaml in front, as the
// stack and the local runner read it) through asl-validator, placeholders as written.
const validator = require('asl-validator').default ?? require('asl-validator');
const { loadSource, STATE_MACHINES } = require('../config/state-machine-definition.cjs');

let failed = false;
for (const name of STATE_MACHINES) {
  const { isValid, errorsText } = validator(loadSource(name));
  if (isValid) {
    console.log(`✓ statemachines/${name}.asl.yaml is valid`);
  } else {
    failed = true;
    console.error(`✗ statemachines/${name}.asl.yaml is invalid:\n${errorsText('\n')}`);
  }
}
process.exit(failed ? 1 : 0);
