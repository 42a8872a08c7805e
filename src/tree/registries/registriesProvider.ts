// The Registries view: registry → repositories (the catalog, one page per expansion and a "Load
// more" row) → tags (paged the same way) → the tag's digest, size, created time and, for a
// multi-platform index, its platforms. Nothing is asked of a registry until its row is expanded.
// A failure is said on the row it belongs to (description and tooltip) and in one message row
// below it; it is not retried until Refresh, so an expanded row never loops on a failing registry.
import * as vscode from 'vscode';
import { formatAge, shortId } from '../../model/format';
import { apiHost, PAGE_SIZE, RegistryClient, type ManifestInfo } from '../../model/registry/client';
import { DEFAULT_CERTS_DIR } from '../../model/registry/tlsTrust';
import { configuredRegistries, credentialsFor, credentialStoreFor } from '../../model/registryCredentials';
import { plural, sizeText } from '../../ui/locale';
import { registryFailure, type FailureText } from '../../ui/registryText';

export type RegistryRow =
  | { kind: 'registry'; key: string; host: string; added: boolean; configured: boolean }
  | { kind: 'repository'; key: string; host: string; repo: string }
  | { kind: 'tag'; key: string; host: string; repo: string; tag: string }
  | { kind: 'detail'; key: string; host: string; repo: string; tag: string; label: string; value: string; tooltip?: string; digest?: string }
  | { kind: 'more'; key: string; parent: string }
  | { kind: 'message'; key: string; parent: string; text: string; tooltip: string; logIn?: string };

export interface RegistriesDeps {
  env(): NodeJS.ProcessEnv;
  /** The certs.d folder (setting berth.registries.certsDirectory, else /etc/docker/certs.d). */
  certsDir(): string | undefined;
  /** Registries the user added (Add Registry…), host[:port]. */
  added(): string[];
  log(m: string): void;
}

interface Listing {
  items: string[];
  next?: string;
  loaded: boolean;
  failure?: FailureText;
  loading?: Promise<void>;
}

interface RegistryState {
  client: RegistryClient;
  user?: string;
  credentialsFrom?: string;
  repos: Listing;
  failure?: FailureText;
}

