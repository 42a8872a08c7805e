// The port rules of a service: a host-mode port with a fixed published number binds that number
// on the node itself, so two replicas cannot share a node; the second stays Pending with "no
// suitable node (host-mode port already in use…)". Ingress publishes once for the whole swarm,
// and a host-mode port left to the engine gets a free number per task.
import type { ServicePort } from '../../contract/swarm';

export interface HostPortProblem {
  /** The fixed host-mode ports that limit replicas per node. */
  ports: ServicePort[];
  replicas: number;
  /** Nodes that can take a task (active availability, ready). */
  nodes: number;
  /** How many replicas can run at most. */
  fits: number;
}

/** What stops `replicas` tasks from all running, or undefined when they fit. */
export function hostPortProblem(ports: readonly ServicePort[], replicas: number | undefined, usableNodes: number): HostPortProblem | undefined {
  const fixed = ports.filter((p) => p.mode === 'host' && p.publishedPort);
  // A global service runs one task per node: a fixed host port never collides with itself.
  if (!fixed.length || replicas === undefined || replicas <= usableNodes) return undefined;
  return { ports: fixed, replicas, nodes: usableNodes, fits: usableNodes };
}

/** The two ways out the user is offered: one port for the swarm, or one per task. */
export function asIngress(ports: readonly ServicePort[]): ServicePort[] {
  return ports.map((p) => (p.mode === 'host' && p.publishedPort ? { ...p, mode: 'ingress' } : p));
}

export function asEngineAssigned(ports: readonly ServicePort[]): ServicePort[] {
  return ports.map(({ publishedPort, ...rest }) => (rest.mode === 'host' && publishedPort ? rest : { ...rest, ...(publishedPort ? { publishedPort } : {}) }));
}

/** Fixed host-mode ports the engine still publishes although `wanted` left their number to it. */
export function keptFixedPorts(service: { ports: readonly ServicePort[] } | undefined, wanted: readonly ServicePort[]): ServicePort[] {
  return (service?.ports ?? []).filter((p) => p.mode === 'host' && p.publishedPort && wanted.some((w) => w.mode === 'host' && !w.publishedPort && w.targetPort === p.targetPort && w.protocol === p.protocol));
}

/** "8080:80/tcp (host)", "*:80/tcp (ingress)". */
export function formatServicePort(p: ServicePort): string {
  return `${p.publishedPort ?? '*'}:${p.targetPort}/${p.protocol}`;
}
