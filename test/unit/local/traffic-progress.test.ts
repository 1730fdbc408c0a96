import { describeTrafficExit } from '../../../local/runner/traffic-progress';

describe('describeTrafficExit', () => {
  it("words each look at ECS's own deployment of an update by the gate's reason", () => {
    const output = { release: { ecsDeployment: { arn: 'x', strategy: 'CANARY', greenTargetGroupArn: 'g', startedAt: '2026-11-26T09:00:00.000Z', percent: 10, checks: 1 }, gate: { lastReason: "ECS's CANARY deployment IN_PROGRESS: 10 % on the new revision" } } };

    expect(describeTrafficExit('Check service health', output)).toBe("ECS's CANARY deployment IN_PROGRESS: 10 % on the new revision");
    expect(describeTrafficExit('Deploy service', output)).toBeUndefined();
  });

  it('says nothing of a health gate without a traffic step or an ECS deployment', () => {
    expect(describeTrafficExit('Check service health', { release: { gate: { lastReason: 'waiting for targets' } } })).toBeUndefined();
  });

  it('words a weight change and its bake', () => {
    const output = { release: { shift: { steps: [], done: 1, percent: 10, bake: { startedAt: '2026-11-26T09:00:00.000Z', seconds: 300, checks: 0 } } } };

    expect(describeTrafficExit('Shift traffic', output)).toBe('10 % of its traffic on the new revision; baking 5 min');
  });
});
