// A service's merged task logs in a terminal, each line after its task's name, as `docker service
// logs -f` shows them. The engine's follow includes tasks that start later (a scale, a replacement).
// As the container and Compose log terminals: when the engine goes away and comes back, it follows
// again from when the stream ended, asking the engine itself (the session notices an outage only
// while a Berth view is visible); when Berth switches engines, it closes with a last line.
import * as vscode from 'vscode';
import type { EngineFailure } from '../contract/errors';
import type { SwarmClient, TaskRecord } from '../contract/swarm';
import type { EngineSession } from '../session/engineSession';
import { engineSwitchedMessage } from './logTerminal';
import { LineSplitter, LogDemuxer } from '../model/logStream';
import { parseServiceLogLine, taskPrefix } from '../model/swarm/serviceLogLine';

const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95];

export interface ServiceLogSource {
  session: EngineSession;
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
  let abort = new AbortController();
  let closed = false;
  /** When the last stream ended unasked (seconds), so the next one starts there. */
  let endedAt: number | undefined;
  let streaming = false;
  let resumeTries = 0;
  const subscriptions: { dispose(): void }[] = [];
  const swarm = (): SwarmClient => {
    const client = src.session.requireClient().swarm;
    if (!client) throw new Error(vscode.l10n.t('This engine client cannot reach Swarm mode.'));
    return client;
  };
  const colours = new Map<string, number>();
  const write = (s: string) => writer.fire(s.replace(/\r?\n/g, '\r\n'));
  const prefix = (taskId: string | undefined, nodeId: string | undefined) => {
    const t = taskId ? src.task(taskId) : undefined;
    const name = taskPrefix(src.serviceName, t?.slot, taskId, src.nodeName(nodeId ?? t?.nodeId));
    const key = taskId ?? '';
    if (!colours.has(key)) colours.set(key, COLOURS[colours.size % COLOURS.length]);
    return `\x1b[${colours.get(key)}m${name}\x1b[0m | `;
  };
  const ended = () => {
    if (closed || abort.signal.aborted || !streaming) return;
    streaming = false;
    endedAt = Math.floor(Date.now() / 1000);
    write(`\x1b[2m${vscode.l10n.t('The log stream of service {0} ended.', src.serviceName)}\x1b[0m\n`);
    setTimeout(resume, 500);
  };
  const resume = () => {
    if (closed || streaming) return;
    abort = new AbortController();
    void start();
  };
  const start = async () => {
    if (closed || streaming) return;
    const since = endedAt;
    try {
      streaming = true;
      const signal = abort.signal;
      const stream = await swarm().serviceLogs(src.serviceId, since === undefined ? { follow: true, tail: 200, timestamps: false } : { follow: true, since: String(since), timestamps: false }, signal);
      resumeTries = 0;
      if (since !== undefined) write(`\x1b[2m${vscode.l10n.t('— the engine is back: following service {0} again —', src.serviceName)}\x1b[0m\n`);
      const demux = new LogDemuxer();
      const lines = new LineSplitter();
      stream.on('data', (chunk: Buffer) => {
        for (const part of demux.push(chunk))
          for (const line of lines.push(part)) {
            const l = parseServiceLogLine(line);
            write(`${prefix(l.taskId, l.nodeId)}${l.text}\n`);
          }
      });
      stream.on('end', ended);
      stream.on('close', ended);
      stream.on('error', ended);
    } catch (err) {
      streaming = false;
      if (abort.signal.aborted || closed) return;
      // Not connected (yet): the status change below starts it once the engine answers.
      if (since === undefined && src.session.status.state !== 'ready') {
        endedAt ??= Math.floor(Date.now() / 1000);
        return;
      }
      // Resuming: while the engine does not answer, asked again each second (a view may be hidden, so
      // no status change would come); a restarted engine answers before its swarm is back (503 for a
      // few seconds), asked again for 30 s at most. The service gone (404) or another refusal is said.
      const status = (err as EngineFailure).statusCode;
      if (since !== undefined && (status === undefined || (status === 503 && resumeTries++ < 30))) {
        setTimeout(resume, 1000);
        return;
      }
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
  const stop = () => {
    closed = true;
    abort.abort();
    for (const d of subscriptions) d.dispose();
  };
  subscriptions.push(
    // The engine came back (restarted, reconnected): a stream that ended follows again.
    src.session.onDidChangeStatus((st) => {
      if (st.state === 'ready' && endedAt !== undefined && !streaming && !closed) {
        abort = new AbortController();
        void start();
      }
    }),
    src.session.onDidChangeEngine(() => {
      if (closed) return;
      stop();
      write(`\x1b[2m${engineSwitchedMessage()}\x1b[0m\n`);
    }),
  );
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    onDidClose: closer.event,
    open: () => void start(),
    close: () => {
      stop();
      writer.dispose();
      closer.dispose();
    },
  };
  return vscode.window.createTerminal({ name: vscode.l10n.t('Service Logs: {0}', src.serviceName), pty, iconPath: new vscode.ThemeIcon('output') });
}
