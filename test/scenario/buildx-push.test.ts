import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../local/runner/scenario';
import { fixture, routing, TUTORIAL_ROUTING } from './helpers';

/**
 * `docker push` with buildx (Docker's default builder) pushes, in this order, one manifest per platform and a
 * provenance attestation, all untagged, then the image index that references them, tagged. ECR emits a PUSH
 * event for each (test/fixtures/events/buildx-push, with the media-type fields ECR adds).
 */
const BUILDX_PUSH = readdirSync(join(__dirname, '..', 'fixtures', 'events', 'buildx-push'))
  .map((file) => file.replace(/\.json$/, ''))
  .sort()
  .map((name) => fixture(`buildx-push/${name}`));

const digestOf = (event: unknown) => (event as { detail: { 'image-digest': string } }).detail['image-digest'];

describe('scenario: one docker push is several ECR pushes', () => {
  it('starts exactly one rollout, for the tagged index, and ignores the untagged platform manifests and attestation', async () => {
    const report = await runScenario(BUILDX_PUSH);

    expect(report.executions.map((e) => [e.event, e.matched, e.status])).toEqual([
      ['buildx-push/1-linux-amd64.json', false, null],
      ['buildx-push/2-linux-arm64.json', false, null],
      ['buildx-push/3-attestation.json', false, null],
      ['buildx-push/4-index-v2.json', true, 'SUCCEEDED'],
    ]);
    const index = BUILDX_PUSH[3];
    const [service] = report.state.services.filter((s) => s.name === 'posts');
    expect(service?.image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/posts@${digestOf(index?.event)}`);
  });

  it('starts nothing for an untagged push alone', async () => {
    const report = await runScenario([fixture('not-matching/push-untagged-posts')]);

    expect(report.executions.map((e) => [e.matched, e.name, e.status])).toEqual([[false, null, null]]);
    expect(report.awsCalls).toEqual({});
    expect(routing(report.state)).toEqual(TUTORIAL_ROUTING);
  });
});
