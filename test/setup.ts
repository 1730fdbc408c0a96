import 'aws-sdk-client-mock-jest';
import fc from 'fast-check';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Property tests run from a fixed seed so CI is reproducible; FAST_CHECK_SEED=random explores new inputs
// (a failure prints its seed and path, and FAST_CHECK_SEED=<seed> replays it).
const seed = process.env.FAST_CHECK_SEED ?? '20261126';
if (seed !== 'random') fc.configureGlobal({ seed: Number(seed) });
