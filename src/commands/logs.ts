// View Logs, View Logs Since…, Save Logs… and a Compose project's logs.
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { EngineSession } from '../session/engineSession';
import { COMPOSE_PROJECT_LABEL } from '../model/grouping';
import { sinceValue } from '../model/logStream';
import { saveLogs, SaveLogsError } from '../model/logSave';
import type { ContainerRecord } from '../contract/records';
import { openLogTerminal, openProjectLogTerminal } from '../terminals/logTerminal';
import type { StreamTerminals } from '../terminals/streamTerminals';
import { registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

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

/** A failed save, naming the file, what happened, and a partial file left behind if any. */
function saveFailureText(err: SaveLogsError): string {
  const what = {
    'no-space': vscode.l10n.t('Cannot save the logs to {0}: no space is left on that disk.', err.file),
    'read-only': vscode.l10n.t('Cannot save the logs to {0}: that location is read-only.', err.file),
    denied: vscode.l10n.t('Cannot save the logs to {0}: permission denied.', err.file),
    'no-folder': vscode.l10n.t('Cannot save the logs to {0}: its folder does not exist.', err.file),
    other: vscode.l10n.t('Cannot save the logs to {0}: {1}', err.file, err.detail),
  }[err.reason];
  return err.partialLeft ? `${what} ${vscode.l10n.t('A partial file is left at {0}.', err.partialLeft)}` : `${what} ${vscode.l10n.t('Nothing was written.')}`;
}

export function registerLogCommands(ctx: CommandContext, session: EngineSession, targets: Targets, streams: StreamTerminals): vscode.Disposable[] {
  const containers = targets.containers;
  const view = (c: ContainerRecord, args: LogArgs = {}) => {
    const s = logSettings();
    return streams.track(openLogTerminal(session.liveClient(), c.id, c.name, { tail: args.tail ?? s.tail, since: sinceValue(args.since), timestamps: args.timestamps ?? s.timestamps }));
  };
  return [
    registerTargetCommand(ctx, 'berth.containers.viewLogs', { kind: containers, many: false }, ([c], { options }) => view(c, options as LogArgs | undefined)),
    registerTargetCommand(ctx, 'berth.containers.viewLogsSince', { kind: containers, many: false }, async ([c]) => {
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
      return view(c, { since, tail: 'all', timestamps: ts.value });
    }),
    registerTargetCommand(ctx, 'berth.containers.saveLogs', { kind: containers, many: false }, async ([c], { options }) => {
      const a = (options ?? {}) as { since?: string; file?: string };
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
        try {
          await saveLogs(client, c.id, { tty: state.tty, since: sinceValue(since) }, target.fsPath, abort.signal);
        } catch (err) {
          throw err instanceof SaveLogsError ? new Error(saveFailureText(err)) : err;
        }
      });
      void vscode.window.showInformationMessage(vscode.l10n.t('Saved the logs of {0} to {1}.', c.name, target.fsPath));
      return target.fsPath;
    }),
    registerTargetCommand(ctx, 'berth.containers.composeLogs', { kind: targets.projects, many: false }, ([project]) => {
      const members = () =>
        session.containers
          .all()
          .filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === project)
          .map((c) => ({ id: c.id, service: c.labels['com.docker.compose.service'] ?? c.name }));
      const s = logSettings();
      return streams.track(openProjectLogTerminal(session.liveClient(), project, members, { tail: s.tail, timestamps: s.timestamps }));
    }),
  ];
}
