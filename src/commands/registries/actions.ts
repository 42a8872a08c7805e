// What the Registries view's commands do (registered in commands/registries.ts, carried out here in
// dist/registries.js): Log In (the password checked against the registry before it is stored where
// the docker CLI keeps it), Log Out, Add and Remove Registry, Pull, Copy Reference, Delete Tag.
import * as vscode from 'vscode';
import { RegistryError } from '../../model/registry/client';
import { tagsSharingManifest } from '../../model/registry/deletion';
import { logIn, logOut } from '../../model/registry/login';
import { DEFAULT_CERTS_DIR } from '../../model/registry/tlsTrust';
import { configuredRegistries, credentialsFor, credentialStoreFor, hostOf } from '../../model/registryCredentials';
import type { RegistriesDeps, RegistriesProvider, RegistryRow } from '../../tree/registries/registriesProvider';
import { registryFailure } from '../../ui/registryText';

export const ADDED_KEY = 'berth.registries.added';

/** A registry address as typed ("https://registry.example.com:5000/" → "registry.example.com:5000"), or why not. */
export function parseRegistryHost(text: string): { host?: string; error?: string } {
  const host = hostOf(text);
  if (!host) return { error: vscode.l10n.t('Type a registry address such as registry.example.com or 127.0.0.1:5000.') };
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/.test(host) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(host)) {
    return { error: vscode.l10n.t('"{0}" is not a registry address: a host name or IP address, optionally with :port.', host) };
  }
  return { host };
}

type TagRow = Extract<RegistryRow, { kind: 'tag' }>;

export class RegistryActions {
  constructor(
    private readonly provider: RegistriesProvider,
    private readonly deps: RegistriesDeps & { memory: vscode.Memento },
  ) {}

  private certsDir(): string {
    return this.deps.certsDir() || DEFAULT_CERTS_DIR;
  }

  /** The registries to offer in a picker: the docker config's and the added ones. */
  private async knownHosts(): Promise<string[]> {
    const configured = await configuredRegistries(this.deps.env()).catch(() => [] as string[]);
    return [...new Set([...configured, ...this.deps.added()])].sort();
  }

