// Up's look at ports before the program runs: each fixed host port of the services being started,
// checked on the engine and on this machine, so a taken one is named before Compose fails with
// the engine's "driver failed programming external connectivity… address already in use".
import type { Protocol } from '../../contract/records';
import type { ComposeService } from './project';

/** Who publishes a host port on the engine: a container, with its Compose labels when it has them. */
export interface PortPublisher {
  name: string;
  project?: string;
  service?: string;
}

export interface UpPortConflict {
  service: string;
  hostPort: number;
  protocol: Protocol;
  /** A container of the engine, or something on this machine (a process, another engine). */
  holder: { kind: 'container'; name: string } | { kind: 'host' };
}

export interface UpPortInput {
  project: string;
  /** The services Up starts. */
  services: readonly ComposeService[];
  /** Host ports published on the engine, "port/proto" -> who publishes it. */
  published: ReadonlyMap<string, PortPublisher>;
  /** Resolves true when the host port can be bound right now. */
  hostFree(port: number, protocol: Protocol, ip: string): Promise<boolean>;
}

/**
 * The fixed host ports Up would fail on, in the services' order. A port the project's own
 * container of the same service publishes is no conflict: Up keeps or recreates that container.
 * A range ("8000-8010:80") is left to the engine, which takes any free port of it.
 */
export async function upPortConflicts(input: UpPortInput): Promise<UpPortConflict[]> {
  const out: UpPortConflict[] = [];
  const seen = new Set<string>();
  for (const svc of input.services) {
    for (const p of svc.ports) {
      if (!p.fixed || p.hostPort === undefined || p.hostPortEnd !== undefined) continue;
      const key = `${p.hostPort}/${p.protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const by = input.published.get(key);
      if (by) {
        if (by.project !== input.project || by.service !== svc.name) out.push({ service: svc.name, hostPort: p.hostPort, protocol: p.protocol, holder: { kind: 'container', name: by.name } });
        continue;
      }
      if (!(await input.hostFree(p.hostPort, p.protocol, p.hostIp ?? '0.0.0.0'))) out.push({ service: svc.name, hostPort: p.hostPort, protocol: p.protocol, holder: { kind: 'host' } });
    }
  }
  return out;
}

/** The services an Up starts: the named ones (else every enabled one) and what they depend on. */
export function startedServices(services: readonly ComposeService[], enabled: readonly ComposeService[], named: readonly string[] | undefined): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const out = new Map<string, ComposeService>();
  const add = (s: ComposeService | undefined) => {
    if (!s || out.has(s.name)) return;
    out.set(s.name, s);
    const deps = s.definition?.depends_on;
    for (const d of Array.isArray(deps) ? deps : deps && typeof deps === 'object' ? Object.keys(deps) : []) add(byName.get(String(d)));
  };
  for (const s of named?.length ? named.map((n) => byName.get(n)) : enabled) add(s);
  return [...out.values()];
}
