// Services grouped by the stack `docker stack deploy` put them in (its namespace label).
import type { ServiceRecord } from '../../contract/swarm';

export const STACK_LABEL = 'com.docker.stack.namespace';

export interface StackGroup {
  /** Undefined: services created on their own. */
  stack?: string;
  services: ServiceRecord[];
}

export function stackOf(s: ServiceRecord): string | undefined {
  return s.labels[STACK_LABEL] || undefined;
}

/** Stacks by name, then the services outside any stack; services by name inside each. */
export function groupByStack(services: readonly ServiceRecord[]): StackGroup[] {
  const stacks = new Map<string, ServiceRecord[]>();
  const loose: ServiceRecord[] = [];
  for (const s of services) {
    const stack = stackOf(s);
    if (!stack) loose.push(s);
    else stacks.set(stack, [...(stacks.get(stack) ?? []), s]);
  }
  const byName = (a: ServiceRecord, b: ServiceRecord) => a.name.localeCompare(b.name);
  const groups: StackGroup[] = [...stacks.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([stack, list]) => ({ stack, services: list.sort(byName) }));
  if (loose.length) groups.push({ services: loose.sort(byName) });
  return groups;
}

/** A stack's services' names (what Remove Stack removes), or [] when no such stack exists. */
export function servicesOfStack(services: readonly ServiceRecord[], stack: string): ServiceRecord[] {
  return services.filter((s) => stackOf(s) === stack);
}
