// A service's merged task logs in a terminal, each line after its task's name, as `docker service
// logs -f` shows them. The engine's follow includes tasks that start later (a scale, a replacement).
import * as vscode from 'vscode';
import type { SwarmClient, TaskRecord } from '../contract/swarm';
import { LineSplitter, LogDemuxer } from '../model/logStream';
import { parseServiceLogLine, taskPrefix } from '../model/swarm/serviceLogLine';

const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95];

export interface ServiceLogSource {
  swarm: SwarmClient;
  serviceId: string;
  serviceName: string;
  task(id: string): TaskRecord | undefined;
  nodeName(id: string | undefined): string | undefined;
}

/** The driver's refusal, which the user is told in words (json-file, local and journald read back). */
export function logDriverRefused(message: string): boolean {
  return /logging driver does not support reading|configured logging driver/i.test(message);
}

export function openServiceLogTerminal(src: ServiceLogSource): vscode.Terminal {
  const writer = new vscode.EventEmitter<string>();
  const closer = new vscode.EventEmitter<void>();
  const abort = new AbortController();
  const colours = new Map<string, number>();
  const write = (s: string) => writer.fire(s.replace(/\r?\n/g, '\r\n'));
  const prefix = (taskId: string | undefined, nodeId: string | undefined) => {
    const t = taskId ? src.task(taskId) : undefined;
    const name = taskPrefix(src.serviceName, t?.slot, taskId, src.nodeName(nodeId ?? t?.nodeId));
    const key = taskId ?? '';
    if (!colours.has(key)) colours.set(key, COLOURS[colours.size % COLOURS.length]);
    return `\x1b[${colours.get(key)}m${name}\x1b[0m | `;
  };
  const start = async () => {
    try {
      const stream = await src.swarm.serviceLogs(src.serviceId, { follow: true, tail: 200, timestamps: false }, abort.signal);
      const demux = new LogDemuxer();
      const lines = new LineSplitter();
      stream.on('data', (chunk: Buffer) => {
        for (const part of demux.push(chunk))
          for (const line of lines.push(part)) {
            const l = parseServiceLogLine(line);
            write(`${prefix(l.taskId, l.nodeId)}${l.text}\n`);
          }
      });
      stream.on('end', () => {
        if (!abort.signal.aborted) write(`\x1b[2m${vscode.l10n.t('The log stream of service {0} ended.', src.serviceName)}\x1b[0m\n`);
      });
      stream.on('error', () => undefined);
    } catch (err) {
      if (abort.signal.aborted) return;
      const message = (err as Error).message;
      write(
        `\x1b[31m${
          logDriverRefused(message)
            ? vscode.l10n.t('The log driver of the tasks of {0} does not support service logs: only json-file, local and journald can be read back (docker service logs needs one of them).', src.serviceName)
            : vscode.l10n.t('Cannot read the logs of service {0}: {1}', src.serviceName, message)
        }\x1b[0m\n`,
      );
    }
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    onDidClose: closer.event,
    open: () => void start(),
    close: () => {
      abort.abort();
      writer.dispose();
      closer.dispose();
    },
  };
  return vscode.window.createTerminal({ name: vscode.l10n.t('Service Logs: {0}', src.serviceName), pty, iconPath: new vscode.ThemeIcon('output') });
}
