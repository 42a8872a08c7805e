// View Logs, View Logs Since…, Save Logs…, a Compose project's logs, and Attach Shell.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import { Transform } from 'stream';
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { LogDemuxer, sinceValue } from '../model/logStream';
import type { ContainerRecord } from '../contract/records';
import type { ContainersProvider } from '../tree/containers/containersProvider';
import { containerStatusText } from '../tree/containers/statusText';
import { engineSwitchedMessage, openLogTerminal, openProjectLogTerminal, type StreamTerminal } from '../terminals/logTerminal';
import { openShellTerminal } from '../terminals/ttyTerminal';
import { registerCommand, type CommandContext } from './register';

export interface LogArgs {
  tail?: number | 'all';
  /** Seconds since the epoch, or a duration like "5m", "1h". */
  since?: string;
  timestamps?: boolean;
}

function logSettings() {
  const c = vscode.workspace.getConfiguration('berth.logs');
  return { tail: c.get<number>('tail', 1000), timestamps: c.get<boolean>('timestamps', false) };
}

async function pickSince(title: string): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Last 5 minutes'), value: '5m' },
      { label: vscode.l10n.t('Last hour'), value: '1h' },
      { label: vscode.l10n.t('Today'), value: 'today' },
      { label: vscode.l10n.t('Everything'), value: 'all' },
    ],
    { title },
  );
  return picked?.value;
}

/** `<name>.log` in the first workspace folder, or in the home folder without one (never at the root). */
function defaultLogFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const file = `${name}.log`;
  return folder ? vscode.Uri.joinPath(folder, file) : vscode.Uri.file(path.join(os.homedir(), file));
}

export function registerLogCommands(ctx: CommandContext, session: EngineSession, tree: ContainersProvider): vscode.Disposable[] {
  // Streams belong to the engine they were opened on: switching engines closes them, saying so.
  const open = new Set<StreamTerminal>();
  const track = (t: StreamTerminal) => {
    open.add(t);
    const closed = vscode.window.onDidCloseTerminal((x) => {
      if (x !== t.terminal) return;
      open.delete(t);
      closed.dispose();
    });
    t.terminal.show();
    return t.terminal.name;
  };
  const switched = session.onDidChangeEngine(() => {
    for (const t of open) t.stop(engineSwitchedMessage());
    open.clear();
  });
  const pick = async (clicked: unknown, running = false): Promise<ContainerRecord | undefined> => {
    if (typeof clicked === 'string') return session.containers.get(clicked);
    const all = session.containers.all().filter((c) => !running || c.state === 'running');
    if (!all.length) throw new Error(running ? vscode.l10n.t('No container is running.') : vscode.l10n.t('There are no containers on this engine.'));
    return (await vscode.window.showQuickPick(all.map((c) => ({ label: c.name, description: `${containerStatusText(c, Date.now())} · ${c.image}`, c })), { placeHolder: vscode.l10n.t('Choose a container') }))?.c;
  };
  const view = async (clicked: unknown, args: LogArgs = {}) => {
    const c = await pick(clicked);
    if (!c) return undefined;
    const s = logSettings();
    return track(openLogTerminal(session.requireClient(), c.id, c.name, { tail: args.tail ?? s.tail, since: sinceValue(args.since), timestamps: args.timestamps ?? s.timestamps }));
  };
  return [
    { dispose: () => switched.dispose() },
    registerCommand(ctx, 'berth.containers.viewLogs', (clicked?: unknown, args?: unknown) => view(clicked, args && typeof args === 'object' && !Array.isArray(args) ? (args as LogArgs) : {})),
    registerCommand(ctx, 'berth.containers.viewLogsSince', async (clicked?: unknown) => {
      const since = await pickSince(vscode.l10n.t('Show logs since…'));
      if (!since) return undefined;
      const ts = await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Without timestamps'), value: false },
          { label: vscode.l10n.t('With timestamps'), value: true },
        ],
        { placeHolder: vscode.l10n.t('Timestamps') },
      );
      if (!ts) return undefined;
      return view(clicked, { since, tail: 'all', timestamps: ts.value });
    }),
    registerCommand(ctx, 'berth.containers.saveLogs', async (clicked?: unknown, args?: unknown) => {
      const c = await pick(clicked);
      if (!c) return undefined;
      const a = (args ?? {}) as { since?: string; file?: string };
      const since = a.since ?? (await pickSince(vscode.l10n.t('Save logs since…')));
      if (!since) return undefined;
      const target = a.file
        ? vscode.Uri.file(a.file)
        : await vscode.window.showSaveDialog({ defaultUri: defaultLogFile(c.name), saveLabel: vscode.l10n.t('Save Logs'), title: vscode.l10n.t('Save the logs of {0}', c.name) });
      if (!target) return undefined;
      const client = session.requireClient();
      const state = await client.containerState(c.id);
      if (!state) throw new Error(vscode.l10n.t('{0} no longer exists.', c.name));
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving the logs of {0}…', c.name), cancellable: true }, async (_p, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const stream = await client.logs(c.id, { follow: false, timestamps: false, since: sinceValue(since) }, abort.signal);
        const demux = new LogDemuxer(state.tty);
        // Streamed to the file as it arrives: a big log is never held whole.
        const toText = new Transform({
          transform(chunk: Buffer, _e, done) {
            done(null, demux.push(chunk).map((t) => t.text).join(''));
          },
          flush(done) {
            done(null, demux.end().map((t) => t.text).join(''));
          },
        });
        await pipeline(stream as NodeJS.ReadableStream, toText, fs.createWriteStream(target.fsPath));
      });
      void vscode.window.showInformationMessage(vscode.l10n.t('Saved the logs of {0} to {1}.', c.name, target.fsPath));
      return target.fsPath;
    }),
    registerCommand(ctx, 'berth.containers.composeLogs', async (groupKey?: unknown) => {
      const group = typeof groupKey === 'string' ? tree.group(groupKey) : undefined;
      const project =
        group?.label ??
        (await vscode.window.showQuickPick([...new Set(session.containers.all().map((c) => c.labels[COMPOSE_PROJECT_LABEL]).filter(Boolean))], { placeHolder: vscode.l10n.t('Choose a Compose project') }));
      if (!project) return undefined;
      const members = () =>
        session.containers
          .all()
          .filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === project)
          .map((c) => ({ id: c.id, service: c.labels['com.docker.compose.service'] ?? c.name }));
      const s = logSettings();
      return track(openProjectLogTerminal(session.requireClient(), project, members, { tail: s.tail, timestamps: s.timestamps }));
    }),
    registerCommand(ctx, 'berth.containers.attachShell', async (clicked?: unknown, args?: unknown) => {
      const c = await pick(clicked, true);
      if (!c) return undefined;
      if (c.state !== 'running') throw new Error(vscode.l10n.t('{0} is not running: start it to open a shell.', c.name));
      const client = session.requireClient();
      const configured = ((args as { shell?: string } | undefined)?.shell ?? vscode.workspace.getConfiguration('berth').get<string>('shell', '')).trim();
      let shell: string | undefined = configured || undefined;
      if (!shell) {
        // bash when the container has it, else sh; probed without a TTY so a missing one cannot hang.
        for (const candidate of ['bash', 'sh']) if ((await client.execStatus(c.id, [candidate, '-c', 'exit 0'])) === 0) {
          shell = candidate;
          break;
        }
      }
      if (!shell) throw new Error(vscode.l10n.t('{0} has no shell (neither bash nor sh). Set berth.shell to a program the container has.', c.name));
      return track(openShellTerminal(client, c.id, c.name, [shell]));
    }),
  ];
}
