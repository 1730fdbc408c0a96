import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (serverless.yml, custom.esbuild.alias).
 * Lambda hands a function its role's credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN: "Defined runtime environment variables", Lambda developer guide), the first source the
 * SDK's default chain tries. The chain's other sources (SSO, profiles, web identity, instance metadata) never
 * apply there, and importing them is about 94 KB of every bundle. Tests and the local runner are not bundled
 * and keep the SDK's own chain.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): AwsCredentialIdentityProvider => fromEnv(init);
