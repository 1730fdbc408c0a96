import { microservicesOf } from '../../lib/domain/catalog';
import { LocalPipeline, type Delivery } from '../../local/runner/pipeline';
import { simulationReport, stateReport, executionReport } from '../../local/runner/report';
import { pushEvent } from '../../local/runner/scenario';
import { verifyMigration } from '../../local/runner/verify-migration';
import { attachProgress } from '../render/progress';
import { routingTable } from '../render/routing-table';
import { timeline } from '../render/timeline';
import { saveRun } from '../run-store';

/**
 * The tutorial's migration, automated: seed the starting point, push each microservice in turn, print
 * the routing after each rollout, and check the end state. Exit 0 only when the migration completed.
 */
export async function demo(options: { json: boolean; cutoverMode?: 'fixed-response' | 'drop-target-group'; servicesDir?: string }): Promise<number> {
  const wallStart = performance.now();
  const pipeline = await LocalPipeline.tutorial({ cutoverMode: options.cutoverMode, servicesDir: options.servicesDir });
  const out = (text: string) => {
    if (!options.json) process.stdout.write(`${text}\n`);
  };
  try {
    if (!options.json) attachProgress(pipeline, process.stdout);
    out('The tutorial\'s starting point: the monolith "api" serves every path.');
    out(routingTable(stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn)));
    const services = [...microservicesOf(pipeline.catalog)].sort((a, b) => a.priority - b.priority);
    const deliveries: Delivery[] = [];
    for (const [index, manifest] of services.entries()) {
      const time = new Date(pipeline.time.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      out(`\n$ docker push ${manifest.repository}:v1   (event ${index + 1}/${services.length})`);
      const delivery = await pipeline.deliver(`${manifest.repository}:v1`, pushEvent(manifest.repository, 'v1', time));
      await pipeline.settle();
      deliveries.push(delivery);
      const report = executionReport(delivery, pipeline.sfn.executions.values());
      out(`${report.name ?? '-'}: ${report.status ?? 'not started'}${report.error ? ` ${report.error}: ${report.cause}` : ''}`);
      for (const child of report.children) out(`  started ${child.name}: ${child.status ?? 'not finished'}${child.error ? ` ${child.error}: ${child.cause}` : ''}`);
      out(routingTable(stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn)));
    }
    const check = verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn, pipeline.config.dropTargetGroupArn);
    const report = simulationReport(pipeline, deliveries);
    saveRun([...pipeline.sfn.executions.values()]);
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ ...report, migrated: check.ok, findings: check.findings }, null, 2)}\n`);
    } else {
      out('\nVirtual timeline (seconds since the first push):');
      out(timeline([...pipeline.sfn.executions.values()], pipeline.clockAtStart));
      out('\nWhere every path goes now:');
      out(routingTable(report.state));
      const calls = Object.values(report.awsCalls).reduce((sum, count) => sum + count, 0);
      const transitions = report.executions.reduce((sum, e) => sum + e.transitions + e.children.reduce((more, child) => more + child.transitions, 0), 0);
      out(`\n${report.virtualSeconds}s of AWS time in ${Math.round(performance.now() - wallStart)} ms; ${calls} AWS calls; ${transitions} state transitions.`);
      out(check.ok ? 'Migration complete: every microservice serves its paths, every other path answers 503, the monolith runs 0 tasks.' : `Migration NOT complete:\n  ${check.findings.join('\n  ')}`);
    }
    return check.ok && report.executions.every((e) => e.status === 'SUCCEEDED' && e.children.every((child) => child.status === 'SUCCEEDED')) ? 0 : 1;
  } finally {
    pipeline.dispose();
  }
}
