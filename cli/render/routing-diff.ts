import Table from 'cli-table3';
import type { EnvironmentView } from '../environment/read-environment';
import { describeActions } from '../plan/describe-change';

const serviceLine = (service: EnvironmentView['services'][number] | undefined) =>
  service?.status === 'ACTIVE' ? `${service.taskDefinition ?? '?'} × ${service.desiredCount}` : 'not deployed';

/** The listener and the services before and after a plan, a changed row marked with '*'. */
export function routingDiff(before: EnvironmentView, after: EnvironmentView): string {
  const routes = new Table({ head: ['', 'priority', 'path', 'before', 'after'], style: { head: [], border: [] } });
  const priorities = [...new Set([...before.rules, ...after.rules].map((rule) => rule.priority))].sort((a, b) => a - b);
  for (const priority of priorities) {
    const old = before.rules.find((rule) => rule.priority === priority);
    const now = after.rules.find((rule) => rule.priority === priority);
    const was = old ? describeActions(old.actions) : '(no rule)';
    const will = now ? describeActions(now.actions) : '(no rule)';
    routes.push([was === will ? '' : '*', String(priority), (now ?? old)?.paths.join(', ') ?? '', was, will]);
  }
  const wasDefault = describeActions(before.defaultActions);
  const willDefault = describeActions(after.defaultActions);
  routes.push([wasDefault === willDefault ? '' : '*', 'default', '(any other path)', wasDefault, willDefault]);
  const services = new Table({ head: ['', 'service', 'before', 'after'], style: { head: [], border: [] } });
  for (const service of after.services) {
    const was = serviceLine(before.services.find((candidate) => candidate.name === service.name));
    const will = serviceLine(service);
    services.push([was === will ? '' : '*', service.name, was, will]);
  }
  return `${routes.toString()}\n${services.toString()}`;
}
