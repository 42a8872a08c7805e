// Host-port planning for the run flow and "Publish Port…": explicit ports checked on both sides,
// prefilled ports moved off taken ones with the reason said.
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { hostPortFree, portHolderProcess } from '../model/hostPorts';
import { bindAddress, defaultPorts, engineIsLocal, formatPortBinding, parsePorts, planPorts, withBindAddress, type MappingNote, type PlannedPort, type PortBinding } from '../model/ports';
import type { Protocol } from '../contract/records';
import type { UpPortConflict } from '../model/compose/upPorts';
import { portProblemText } from './runMessages';

/** The default bind address under the user's berth.run.publishAllInterfaces. */
export function defaultIp(): string {
  return bindAddress(vscode.workspace.getConfiguration('berth.run').get<boolean>('publishAllInterfaces', false));
}

export function publishedBy(session: EngineSession): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of session.containers.all()) for (const p of c.ports) if (p.hostPort) out.set(`${p.hostPort}/${p.protocol}`, c.name);
  return out;
}

export function hostCheck(session: EngineSession): (port: number, protocol: Protocol, ip: string) => Promise<boolean> {
  const local = engineIsLocal(session.status.endpoint);
  return (port, protocol, ip) => (local ? hostPortFree(port, protocol, ip) : Promise.resolve(true));
}

/** Parses the port text and checks explicit host ports on both sides; a message when wrong. Every binding has its address. */
export async function checkPorts(session: EngineSession, text: string): Promise<{ specs: (PortBinding & { hostIp: string })[] } | { message: string }> {
  const parsed = parsePorts(text);
  if (!Array.isArray(parsed)) return { message: portProblemText(parsed) };
  const specs = withBindAddress(parsed, defaultIp());
  const plan = await planPorts({ wanted: specs.filter((s) => s.hostPort !== undefined), publishedBy: publishedBy(session), hostFree: hostCheck(session), defaultIp: defaultIp() });
  if (!Array.isArray(plan)) {
    const port = String(plan.taken.hostPort);
    return {
      message:
        plan.by.kind === 'container'
          ? vscode.l10n.t('Host port {0} is already used by container {1}.', port, plan.by.name)
          : vscode.l10n.t('Host port {0} is already in use on this machine.', port),
    };
  }
  return { specs };
}

/** Why a planned port moved, tied to the mapping it describes so it can go when that mapping does. */
export type PortNote = MappingNote<string>;

export interface PortPrefill {
  text: string;
  notes: string[];
  moves: PortNote[];
}

function moveNotes(plan: PlannedPort[]): PortNote[] {
  return plan
    .filter((p) => p.moved)
    .map((p) => ({
      spec: { containerPort: p.containerPort, protocol: p.protocol, hostPort: p.hostPort },
      text:
        p.moved!.reason.kind === 'container'
          ? vscode.l10n.t('{0} is used by container {1}; using {2}.', p.moved!.wanted, p.moved!.reason.name || vscode.l10n.t('another port of this run'), p.hostPort)
          : vscode.l10n.t('{0} is in use on this machine; using {1}.', p.moved!.wanted, p.hostPort),
    }));
}

function prefill(plan: PlannedPort[]): PortPrefill {
  const moves = moveNotes(plan);
  return { text: plan.map(formatPortBinding).join(', '), notes: moves.map((m) => m.text), moves };
}

/** The prefilled port text, and why some ports moved ("5432 is used by container db-1; using 5433"). */
export async function prefillPorts(session: EngineSession, image: string, exposed: string[], skip: ReadonlySet<string> = new Set()): Promise<PortPrefill> {
  const wanted = withBindAddress(
    defaultPorts(image, exposed).filter((p) => !skip.has(`${p.containerPort}/${p.protocol}`)),
    defaultIp(),
  );
  const plan = await planPorts({ wanted, publishedBy: publishedBy(session), hostFree: hostCheck(session), defaultIp: defaultIp() });
  if (!Array.isArray(plan)) return { text: '', notes: [], moves: [] };
  return prefill(plan);
}

/**
 * Last run's mappings again, every one of them (protocol and host IP kept): a host port taken
 * since then moves to the next free one, with the reason. Undefined when the text no longer parses.
 */
export async function reusePorts(session: EngineSession, text: string): Promise<PortPrefill | undefined> {
  const parsed = parsePorts(text);
  if (!Array.isArray(parsed)) return undefined;
  // A random host port (":80") stays random: there is nothing to keep or move.
  const random = parsed.filter((s) => s.hostPort === undefined);
  const plan = await planPorts({
    wanted: parsed.filter((s) => s.hostPort !== undefined).map((s) => ({ ...s, movable: true })),
    publishedBy: publishedBy(session),
    hostFree: hostCheck(session),
    defaultIp: defaultIp(),
  });
  if (!Array.isArray(plan)) return undefined;
  const out = prefill(plan);
  const rest = random.map(formatPortBinding).join(', ');
  return rest ? { ...out, text: out.text ? `${out.text}, ${rest}` : rest } : out;
}

/** Who holds a taken host port, in words: a container by name, a process by name and pid (Up's check, and the Compose editor's). */
export async function portHolderText(session: EngineSession, c: Pick<UpPortConflict, 'holder' | 'hostPort' | 'protocol'>): Promise<string> {
  if (c.holder.kind === 'container') return vscode.l10n.t('used by container {0}', c.holder.name);
  const proc = engineIsLocal(session.status.endpoint) ? await portHolderProcess(c.hostPort, c.protocol).catch(() => undefined) : undefined;
  return proc ? vscode.l10n.t('in use on this machine by {0} (pid {1})', proc.command, proc.pid) : vscode.l10n.t('in use on this machine');
}
