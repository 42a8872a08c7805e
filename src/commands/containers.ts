// Container actions: start, stop, restart, pause, unpause, kill, remove, open a port, inspect, copy
// id and name, attach a shell. Every action applies to the whole selection and reports all
// failures in one message.
import * as vscode from 'vscode';
import type { ContainerAction } from '../contract/client';
import type { EngineSession } from '../session/engineSession';
import type { ContainerRecord } from '../contract/records';
import { openShellTerminal } from '../terminals/ttyTerminal';
import type { StreamTerminals } from '../terminals/streamTerminals';
import type { ContainersProvider } from '../tree/containers/containersProvider';
import { inspectOptions, openInspect } from '../ui/inspectDocuments';
import { plural } from '../ui/locale';
import { confirm, runBatch, throwFailures } from '../ui/progress';
import { registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

const ACTIONS: { command: string; action: ContainerAction; applies: (c: ContainerRecord) => boolean; progress: string }[] = [
  { command: 'berth.containers.start', action: 'start', applies: (c) => c.state === 'exited' || c.state === 'created' || c.state === 'dead', progress: 'Starting' },
  { command: 'berth.containers.stop', action: 'stop', applies: (c) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused', progress: 'Stopping' },
  { command: 'berth.containers.restart', action: 'restart', applies: (c) => c.state !== 'removing', progress: 'Restarting' },
  { command: 'berth.containers.pause', action: 'pause', applies: (c) => c.state === 'running', progress: 'Pausing' },
  { command: 'berth.containers.unpause', action: 'unpause', applies: (c) => c.state === 'paused', progress: 'Resuming' },
  { command: 'berth.containers.kill', action: 'kill', applies: (c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting', progress: 'Killing' },
];

async function runAll(records: ContainerRecord[], title: string, act: (c: ContainerRecord) => Promise<void>): Promise<void> {
  const result = await runBatch('berth.containers', title, records, (c) => c.name, act);
  throwFailures(result, records.length, (failed, total, details) => plural(failed, vscode.l10n.t('1 of {1} containers failed: {2}', failed, total, details), vscode.l10n.t('{0} of {1} containers failed: {2}', failed, total, details)));
}

function progressTitle(progress: string, count: number): string {
  switch (progress) {
    case 'Starting':
      return plural(count, vscode.l10n.t('Starting {0} container…', count), vscode.l10n.t('Starting {0} containers…', count));
    case 'Stopping':
      return plural(count, vscode.l10n.t('Stopping {0} container…', count), vscode.l10n.t('Stopping {0} containers…', count));
    case 'Restarting':
      return plural(count, vscode.l10n.t('Restarting {0} container…', count), vscode.l10n.t('Restarting {0} containers…', count));
    case 'Pausing':
      return plural(count, vscode.l10n.t('Pausing {0} container…', count), vscode.l10n.t('Pausing {0} containers…', count));
    case 'Resuming':
      return plural(count, vscode.l10n.t('Resuming {0} container…', count), vscode.l10n.t('Resuming {0} containers…', count));
    default:
      return plural(count, vscode.l10n.t('Killing {0} container…', count), vscode.l10n.t('Killing {0} containers…', count));
  }
}

export function registerContainerCommands(ctx: CommandContext, session: EngineSession, tree: ContainersProvider, targets: Targets, streams: StreamTerminals): vscode.Disposable[] {
  const containers = targets.containers;
  const lifecycle = ACTIONS.map(({ command, action, applies, progress }) =>
    registerTargetCommand(ctx, command, { kind: containers, applies, many: true, noneApplies: vscode.l10n.t('No container is in a state this action applies to.') }, async (records) => {
      const client = session.requireClient();
      // Docker says nothing while a stop waits out its grace period: the row says it meanwhile.
      const shown = action === 'stop' ? 'stopping' : action === 'restart' ? 'restarting' : undefined;
      await runAll(records, progressTitle(progress, records.length), async (c) => {
        if (!shown) return client.containerAction(c.id, action);
        tree.pending.begin(c.id, shown);
        try {
          await client.containerAction(c.id, action);
          tree.pending.succeeded(c.id);
        } catch (err) {
          tree.pending.failed(c.id);
          throw err;
        }
      });
    }),
  );
  return [
    ...lifecycle,
    registerTargetCommand(ctx, 'berth.containers.remove', { kind: containers, many: true }, async (records) => {
      const running = records.filter((c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting');
      const names = records.map((c) => c.name).join(', ');
      const remove = vscode.l10n.t('Remove');
      const force = vscode.l10n.t('Stop and Remove');
      const detail = running.length
        ? vscode.l10n.t('Running: {0}. Volumes are kept.', running.map((c) => c.name).join(', '))
        : vscode.l10n.t('Volumes are kept.');
      const answer = await confirm(
        records.length === 1 ? vscode.l10n.t('Remove container {0}?', names) : vscode.l10n.t('Remove {0} containers ({1})?', records.length, names),
        detail,
        ...(running.length ? [force] : [remove]),
      );
      if (!answer) return;
      const client = session.requireClient();
      await runAll(records, plural(records.length, vscode.l10n.t('Removing {0} container…', records.length), vscode.l10n.t('Removing {0} containers…', records.length)), (c) => client.removeContainer(c.id, answer === force));
    }),
    // A port row opens its address; a container row its own web port (asking when it has several).
    registerTargetCommand(ctx, 'berth.containers.openPort', { kind: targets.ports, many: false }, async ([p]) => {
      // asExternalUri maps the address when VS Code runs remotely or in a browser.
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(p.url));
      await vscode.env.openExternal(external);
      return external.toString();
    }),
    // Any published port, web or not ("127.0.0.1:5433" for postgres): what a client connects to.
    registerTargetCommand(ctx, 'berth.containers.copyPortAddress', { kind: targets.addresses, many: false, engine: false }, async ([p]) => {
      await vscode.env.clipboard.writeText(p.url);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', p.url), 3000);
      return p.url;
    }),
    // A row's click and Enter pass { preserveFocus: true }; the context menu passes the selection.
    registerTargetCommand(ctx, 'berth.containers.inspect', { kind: containers, many: false }, ([c], { options }) => openInspect('container', c.id, c.name, inspectOptions(options))),
    registerTargetCommand(ctx, 'berth.containers.copyId', { kind: containers, many: false, engine: false }, ([c]) => vscode.env.clipboard.writeText(c.id)),
    registerTargetCommand(ctx, 'berth.containers.copyName', { kind: containers, many: false, engine: false }, ([c]) => vscode.env.clipboard.writeText(c.name)),
    registerTargetCommand(
      ctx,
      'berth.containers.attachShell',
      { kind: containers, many: false, applies: (c) => c.state === 'running',
        noneApplies: vscode.l10n.t('No container is running.'),
        refused: (c) => vscode.l10n.t('{0} is not running: start it to open a shell.', c.name),
      },
      async ([c], { options }) => {
        const client = session.requireClient();
        const asked = typeof options?.shell === 'string' ? options.shell : undefined;
        const configured = (asked ?? vscode.workspace.getConfiguration('berth').get<string>('shell', '')).trim();
        let shell: string | undefined = configured || undefined;
        if (!shell) {
          // bash when the container has it, else sh; probed without a TTY so a missing one cannot hang.
          for (const candidate of ['bash', 'sh'])
            if ((await client.execStatus(c.id, [candidate, '-c', 'exit 0'])) === 0) {
              shell = candidate;
              break;
            }
        }
        if (!shell) throw new Error(vscode.l10n.t('{0} has no shell (neither bash nor sh). Set berth.shell to a program the container has.', c.name));
        return streams.track(openShellTerminal(client, c.id, c.name, [shell]));
      },
    ),
  ];
}
