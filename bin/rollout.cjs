#!/usr/bin/env node
// The `rollout` CLI: TypeScript run through tsx, so a fresh clone needs no build step.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs/api').register();
require('../cli/main.ts').main(process.argv);
