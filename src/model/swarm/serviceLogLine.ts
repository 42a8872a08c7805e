// A line of `GET /services/{id}/logs?details=true`: the engine puts the task's attributes before
// the message ("com.docker.swarm.node.id=…,com.docker.swarm.service.id=…,com.docker.swarm.task.id=… hello").

export interface ServiceLogLine {
  taskId?: string;
  nodeId?: string;
  text: string;
}

export function parseServiceLogLine(line: string): ServiceLogLine {
  const m = /^((?:[\w.]+=[^,\s]*,?)+) (.*)$/s.exec(line);
  if (!m || !m[1].includes('com.docker.swarm.')) return { text: line };
  const attrs = new Map(m[1].split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  return { taskId: attrs.get('com.docker.swarm.task.id'), nodeId: attrs.get('com.docker.swarm.node.id'), text: m[2] };
}

/** "web.2.x1y2z3w4v5u6@node1", as `docker service logs` names a task. */
export function taskPrefix(service: string, slot: number | undefined, taskId: string | undefined, node: string | undefined): string {
  return `${service}.${slot ?? '?'}.${(taskId ?? '').slice(0, 12)}${node ? `@${node}` : ''}`;
}
