// Registry commands: registered here (in dist/extension.js) and carried out by dist/registries.js,
// loaded on first use. Rows are the Registries view's keys: registry:, repo:, tag:, detail:, more:.
import * as vscode from 'vscode';
import type { RegistryRow } from '../tree/registries/registriesProvider';
import type { RegistriesView } from '../tree/registries/registriesView';
import { registerRowCommand, type CommandContext } from './register';

type TagRow = Extract<RegistryRow, { kind: 'tag' }>;

export function registerRegistryCommands(ctx: CommandContext, view: RegistriesView): vscode.Disposable[] {
  const actions = () => view.feature().actions;
  /** The registry a row belongs to (a registry row, or a message row's log-in offer). */
  const hostOf = (key: string | undefined): string | undefined => {
    view.feature();
    const row = key ? view.row(key) : undefined;
    if (row?.kind === 'registry') return row.host;
    if (row?.kind === 'message') return row.logIn;
    return key?.startsWith('registry:') ? key.slice('registry:'.length) : undefined;
  };
  /** The tag a row stands for; from the palette, a picker over the tags listed so far. */
  const tagOf = async (key: string | undefined): Promise<{ tag: TagRow; digest?: string } | undefined> => {
    view.feature();
    const row = key ? view.row(key) : undefined;
    if (row?.kind === 'tag') return { tag: row };
    if (row?.kind === 'detail') {
      const tag = view.row(`tag:${row.host}/${row.repo}:${row.tag}`);
      return tag?.kind === 'tag' ? { tag, digest: row.digest } : undefined;
    }
    const tags = view.rows().filter((r): r is TagRow => r.kind === 'tag');
    if (!tags.length) throw new Error(vscode.l10n.t('No tag is listed yet: expand a repository in the Registries view first.'));
    const pick = await vscode.window.showQuickPick(
      tags.map((t) => ({ label: `${t.host}/${t.repo}:${t.tag}`, tag: t })),
      { placeHolder: vscode.l10n.t('Choose a tag') },
    );
    return pick ? { tag: pick.tag } : undefined;
  };
  return [
    registerRowCommand(ctx, 'berth.registry.logIn', (key, input) => actions().logIn(hostOf(key) ?? (input.options?.host as string | undefined), { username: input.options?.username as string | undefined })),
    registerRowCommand(ctx, 'berth.registry.logOut', (key, input) => actions().logOut(hostOf(key) ?? (input.options?.host as string | undefined))),
    registerRowCommand(ctx, 'berth.registry.add', (_key, input) => actions().addRegistry({ host: input.options?.host as string | undefined })),
    registerRowCommand(ctx, 'berth.registry.remove', async (key) => {
      const host = hostOf(key);
      if (host) await actions().removeRegistry(host);
    }),
    registerRowCommand(ctx, 'berth.registry.refresh', (key) => view.feature().provider.refresh(key)),
    registerRowCommand(ctx, 'berth.registry.loadMore', (key) => (key ? view.feature().provider.loadMore(key) : undefined)),
    registerRowCommand(ctx, 'berth.registry.pull', async (key) => {
      const t = await tagOf(key);
      return t ? actions().pull(t.tag) : undefined;
    }),
    registerRowCommand(ctx, 'berth.registry.copyReference', async (key) => {
      const t = await tagOf(key);
      return t ? actions().copyReference(t.tag, false) : undefined;
    }),
    registerRowCommand(ctx, 'berth.registry.copyDigestReference', async (key) => {
      const t = await tagOf(key);
      return t ? actions().copyReference(t.tag, true, t.digest) : undefined;
    }),
    registerRowCommand(ctx, 'berth.registry.deleteTag', async (key) => {
      const t = await tagOf(key);
      return t ? actions().deleteTag(t.tag) : undefined;
    }),
  ];
}
