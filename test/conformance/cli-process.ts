/** `node bin/rollout.cjs …` as a user runs it against moto: its own process, a home with no AWS set-up of the machine's. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollout as run } from '../scenario/cli-run';
import { startMotoServer, type MotoServer } from './moto-server';
import { createTutorialAccount, CREDENTIALS, REGION, type TutorialAccount } from './tutorial-account';

/** A home with no ~/.aws, so nothing of the machine's own AWS setup (profiles, SSO, credentials) is used. */
const emptyHome = mkdtempSync(join(tmpdir(), 'rollout-aws-home-'));
export const BASE_ENV = {
  HOME: emptyHome,
  AWS_CONFIG_FILE: join(emptyHome, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(emptyHome, 'credentials'),
  // The credential chain's last resort is the instance metadata service: never ask it from a test.
  AWS_EC2_METADATA_DISABLED: 'true',
};
export const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey };

/** The CLI in its own process with exactly `env` (test/scenario/cli-run.ts), in `cwd`, its run store there too. */
export async function rollout(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await run(args, { cwd, env, home: join(cwd, '.rollout') });
  return { code, stdout, stderr };
}

export const oneLine = (stderr: string) => ({ lines: stderr.trimEnd().split('\n').length, stackFrames: /^\s+at /m.test(stderr), text: stderr.trimEnd() });

/**
 * For one describe block: a moto server with its request log on (MOTO_RECORDER_FILEPATH, read by moto at start),
 * the tutorial's account created in it, and the environment the CLI runs with; stop() puts everything back.
 */
export function recordedTutorialAccount() {
  const recorderPath = join(mkdtempSync(join(tmpdir(), 'moto-recording-')), 'requests.jsonl');
  const previousRecorderPath = process.env.MOTO_RECORDER_FILEPATH;
  let moto: MotoServer | undefined;
  let account: TutorialAccount | undefined;
  return {
    async start(): Promise<{ moto: MotoServer; account: TutorialAccount; awsEnv: Record<string, string> }> {
      process.env.MOTO_RECORDER_FILEPATH = recorderPath;
      moto = await startMotoServer();
      account = await createTutorialAccount(moto.endpoint);
      return { moto, account, awsEnv: { ...BASE_ENV, ...FAKE_CREDENTIALS, AWS_REGION: REGION } };
    },
    async stop(): Promise<void> {
      if (previousRecorderPath === undefined) delete process.env.MOTO_RECORDER_FILEPATH;
      else process.env.MOTO_RECORDER_FILEPATH = previousRecorderPath;
      for (const client of Object.values(account?.clients ?? {})) client.destroy();
      await moto?.stop();
    },
  };
}
