import fc from 'fast-check';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { bentPushEvent, namedHostilePush, nonObjectEvent } from './event-arbitraries';
import { hostileEnv, mutatingCallsSince, refusalProblem, settled, type HostileEnv } from './hostile-env';

const NUM_RUNS = 200;

describe('hostile ECR events at the edge handlers', () => {
  let env: HostileEnv;

  beforeAll(async () => {
    env = await hostileEnv();
  });

  /** Each handler either accepts (start: STARTED, resolve: a read-only release) or refuses with a named error naming the field. */
  async function checkEdge(event: unknown): Promise<void> {
    const mark = env.emulator.calls.length;
    const started = await settled(() => env.startRollout(event));
    const resolved = await settled(() => env.resolveRelease({ event, executionName: 'hostile-input' }));

    if ('error' in started) expect(refusalProblem(started.error)).toBeUndefined();
    else expect(started.value.status).toBe('STARTED');
    if ('error' in resolved) expect(refusalProblem(resolved.error)).toBeUndefined();
    expect(mutatingCallsSince(env.emulator, mark)).toEqual([]);
  }

  it('refuses bent push events (missing, extra, mistyped, huge and unicode fields) with a named error naming the field, and changes nothing', async () => {
    await fc.assert(fc.asyncProperty(bentPushEvent, checkEdge), { numRuns: NUM_RUNS });
  });

  it('refuses tag-only, DELETE, FAILURE, foreign and malformed-digest pushes with a named error, and changes nothing', async () => {
    await fc.assert(fc.asyncProperty(namedHostilePush, checkEdge), { numRuns: NUM_RUNS });
  });

  it('refuses events that are not objects with a ValidationError naming the event', async () => {
    await fc.assert(
      fc.asyncProperty(nonObjectEvent, async (event) => {
        const started = await settled(() => env.startRollout(event));
        const resolved = await settled(() => env.resolveRelease({ event, executionName: 'hostile-input' }));

        expect('error' in started && refusalProblem(started.error)).toBeUndefined();
        expect('error' in resolved && refusalProblem(resolved.error)).toBeUndefined();
        expect('error' in resolved && resolved.error).toMatchObject({ name: 'ValidationError' });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it.each([
    ['another account', { account: '999999999999' }, /account 999999999999 is not the pipeline's account 123456789012/],
    ['another region', { region: 'eu-west-1' }, /region eu-west-1 is not the pipeline's region us-east-1/],
  ])('refuses an image from %s with ForeignImageError before any AWS change', async (_label, override, message) => {
    const mark = env.emulator.calls.length;
    env.emulator.pushImage('posts', digestFor('posts:foreign'), 'foreign');
    const event = { ...pushEvent('posts', 'foreign', '2026-11-26T09:00:00Z'), ...override };

    const resolved = await settled(() => env.resolveRelease({ event, executionName: 'foreign-image' }));

    expect('error' in resolved && resolved.error).toMatchObject({ name: 'ForeignImageError', message: expect.stringMatching(message) });
    expect(mutatingCallsSince(env.emulator, mark)).toEqual([]);
  });

  it('resolves a digest-only push of a pushed image without any mutating call', async () => {
    const mark = env.emulator.calls.length;
    env.emulator.pushImage('posts', digestFor('posts:digest-only'));
    const event = pushEvent('posts', 'digest-only', '2026-11-26T09:00:00Z') as { detail: Record<string, unknown> };
    delete event.detail['image-tag'];

    const release = await env.resolveRelease({ event, executionName: 'digest-only' });

    expect(release).toMatchObject({ service: 'posts', imageUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${digestFor('posts:digest-only')}` });
    expect(release.push.tag).toBeUndefined();
    expect(mutatingCallsSince(env.emulator, mark)).toEqual([]);
  });
});
