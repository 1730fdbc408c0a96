import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { makeHandler as makeResolveRelease } from '../../functions/resolve-release';
import { makeHandler as makeStartRollout } from '../../functions/start-rollout';
import { createDeps } from '../../lib/runtime/deps';
import { pushEvent, runScenario } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { hostileEnv } from '../property/hostile-env';

type Line = Record<string, unknown>;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Strings that must never reach a log: the event's own id and detail, and the environment's configuration. */
function forbiddenIn(config: { listenerArn: string; clusterName: string; executionRoleArn: string; vpcId: string; catalog: unknown }, event: Record<string, unknown>): string[] {
  return [String(event.id), '"detail"', '"image-tag"', config.listenerArn, config.clusterName, config.executionRoleArn, config.vpcId, JSON.stringify(config.catalog).slice(0, 40), '"healthCheck"'];
}

describe('logs: execution, service and digest on every line; never the event or the environment', () => {
  it('writes JSON lines from a real Powertools Logger that name the execution, the service (not under the reserved key) or repository, and digest', async () => {
    const env = await hostileEnv();
    const written: string[] = [];
    const logger = new Logger({ serviceName: 'rollout', logLevel: 'INFO' });
    const deps = { ...createDeps({ ...env.emulator.clients(), sfn: {} as never }, env.deps.config, { logger }), sfn: env.deps.sfn };
    const event = pushEvent('posts', 'v7', '2026-11-26T09:00:00Z');
    env.emulator.pushImage('posts', digestFor('posts:v7'), 'v7');
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    try {
      const started = await makeStartRollout(deps)(event);
      await makeResolveRelease(deps)({ event, executionName: started.name });
    } finally {
      write.mockRestore();
    }

    const lines = written.join('').split('\n').filter(Boolean).map((text) => JSON.parse(text) as Line);
    expect(lines.map((line) => line.message)).toEqual(['rollout started', 'release resolved']);
    for (const line of lines) {
      expect(line).toMatchObject({ execution: `posts-${digestFor('posts:v7').slice(7, 39)}`, digest: digestFor('posts:v7') });
      // 'service' is Powertools' reserved key: it holds the Logger's serviceName, so the rolled-out service needs its own key
      expect(line.service).toBe('rollout');
      expect(line.serviceName ?? line.repository).toBe('posts');
    }
    for (const text of forbiddenIn(deps.config, event)) expect(written.join('')).not.toContain(text);
    expect(written.join('')).not.toContain('reserved key');
  });

  describe('every step of a rollout, a cut-over and a compensation', () => {
    const calls: { level: string; message: string; keys: Line }[] = [];
    const seedDir = mkdtempSync(join(tmpdir(), 'rollout-logs-'));
    let executions: string[] = [];

    beforeAll(async () => {
      // the local pipeline's logger is SILENT; its calls are what a real one would write
      for (const level of ['debug', 'info', 'warn', 'error'] as const) {
        jest.spyOn(Logger.prototype, level).mockImplementation((message: unknown, ...extras: unknown[]) => {
          calls.push({ level, message: String(message), keys: Object.assign({}, ...extras.filter((extra) => typeof extra === 'object')) as Line });
        });
      }
      writeFileSync(join(seedDir, 'seed.json'), JSON.stringify({ live: ['posts', 'users'] }));
      const clean = await runScenario([{ label: 'threads', event: pushEvent('threads', 'v1', '2026-11-26T09:00:00Z') }], { seed: join(seedDir, 'seed.json') });
      const failed = await runScenario([{ label: 'threads', event: pushEvent('threads', 'v2', '2026-11-26T09:00:00Z') }], { seed: join(seedDir, 'seed.json'), fail: ['ModifyListener'] });
      // A failed cut-over fails its own execution; the rollout that started it stands.
      expect([clean.executions[0]?.status, clean.executions[0]?.children[0]?.status, failed.executions[0]?.status, failed.executions[0]?.children[0]?.status]).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED']);
      executions = [...clean.executions, ...failed.executions].map((execution) => execution.name ?? '');
    });
    afterAll(() => {
      jest.restoreAllMocks();
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('logs from the workflow steps, the cut-over and the compensation', () => {
      const messages = calls.map((call) => call.message);

      expect(messages).toEqual(expect.arrayContaining(['rollout started', 'release resolved', 'traffic shifted', 'monolith traffic dropped', 'execution failed; prior state restored']));
    });

    it('names the execution, the service (or its repository) and the image digest on every line (a cut-over, which deploys no image: the monolith)', () => {
      for (const { message, keys } of calls) {
        expect({ message, execution: typeof keys.execution }).toEqual({ message, execution: 'string' });
        if (String(keys.execution).startsWith('cutover-')) expect({ message, serviceName: keys.serviceName }).toEqual({ message, serviceName: 'api' });
        else expect({ message, digest: DIGEST.test(String(keys.digest)) }).toEqual({ message, digest: true });
        expect({ message, service: typeof (keys.serviceName ?? keys.repository) }).toEqual({ message, service: 'string' });
        expect({ message, reservedKey: 'service' in keys }).toEqual({ message, reservedKey: false });
      }
      const threadsLines = calls.filter((call) => call.keys.serviceName === 'threads');
      expect(new Set(threadsLines.map((call) => call.keys.execution))).toEqual(new Set(executions));
    });

    it('never logs the whole event or an environment value', () => {
      const text = JSON.stringify(calls);

      expect(text).not.toContain('"detail"');
      expect(text).not.toContain('"source":"aws.ecr"');
      expect(text).not.toContain('arn:aws:elasticloadbalancing');
      expect(text).not.toContain('BreakTheMonolith-Demo');
      expect(text).not.toContain('ecsTaskExecutionRole');
      expect(text).not.toContain('"healthCheck"');
      expect(text).not.toContain('rollout-locks');
    });
  });
});
