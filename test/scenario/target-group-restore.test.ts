import { DescribeTargetGroupsCommand, ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LocalPipeline } from '../../local/runner/pipeline';
import { executionReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';

// "Ensure target group" reconciles a drifted health check; when the rollout then fails, compensation puts
// the group's settings back as they were before the push, not as the manifest wants them.
describe('scenario: a failed update puts a reconciled target group back', () => {
  it('restores the drifted health check and deregistration delay it had changed', async () => {
    const pipeline = await LocalPipeline.tutorial();
    try {
      await pipeline.deliver('posts v1', pushEvent('posts', 'v1', '2026-11-26T09:00:00Z'));
      await pipeline.settle();
      const { elbv2 } = pipeline.emulator.clients();
      const group = (await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['posts'] }))).TargetGroups?.[0];
      // Someone changed the group by hand: interval 10 s, timeout 4 s, delay 60 s.
      await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: group?.TargetGroupArn, HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 4 }));
      await elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group?.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }] }));
      pipeline.injectFault({ operation: 'UpdateService', kind: 'permanent', times: 1 });

      const delivery = await pipeline.deliver('posts v2', pushEvent('posts', 'v2', '2026-11-26T09:30:00Z'));
      await pipeline.settle();

      const report = executionReport(delivery);
      expect(report).toMatchObject({ status: 'FAILED', error: 'AwsRequestError' });
      expect(report.cause).toContain('health check of target group posts put back');
      expect(report.cause).toContain('deregistration delay of posts back to 60s');
      const after = pipeline.emulator.snapshot().targetGroups.find((candidate) => candidate.name === 'posts');
      expect(after?.healthCheck).toMatchObject({ intervalSeconds: 10, timeoutSeconds: 4 });
      expect(after?.attributes['deregistration_delay.timeout_seconds']).toBe('60');
    } finally {
      pipeline.dispose();
    }
  });
});
