import { microservicesOf } from '../../lib/domain/catalog';
import { LocalPipeline, type Delivery } from '../../local/runner/pipeline';
import { simulationReport, stateReport, executionReport } from '../../local/runner/report';
import { forceAlarms, pushEvent } from '../../local/runner/scenario';
import { verifyMigration } from '../../local/runner/verify-migration';
import { failureText } from '../render/failure';
import { attachProgress } from '../render/progress';
import { routingTable } from '../render/routing-table';
import { timeline } from '../render/timeline';
import { saveRun } from '../run-store';
import { trafficMarks, type TrafficFlags } from '../traffic-options';
import { finalEnvironment, saveEnvironment } from '../environment-store';
import { RunRecorder } from '../view/run-recorder';
import { writeRunView } from './view';

/**
 * The tutorial's migration, automated: seed the starting point, push each microservice in turn, print
 * the routing after each rollout, and check the end state. Exit 0 only when the migration completed.
 */
export async function demo(options: { json: boolean; cutoverMode?: 'fixed-response' | 'drop-target-group'; servicesDir?: string; view?: boolean; trafficFlags?: TrafficFlags }): Promise<number> {
  const wallStart = performance.now();
  const marks = trafficMarks(options.trafficFlags ?? {}, options.servicesDir);
  for (const warning of marks.warnings) process.stderr.write(`rollout: warning: ${warning}\n`);
  const pipeline = await LocalPipeline.tutorial({ cutoverMode: options.cutoverMode, servicesDir: options.servicesDir });
  const out = (text: string) => {
    if (!options.json) process.stdout.write(`${text}\n`);
  };
  try {
    if (marks.alarms.length > 0) {
      await forceAlarms(pipeline, marks.alarms);
      pipeline.markStart();
    }
    pipeline.behaviours.mark(marks);
    const recorder = options.view ? new RunRecorder(pipeline) : undefined;
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
      const report = executionReport(delivery, pipeline.sfn.executions.values(), pipeline.clockAtStart);
      const failure = (name: string | null, error: string | null, cause: string | null) => (error ? ` ${failureText(error, cause, (name && pipeline.sfn.executions.get(name)?.history) || [])}` : '');
      out(`${report.name ?? '-'}: ${report.status ?? 'not started'}${failure(report.name, report.error, report.cause)}`);
      for (const child of report.children) out(`  started ${child.name}: ${child.status ?? 'not finished'}${failure(child.name, child.error, child.cause)}`);
      out(routingTable(stateReport(pipeline.emulator.snapshot(), pipeline.config.listenerArn)));
    }
    const check = verifyMigration(pipeline.emulator, pipeline.catalog, pipeline.config.listenerArn, pipeline.config.dropTargetGroupArn);
    const report = simulationReport(pipeline, deliveries);
    saveEnvironment(saveRun([...pipeline.sfn.executions.values()]), await finalEnvironment(pipeline));
    const page = recorder ? writeRunView(pipeline, recorder) : undefined;
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
    // With --json, stdout is the report alone: the page's path goes to stderr.
    if (page) (options.json ? process.stderr : process.stdout).write(`Page of the demo's last rollout: ${page}\n`);
    return check.ok && report.executions.every((e) => e.status === 'SUCCEEDED' && e.children.every((child) => child.status === 'SUCCEEDED')) ? 0 : 1;
  } finally {
    pipeline.dispose();
  }
}
