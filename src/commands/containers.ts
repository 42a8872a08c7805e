// Container lifecycle: start, stop, restart, pause, unpause, kill, remove, copy id and name.
// Every action applies to the whole selection and reports all failures in one message.
import * as vscode from 'vscode';
import type { ContainerAction } from '../contract/client';
import type { EngineSession } from '../session/engineSession';
import type { ContainerRecord } from '../contract/records';
import { formatPort, portKey, portUrl } from '../model/format';
import type { ContainersProvider } from '../tree/containers/containersProvider';
import { containerStatusText } from '../tree/containers/statusText';
import { inspectOptions, openInspect } from '../ui/inspectDocuments';
import { plural } from '../ui/locale';
import { confirm, runBatch, throwFailures } from '../ui/progress';
import { registerCommand, type CommandContext } from './register';

const ACTIONS: { command: string; action: ContainerAction; applies: (c: ContainerRecord) => boolean; progress: string }[] = [
  { command: 'berth.containers.start', action: 'start', applies: (c) => c.state === 'exited' || c.state === 'created' || c.state === 'dead', progress: 'Starting' },
  { command: 'berth.containers.stop', action: 'stop', applies: (c) => c.state === 'running' || c.state === 'restarting' || c.state === 'paused', progress: 'Stopping' },
  { command: 'berth.containers.restart', action: 'restart', applies: (c) => c.state !== 'removing', progress: 'Restarting' },
  { command: 'berth.containers.pause', action: 'pause', applies: (c) => c.state === 'running', progress: 'Pausing' },
  { command: 'berth.containers.unpause', action: 'unpause', applies: (c) => c.state === 'paused', progress: 'Resuming' },
  { command: 'berth.containers.kill', action: 'kill', applies: (c) => c.state === 'running' || c.state === 'paused' || c.state === 'restarting', progress: 'Killing' },
];

/** The containers a command acts on: the selection, the clicked row, or a pick from the palette. */
async function targets(session: EngineSession, clicked: unknown, selected: unknown, applies: (c: ContainerRecord) => boolean): Promise<ContainerRecord[]> {
  const ids = Array.isArray(selected) && selected.length ? selected : typeof clicked === 'string' ? [clicked] : [];
  const records = ids.map((id) => session.containers.get(String(id))).filter((c): c is ContainerRecord => !!c);
  if (records.length || ids.length) return records;
  const candidates = session.containers.all().filter(applies);
  if (!candidates.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No container is in a state this action applies to.'));
    return [];
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.name, description: `${containerStatusText(c, Date.now())} · ${c.image}`, record: c })),
    { canPickMany: true, placeHolder: vscode.l10n.t('Choose containers') },
  );
  return picked?.map((p) => p.record) ?? [];
}

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

export function registerContainerCommands(ctx: CommandContext, session: EngineSession, tree: ContainersProvider): vscode.Disposable[] {
  const lifecycle = ACTIONS.map(({ command, action, applies, progress }) =>
    registerCommand(ctx, command, async (clicked?: unknown, selected?: unknown) => {
      const records = (await targets(session, clicked, selected, applies)).filter(applies);
      if (!records.length) return;
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
    registerCommand(ctx, 'berth.containers.remove', async (clicked?: unknown, selected?: unknown) => {
      const records = await targets(session, clicked, selected, () => true);
      if (!records.length) return;
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
    registerCommand(ctx, 'berth.containers.openPort', async (key?: unknown) => {
      const row = typeof key === 'string' ? tree.port(key) : undefined;
      // On a container row: its own web ports (straight away when there is just one).
      const container = typeof key === 'string' && !row ? session.containers.get(key) : undefined;
      let url = row && portUrl(row.port);
      if (!url) {
        const choices = (container ? [container] : session.containers.all())
          .filter((c) => c.state === 'running')
          .flatMap((c) => c.ports.map((p) => ({ label: formatPort(p), description: c.name, url: portUrl(p), key: portKey(c.id, p) })))
          .filter((c) => c.url);
        if (!choices.length) {
          void vscode.window.showInformationMessage(
            container ? vscode.l10n.t('{0} publishes no TCP port.', container.name) : vscode.l10n.t('No running container publishes a TCP port.'),
          );
          return;
        }
        url = choices.length === 1 && container ? choices[0].url : (await vscode.window.showQuickPick(choices, { placeHolder: vscode.l10n.t('Choose a port to open') }))?.url;
      }
      if (!url) return;
      // asExternalUri maps the address when VS Code runs remotely or in a browser.
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
      await vscode.env.openExternal(external);
      return external.toString();
    }),
    // A row's click and Enter pass { preserveFocus: true }; the context menu passes the selection.
    registerCommand(ctx, 'berth.containers.inspect', async (clicked?: unknown, options?: unknown) => {
      const [c] = await targets(session, clicked, undefined, () => true);
      if (c) await openInspect('container', c.id, c.name, inspectOptions(options));
    }),
    registerCommand(ctx, 'berth.containers.copyId', async (clicked?: unknown) => {
      const [c] = await targets(session, clicked, undefined, () => true);
      if (c) await vscode.env.clipboard.writeText(c.id);
    }),
    registerCommand(ctx, 'berth.containers.copyName', async (clicked?: unknown) => {
      const [c] = await targets(session, clicked, undefined, () => true);
      if (c) await vscode.env.clipboard.writeText(c.name);
    }),
  ];
}
