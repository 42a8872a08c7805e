// Container files' commands (issue 25). The work is in dist/files.js (commands/files/), loaded by
// the first command, file opened or Files row expanded; this file only registers.
import * as vscode from 'vscode';
import type { ContainerRecord } from '../contract/records';
import type { LazyFiles } from '../ui/filesModule';
import { registerKeyCommand, registerTargetCommand, type CommandContext } from './register';
import type { Targets } from './targets';

export function registerFileCommands(ctx: CommandContext, files: LazyFiles, targets: Targets): vscode.Disposable[] {
  const onKey = (id: string, run: (key: string, args: unknown[]) => Promise<void>) =>
    registerKeyCommand(ctx, id, async (keys, args) => {
      if (!keys.length) throw new Error(vscode.l10n.t('Choose a file or folder under a container’s Files.'));
      await run(keys[0], args);
    });
  const running = (c: ContainerRecord) => c.state !== 'removing' && c.state !== 'dead';
  return [
    onKey('berth.files.open', (key) => files.get().actions.openKey(key)),
    onKey('berth.files.newFile', (key) => files.get().actions.create(key, 'file')),
    onKey('berth.files.newFolder', (key) => files.get().actions.create(key, 'dir')),
    onKey('berth.files.rename', (key) => files.get().actions.rename(key)),
    onKey('berth.files.delete', (key) => files.get().actions.remove(key)),
    onKey('berth.files.download', (key) => files.get().actions.download(key)),
    onKey('berth.files.upload', (key) => files.get().actions.upload(key)),
    registerTargetCommand(ctx, 'berth.containers.openFile', { kind: targets.containers, many: false, applies: running }, ([c]) => files.get().actions.openInContainer(c.id)),
    registerTargetCommand(ctx, 'berth.containers.showChanges', { kind: targets.containers, many: false, applies: running }, ([c]) => files.get().actions.showChanges(c.id)),
  ];
}
