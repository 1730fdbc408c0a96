import { DescribeTargetGroupsCommand, ModifyTargetGroupAttributesCommand, ModifyTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LocalPipeline } from '../../local/runner/pipeline';
import { pushEvent } from '../../local/runner/scenario';
import { digestFor } from '../../local/runner/seed-tutorial';
import { actionsOf, loadTemplate, roleStatements } from './template-helpers';

/**
 * IAM and code must not drift apart: run the workflow through its paths (rollouts, the cut-over, a monolith
 * update, failures with compensation, duplicates, a retry) with every function on clients of its own, record
 * the AWS actions each one really calls, and require its packaged role to allow every one of them.
 */
const template = loadTemplate();

/** "ResolveReleaseFunctionArn" (the ASL placeholder) → "resolveRelease" (the serverless.yml function). */
const functionKey = (resource: string) => resource.replace(/FunctionArn$/, '').replace(/^./, (first) => first.toLowerCase());

function grantedActions(functionName: string): Set<string> {
  const lambda = template.Resources[`${functionName.replace(/^./, (first) => first.toUpperCase())}LambdaFunction`];
  const role = (lambda?.Properties?.Role as { 'Fn::GetAtt': [string, string] } | undefined)?.['Fn::GetAtt'][0];
  if (!role) throw new Error(`no Lambda function ${functionName} with its own role in the packaged template`);
  return new Set(roleStatements(template, role).filter((statement) => statement.Effect === 'Allow').flatMap(actionsOf));
}

async function run(pipeline: LocalPipeline, events: { label: string; event: unknown }[]): Promise<void> {
  for (const { label, event } of events) {
    await pipeline.deliver(label, event);
    await pipeline.settle();
  }
}

async function observedCalls(): Promise<Map<string, Set<string>>> {
  const observed = new Map<string, Set<string>>();
  const collect = (pipeline: LocalPipeline) => {
    for (const [resource, actions] of pipeline.callsByFunction) {
      if (resource === 'shared') continue;
      // The state machines' own DynamoDB calls (the locks): their roles are checked in template.test.ts.
      if (resource === 'states-dynamodb') {
        expect([...actions].sort()).toEqual(['dynamodb:UpdateItem']);
        continue;
      }
      const set = observed.get(resource) ?? new Set<string>();
      for (const action of actions) set.add(action);
      observed.set(resource, set);
    }
  };
  const scenarios: ((pipeline: LocalPipeline) => Promise<void>)[] = [
    // the migration, a re-delivery, an update, a monolith push after the cut-over
    (p) => run(p, [...['posts', 'users', 'threads'].map((name) => ({ label: name, event: pushEvent(name, 'v1', '2026-11-26T09:00:00Z') })), { label: 'again', event: pushEvent('posts', 'v1', '2026-11-26T09:00:00Z') }, { label: 'v2', event: pushEvent('posts', 'v2', '2026-11-26T09:30:00Z') }, { label: 'api', event: pushEvent('api', 'v2', '2026-11-26T09:40:00Z') }]),
    // a monolith update before the cut-over; an unhealthy first rollout (compensation deletes rule, service, group)
    async (p) => {
      p.emulator.markImageUnhealthy(digestFor('posts:bad'));
      await run(p, [{ label: 'api', event: pushEvent('api', 'v2', '2026-11-26T09:00:00Z') }, { label: 'bad', event: pushEvent('posts', 'bad', '2026-11-26T09:01:00Z') }]);
    },
    // a failed cut-over (its compensation restores the listener and the monolith), then a monolith push that starts attempt 2
    async (p) => {
      await run(p, ['posts', 'users'].map((name) => ({ label: name, event: pushEvent(name, 'v1', '2026-11-26T09:00:00Z') })));
      p.injectFault({ operation: 'UpdateService', kind: 'permanent', times: 1 });
      const threads = pushEvent('threads', 'v1', '2026-11-26T09:10:00Z');
      await run(p, [{ label: 'threads', event: threads }, { label: 'api', event: pushEvent('api', 'v2', '2026-11-26T09:20:00Z') }]);
    },
    // a failed update after "Ensure target group" reconciled a drifted group: compensation puts it back
    async (p) => {
      await run(p, [{ label: 'posts', event: pushEvent('posts', 'v1', '2026-11-26T09:00:00Z') }]);
      const { elbv2 } = p.emulator.clients();
      const group = (await elbv2.send(new DescribeTargetGroupsCommand({ Names: ['posts'] }))).TargetGroups?.[0];
      await elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: group?.TargetGroupArn, HealthCheckIntervalSeconds: 10 }));
      await elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: group?.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '60' }] }));
      p.injectFault({ operation: 'UpdateService', kind: 'permanent', times: 1 });
      await run(p, [{ label: 'posts v2', event: pushEvent('posts', 'v2', '2026-11-26T09:30:00Z') }]);
    },
  ];
  for (const scenario of scenarios) {
    const pipeline = await LocalPipeline.tutorial({ recordCallsByFunction: true });
    try {
      await scenario(pipeline);
      collect(pipeline);
    } finally {
      pipeline.dispose();
    }
  }
  return observed;
}

describe('IAM covers what each function really calls', () => {
  let observed: Map<string, Set<string>>;
  beforeAll(async () => {
    observed = await observedCalls();
  }, 120_000);

  it('saw every step function and the starter make calls', () => {
    expect([...observed.keys()].map(functionKey).sort()).toEqual(
      expect.arrayContaining(['startRollout', 'resolveRelease', 'recordPriorState', 'registerTaskDefinition', 'ensureTargetGroup', 'ensureListenerRule', 'deployService', 'checkServiceHealth', 'shiftTraffic', 'startCutover', 'checkCutover', 'dropMonolithTraffic', 'scaleMonolith', 'checkDrained', 'compensate']),
    );
  });

  it("allows every action each function called in its packaged role", () => {
    const missing = [...observed].flatMap(([resource, actions]) => {
      const granted = grantedActions(functionKey(resource));
      return [...actions].filter((action) => !granted.has(action)).map((action) => `${functionKey(resource)} needs ${action}`);
    });
    expect(missing).toEqual([]);
  });
});