  private async pickHost(title: string, hosts?: string[]): Promise<string | undefined> {
    const known = hosts ?? (await this.knownHosts());
    const pick = vscode.window.createQuickPick();
    pick.title = title;
    pick.placeholder = vscode.l10n.t('registry.example.com or host:port');
    pick.items = known.map((h) => ({ label: h }));
    return new Promise((resolve) => {
      // A typed address is offered as the first item, so a registry not yet known can be chosen.
      pick.onDidChangeValue((v) => {
        const typed = parseRegistryHost(v).host;
        pick.items = [...(typed && !known.includes(typed) ? [{ label: typed, description: vscode.l10n.t('new registry') }] : []), ...known.map((h) => ({ label: h }))];
      });
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0]?.label ?? parseRegistryHost(pick.value).host;
        resolve(chosen);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
  }

  async logIn(host?: string, options: { username?: string } = {}): Promise<boolean> {
    host ??= await this.pickHost(vscode.l10n.t('Log In: choose a registry or type its address'));
    if (!host) return false;
    const env = this.deps.env();
    const current = await credentialsFor(host, env).catch(() => undefined);
    const username =
      options.username ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Log In to {0}', host),
        prompt: vscode.l10n.t('User name'),
        value: current?.username ?? '',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type the user name of your account on this registry.')),
      }));
    if (!username) return false;
    const box = vscode.window.createInputBox();
    box.title = vscode.l10n.t('Log In to {0}', host);
    box.prompt = vscode.l10n.t('Password or access token for {0}', username.trim());
    box.password = true;
    box.ignoreFocusOut = true;
    const ok = await new Promise<boolean>((resolve) => {
      let done = false;
      box.onDidChangeValue(() => (box.validationMessage = undefined));
      box.onDidAccept(async () => {
        if (!box.value || box.busy) return;
        box.busy = true;
        box.enabled = false;
        try {
          await logIn(host, username.trim(), box.value, env, { certsDir: this.deps.certsDir(), log: (m) => this.deps.log(`registry ${m}`) });
          done = true;
          resolve(true);
          box.hide();
        } catch (err) {
          this.deps.log(`log-in to ${host} failed: ${(err as Error).message}`);
          // Said in the box, which stays open for another try: no popup.
          box.validationMessage =
            err instanceof RegistryError && err.kind === 'unauthorized' ? vscode.l10n.t('{0} refused this user name or password.', host) : registryFailure(err, host, this.certsDir()).long;
        } finally {
          box.busy = false;
          box.enabled = true;
        }
      });
      box.onDidHide(() => {
        if (!done) resolve(false);
        box.dispose();
      });
      box.show();
    });
    if (!ok) return false;
    const store = await credentialStoreFor(host, env);
    if (!this.deps.added().includes(host) && !(await configuredRegistries(env)).includes(host)) await this.add(host);
    this.provider.refresh(`registry:${host}`);
    this.provider.refresh();
    void vscode.window.showInformationMessage(vscode.l10n.t('Logged in to {0} as {1}. The docker CLI uses the same credentials ({2}).', host, username.trim(), store.helper ? `docker-credential-${store.helper}` : store.file));
    return true;
  }

  async logOut(host?: string): Promise<void> {
    host ??= await this.pickHost(vscode.l10n.t('Log Out: choose a registry'));
    if (!host) return;
    const had = await logOut(host, this.deps.env());
    this.provider.refresh();
    void vscode.window.showInformationMessage(had ? vscode.l10n.t('Logged out of {0}: its credentials are removed for Berth and the docker CLI.', host) : vscode.l10n.t('No credentials were stored for {0}.', host));
  }

  private async add(host: string): Promise<void> {
    const added = this.deps.added();
    if (!added.includes(host)) await this.deps.memory.update(ADDED_KEY, [...added, host]);
  }

  async addRegistry(options: { host?: string } = {}): Promise<string | undefined> {
    let host = options.host !== undefined ? parseRegistryHost(options.host).host : undefined;
    if (options.host !== undefined && !host) throw new Error(parseRegistryHost(options.host).error);
    host ??= await vscode.window
      .showInputBox({
        title: vscode.l10n.t('Add Registry'),
        prompt: vscode.l10n.t('Registry address, as in an image reference (host or host:port)'),
        placeHolder: 'registry.example.com:5000',
        ignoreFocusOut: true,
        validateInput: (v) => parseRegistryHost(v).error,
      })
      .then((v) => (v ? parseRegistryHost(v).host : undefined));
    if (!host) return undefined;
    await this.add(host);
    this.provider.refresh();
    return host;
  }

  async removeRegistry(host: string): Promise<void> {
    await this.deps.memory.update(
      ADDED_KEY,
      this.deps.added().filter((h) => h !== host),
    );
    this.provider.refresh();
  }

  reference(row: TagRow, digest?: string): string {
    return digest ? `${row.host}/${row.repo}@${digest}` : `${row.host}/${row.repo}:${row.tag}`;
  }

  async pull(row: TagRow): Promise<void> {
    const ref = this.reference(row);
    // Pull Image… with the reference given: its progress terminal, Cancel and the tree's new row.
    await vscode.commands.executeCommand('berth.images.pull', { reference: ref });
  }

  async copyReference(row: TagRow, byDigest: boolean, digest?: string): Promise<string> {
    let d = digest;
    if (byDigest && !d) {
      const m = await this.provider.manifestOf(row);
      if (!m.info) throw new Error(m.failure?.long ?? '');
      d = m.info.digest;
    }
    const ref = this.reference(row, byDigest ? d : undefined);
    await vscode.env.clipboard.writeText(ref);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', ref), 4000);
    return ref;
  }

  async deleteTag(row: TagRow): Promise<boolean> {
    const client = this.provider.client(row.host);
    const where = `${row.host}/${row.repo}:${row.tag}`;
    const found = await vscode.window.withProgress({ location: { viewId: 'berth.registries' } }, async () => {
      const digest = await client.digest(row.repo, row.tag);
      return { digest, others: await tagsSharingManifest(client, row.repo, row.tag, digest) };
    });
    const detail = found.others.length
      ? vscode.l10n.t('Registries delete by digest: these tags point to the same manifest ({0}) and will be deleted too: {1}.', found.digest, found.others.join(', '))
      : vscode.l10n.t('Deletion is by digest: the manifest {0} goes; no other tag of {1} points to it.', found.digest, row.repo);
    const del = vscode.l10n.t('Delete');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Delete {0} from the registry?', where), { modal: true, detail }, del);
    if (choice !== del) return false;
    try {
      await client.deleteManifest(row.repo, found.digest);
    } catch (err) {
      if (err instanceof RegistryError) throw new Error(registryFailure(err, row.host, this.certsDir()).long);
      throw err;
    }
    this.provider.refresh(`repo:${row.host}/${row.repo}`);
    void vscode.window.showInformationMessage(
      found.others.length ? vscode.l10n.t('Deleted {0} and {1} from {2}.', row.tag, found.others.join(', '), `${row.host}/${row.repo}`) : vscode.l10n.t('Deleted {0}.', where),
    );
    return true;
  }
}