export class RegistriesProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | string[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly rows = new Map<string, RegistryRow>();
  private readonly registries = new Map<string, RegistryState>();
  private readonly tags = new Map<string, Listing>();
  private readonly manifests = new Map<string, { info?: ManifestInfo; failure?: FailureText }>();
  private hosts: string[] = [];

  constructor(private readonly deps: RegistriesDeps) {}

  row(key: string): RegistryRow | undefined {
    return this.rows.get(key);
  }

  allRows(): RegistryRow[] {
    return [...this.rows.values()];
  }

  /** Forgets what was loaded under `key` (everything when undefined) and shows it again. */
  refresh(key?: string): void {
    const row = key ? this.rows.get(key) : undefined;
    if (!row || row.kind === 'registry') {
      const hosts = row ? [row.host] : [...this.registries.keys()];
      for (const h of hosts) {
        this.registries.get(h)?.client.dispose();
        this.registries.delete(h);
        for (const k of [...this.tags.keys()]) if (k.startsWith(`repo:${h}/`)) this.tags.delete(k);
        for (const k of [...this.manifests.keys()]) if (k.startsWith(`tag:${h}/`)) this.manifests.delete(k);
      }
      this.changed.fire(row ? key : undefined);
      return;
    }
    if (row.kind === 'repository') {
      this.tags.delete(row.key);
      for (const k of [...this.manifests.keys()]) if (k.startsWith(`tag:${row.host}/${row.repo}:`)) this.manifests.delete(k);
    }
    if (row.kind === 'tag') this.manifests.delete(row.key);
    this.changed.fire(key);
  }

  /** The client of a registry (made on first use; its credentials read when first asked for). */
  client(host: string): RegistryClient {
    return this.state(host).client;
  }

  async getChildren(key?: string): Promise<string[]> {
    if (!key) return this.registryKeys();
    const row = this.rows.get(key);
    if (!row) return [];
    if (row.kind === 'registry') return this.repositoryKeys(row);
    if (row.kind === 'repository') return this.tagKeys(row);
    if (row.kind === 'tag') return this.detailKeys(row);
    return [];
  }

  getParent(key: string): string | undefined {
    // Repository and tag keys name their parents, so a row not listed yet can be revealed.
    // (VS Code asks for the row's item before its parent lists it, so the row is made here too.)
    const repo = /^repo:([^/]+)\/(.+)$/.exec(key);
    if (repo) {
      if (!this.rows.has(key)) this.rows.set(key, { kind: 'repository', key, host: repo[1], repo: repo[2] });
      return `registry:${repo[1]}`;
    }
    const tag = /^tag:([^/]+)\/(.+):([^:/]+)$/.exec(key);
    if (tag) {
      if (!this.rows.has(key)) this.rows.set(key, { kind: 'tag', key, host: tag[1], repo: tag[2], tag: tag[3] });
      return `repo:${tag[1]}/${tag[2]}`;
    }
    const row = this.rows.get(key);
    if (!row) return undefined;
    switch (row.kind) {
      case 'registry':
        return undefined;
      case 'repository':
        return `registry:${row.host}`;
      case 'tag':
        return `repo:${row.host}/${row.repo}`;
      case 'detail':
        return `tag:${row.host}/${row.repo}:${row.tag}`;
      default:
        return row.parent;
    }
  }

  getTreeItem(key: string): vscode.TreeItem {
    const row = this.rows.get(key);
    if (!row) return new vscode.TreeItem(key);
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (row.kind) {
      case 'registry': {
        const item = new vscode.TreeItem(row.host === 'docker.io' ? vscode.l10n.t('Docker Hub (docker.io)') : row.host, collapsed);
        item.id = key;
        const s = this.registries.get(row.host);
        const failure = s?.failure ?? s?.repos.failure;
        item.iconPath = new vscode.ThemeIcon(failure ? 'warning' : 'database', failure ? new vscode.ThemeColor('list.warningForeground') : undefined);
        item.description = failure ? failure.short : s?.user ? vscode.l10n.t('as {0}', s.user) : undefined;
        const lines = [`**${row.host}**`];
        if (s?.user) lines.push(vscode.l10n.t('Logged in as {0} (credentials in {1}).', s.user, s.credentialsFrom ?? ''));
        else if (s) lines.push(vscode.l10n.t('No stored credentials.'));
        if (row.configured) lines.push(vscode.l10n.t('Listed in the docker config.'));
        if (failure) lines.push('', `$(warning) ${failure.long}`);
        item.tooltip = new vscode.MarkdownString(lines.join('\n\n'), true);
        item.contextValue = `registry${row.added ? ':added' : ''}${s?.user ? ':loggedIn' : ''}`;
        return item;
      }
      case 'repository': {
        const item = new vscode.TreeItem(row.repo, collapsed);
        item.id = key;
        const failure = this.tags.get(key)?.failure;
        item.iconPath = new vscode.ThemeIcon(failure ? 'warning' : 'repo');
        item.description = failure?.short;
        item.tooltip = failure ? failure.long : `${row.host}/${row.repo}`;
        item.contextValue = 'registryRepository';
        return item;
      }
      case 'tag': {
        const item = new vscode.TreeItem(row.tag, collapsed);
        item.id = key;
        const m = this.manifests.get(key);
        item.iconPath = new vscode.ThemeIcon(m?.failure ? 'warning' : 'tag');
        item.description = m?.failure?.short ?? (m?.info ? shortId(m.info.digest.replace(/^sha256:/, '')) : undefined);
        item.tooltip = m?.failure?.long ?? `${row.host}/${row.repo}:${row.tag}${m?.info ? `\n${m.info.digest}` : ''}`;
        item.contextValue = 'registryTag';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(row.label);
        item.id = key;
        item.description = row.value;
        item.tooltip = row.tooltip ?? `${row.label}: ${row.value}`;
        item.contextValue = row.digest ? 'registryDetail:digest' : 'registryDetail';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load more…'));
        item.id = key;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'berth.registry.loadMore', title: vscode.l10n.t('Load more…'), arguments: [key] };
        item.contextValue = 'registryMore';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(row.text);
        item.id = key;
        item.tooltip = row.tooltip;
        item.iconPath = new vscode.ThemeIcon(row.logIn ? 'account' : 'info');
        if (row.logIn) {
          item.command = { command: 'berth.registry.logIn', title: vscode.l10n.t('Log In…'), arguments: [`registry:${row.logIn}`] };
          item.description = row.tooltip;
        }
        item.contextValue = 'registryMessage';
        return item;
      }
    }
  }

  /** Loads the next page under a "Load more" row's parent. */
  async loadMore(moreKey: string): Promise<void> {
    const row = this.rows.get(moreKey);
    if (row?.kind !== 'more') return;
    const parent = this.rows.get(row.parent);
    if (parent?.kind === 'registry') await this.loadPage(this.state(parent.host).repos, (last) => this.client(parent.host).catalog(PAGE_SIZE, last), parent.host, true);
    else if (parent?.kind === 'repository') await this.loadPage(this.tagListing(parent.key), (last) => this.client(parent.host).tags(parent.repo, PAGE_SIZE, last), parent.host, true);
    this.changed.fire(row.parent);
  }

  private state(host: string): RegistryState {
    let s = this.registries.get(host);
    if (!s) {
      const env = this.deps.env();
      const client = new RegistryClient(apiHost(host), {
        credentials: () => credentialsFor(host, env),
        certsDir: this.deps.certsDir(),
        log: (m) => this.deps.log(`registry ${m}`),
      });
      s = { client, repos: { items: [], loaded: false } };
      this.registries.set(host, s);
    }
    return s;
  }

  private async registryKeys(): Promise<string[]> {
    const env = this.deps.env();
    let configured: string[] = [];
    try {
      configured = await configuredRegistries(env);
    } catch (err) {
      this.deps.log(`reading the docker config: ${(err as Error).message}`);
    }
    const added = this.deps.added();
    this.hosts = [...new Set([...configured, ...added])].sort((a, b) => a.localeCompare(b));
    for (const [k, r] of this.rows) if (r.kind === 'registry' && !this.hosts.includes(r.host)) this.rows.delete(k);
    const keys = this.hosts.map((host) => {
      const key = `registry:${host}`;
      this.rows.set(key, { kind: 'registry', key, host, added: added.includes(host), configured: configured.includes(host) });
      return key;
    });
    // Who is logged in where, for the rows' descriptions: read after the rows show, a helper may be slow.
    void Promise.all(this.hosts.map((h) => this.readUser(h))).then(() => this.changed.fire(keys));
    return keys;
  }

  private async readUser(host: string): Promise<void> {
    const s = this.state(host);
    const env = this.deps.env();
    try {
      const [creds, store] = await Promise.all([credentialsFor(host, env), credentialStoreFor(host, env)]);
      s.user = creds?.username ?? (creds?.identitytoken ? vscode.l10n.t('(identity token)') : undefined);
      s.credentialsFrom = store.helper ? `docker-credential-${store.helper}` : store.file;
      s.failure = undefined;
    } catch (err) {
      s.failure = registryFailure(err, host, this.certsDir());
    }
  }

  private certsDir(): string {
    return this.deps.certsDir() || DEFAULT_CERTS_DIR;
  }

  private async loadPage(listing: Listing, fetch: (last?: string) => Promise<{ items: string[]; next?: string }>, host: string, more = false): Promise<void> {
    if (listing.loaded && !more) return;
    if (listing.loading) return listing.loading;
    listing.loading = (async () => {
      try {
        const page = await fetch(more ? listing.next : undefined);
        listing.items.push(...page.items.filter((i) => !listing.items.includes(i)));
        listing.next = page.next;
        listing.failure = undefined;
      } catch (err) {
        this.deps.log(`${host}: ${(err as Error).message}`);
        listing.failure = registryFailure(err, host, this.certsDir());
      } finally {
        listing.loaded = true;
        listing.loading = undefined;
      }
    })();
    return listing.loading;
  }

  private async repositoryKeys(row: Extract<RegistryRow, { kind: 'registry' }>): Promise<string[]> {
    const s = this.state(row.host);
    const hadFailure = s.repos.failure;
    const first = !s.repos.loaded;
    await this.loadPage(s.repos, (last) => s.client.catalog(PAGE_SIZE, last), row.host);
    // The row's own description tells the failure (or its end): fired once, after a load, never from a cached answer.
    if (first && (s.repos.failure || hadFailure)) setTimeout(() => this.changed.fire(row.key), 0);
    if (s.repos.failure) return [this.message(row.key, s.repos.failure, s.repos.failure.logIn ? row.host : undefined)];
    if (s.repos.items.length === 0) return [this.message(row.key, { short: vscode.l10n.t('No repositories'), long: vscode.l10n.t('The catalog of {0} is empty.', row.host) })];
    const keys = s.repos.items.map((repo) => {
      const key = `repo:${row.host}/${repo}`;
      this.rows.set(key, { kind: 'repository', key, host: row.host, repo });
      return key;
    });
    return s.repos.next ? [...keys, this.more(row.key)] : keys;
  }

  private tagListing(key: string): Listing {
    let l = this.tags.get(key);
    if (!l) {
      l = { items: [], loaded: false };
      this.tags.set(key, l);
    }
    return l;
  }

  private async tagKeys(row: Extract<RegistryRow, { kind: 'repository' }>): Promise<string[]> {
    const listing = this.tagListing(row.key);
    const first = !listing.loaded;
    await this.loadPage(listing, (last) => this.client(row.host).tags(row.repo, PAGE_SIZE, last), row.host);
    if (first && listing.failure) setTimeout(() => this.changed.fire(row.key), 0);
    if (listing.failure) return [this.message(row.key, listing.failure)];
    if (listing.items.length === 0) return [this.message(row.key, { short: vscode.l10n.t('No tags'), long: vscode.l10n.t('{0} has no tags.', row.repo) })];
    const keys = listing.items.map((tag) => {
      const key = `tag:${row.host}/${row.repo}:${tag}`;
      this.rows.set(key, { kind: 'tag', key, host: row.host, repo: row.repo, tag });
      return key;
    });
    return listing.next ? [...keys, this.more(row.key)] : keys;
  }

  /** The manifest of a tag (loaded once until Refresh). */
  async manifestOf(row: Extract<RegistryRow, { kind: 'tag' }>): Promise<{ info?: ManifestInfo; failure?: FailureText }> {
    let m = this.manifests.get(row.key);
    if (!m) {
      try {
        m = { info: await this.client(row.host).manifest(row.repo, row.tag) };
      } catch (err) {
        this.deps.log(`${row.host}/${row.repo}:${row.tag}: ${(err as Error).message}`);
        m = { failure: registryFailure(err, row.host, this.certsDir()) };
      }
      this.manifests.set(row.key, m);
      setTimeout(() => this.changed.fire(row.key), 0);
    }
    return m;
  }

  private async detailKeys(row: Extract<RegistryRow, { kind: 'tag' }>): Promise<string[]> {
    const m = await this.manifestOf(row);
    if (m.failure || !m.info) return [this.message(row.key, m.failure ?? { short: '', long: '' })];
    const info = m.info;
    const detail = (field: string, label: string, value: string, extra: Partial<Extract<RegistryRow, { kind: 'detail' }>> = {}) => {
      const key = `detail:${row.key}:${field}`;
      this.rows.set(key, { kind: 'detail', key, host: row.host, repo: row.repo, tag: row.tag, label, value, ...extra });
      return key;
    };
    const keys = [detail('digest', vscode.l10n.t('Digest'), info.digest, { digest: info.digest })];
    if (info.size !== undefined) keys.push(detail('size', vscode.l10n.t('Size'), sizeText(info.size), { tooltip: vscode.l10n.t('{0} compressed, as stored in the registry', sizeText(info.size)) }));
    if (info.created) {
      const when = Date.parse(info.created);
      const value = Number.isNaN(when) ? info.created : formatAge(when / 1000, Date.now(), vscode.env.language);
      keys.push(detail('created', vscode.l10n.t('Created'), value, { tooltip: info.created }));
    }
    if (info.platforms) {
      keys.push(detail('platforms', vscode.l10n.t('Platforms'), plural(info.platforms.length, vscode.l10n.t('{0} platform', info.platforms.length), vscode.l10n.t('{0} platforms', info.platforms.length))));
      info.platforms.forEach((p, i) => keys.push(detail(`platform:${i}`, p.platform, p.digest, { digest: p.digest, tooltip: `${p.platform}\n${p.digest}` })));
    }
    keys.push(detail('mediaType', vscode.l10n.t('Media type'), info.mediaType));
    return keys;
  }

  private message(parent: string, failure: FailureText, logIn?: string): string {
    const key = `message:${parent}`;
    // The row's text is the whole sentence (a description would be cut); with a log-in to offer, the action itself.
    this.rows.set(key, { kind: 'message', key, parent, text: logIn ? vscode.l10n.t('Log In…') : failure.long || failure.short, tooltip: failure.long, logIn });
    return key;
  }

  private more(parent: string): string {
    const key = `more:${parent}`;
    this.rows.set(key, { kind: 'more', key, parent });
    return key;
  }

  dispose(): void {
    for (const s of this.registries.values()) s.client.dispose();
    this.changed.dispose();
  }
}
