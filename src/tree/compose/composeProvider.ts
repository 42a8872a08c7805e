// The Compose view: the workspace's projects from their files (running or not) and the projects
// running on the engine without files, project → service → replicas → ports. It loads the Compose
// bundle when first shown, follows the session's container store and the compose files, and fires
// only the rows whose text or children changed.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ContainerRecord, PortRecord } from '../../contract/records';
import type { ComposeProject } from '../../model/compose/project';
import { composeChildMap, composeRows, parseComposeKey, serviceSummary, type ProjectRow, type ServiceRow } from '../../model/composeTree';
import { portKey, publishedPorts } from '../../model/format';
import { COMPOSE_PROJECT_LABEL } from '../../model/grouping';
import { changedParents } from '../../model/treeDiff';
import type { EngineSession } from '../../session/engineSession';
import { composeModule } from '../../ui/composeModule';
import { composeChecksModule } from '../../ui/composeChecksModule';
import { composeDiagnostics } from '../../ui/composeText';
import { plural } from '../../ui/locale';
import { containerTooltip, containerTreeItem, portTreeItem, rowSignature } from '../containers/containerNode';

/** The file names that make a folder's project read again: every default name, its overrides, and .env. */
const COMPOSE_FILE_NAMES = new Set(['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml', 'compose.override.yml', 'compose.override.yaml', 'docker-compose.override.yml', 'docker-compose.override.yaml', '.env']);
const COMPOSE_MAIN_GLOB = '**/{compose.yaml,compose.yml,docker-compose.yml,docker-compose.yaml}';

export interface ComposeProviderDeps {
  /** The environment Compose would see (process.env). */
  environment: () => Readonly<Record<string, string | undefined>>;
  diagnostics: vscode.DiagnosticCollection;
  log: (message: string) => void;
  /** Files the user added to the project in a folder (remembered per workspace). */
  extraFiles?: (folder: string) => readonly string[];
  /** Folders the user added files to: read even without a default compose file. */
  extraFolders?: () => readonly string[];
}

export class ComposeProvider implements vscode.TreeDataProvider<string>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Projects from files, by folder. */
  private readonly projects = new Map<string, ComposeProject>();
  private rows: ProjectRow[] = [];
  private readonly byKey = new Map<string, ProjectRow | ServiceRow>();
  private readonly ports = new Map<string, { container: ContainerRecord; port: PortRecord }>();
  private signatures = new Map<string, string>();
  /** Each replica row's signature, by the record it was computed from. */
  private shownAs = new WeakMap<ContainerRecord, string>();
  private children = new Map<string, readonly string[]>();
  private loading?: Promise<void>;
  private readonly pendingFolders = new Set<string>();
  private reloadTimer?: ReturnType<typeof setTimeout>;
  private readonly loadedEmitter = new vscode.EventEmitter<void>();
  /** Fires after each (re)load of the files: tests wait on it. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(
    private readonly session: EngineSession,
    private readonly deps: ComposeProviderDeps,
  ) {
    this.disposables.push(
      this.changed,
      this.loadedEmitter,
      // Only a change to a Compose container (one shown, or one labelled with a project): a plain
      // container's start costs this view nothing, at 1,000 containers too.
      session.containers.onDidChange((c) => {
        if (this.loading && [...c.added, ...c.updated, ...c.removed].some((id) => this.signatures.has(id) || session.containers.get(id)?.labels[COMPOSE_PROJECT_LABEL])) this.recompute();
      }),
    );
  }

  /** Starts following the files and loads every project once; later calls wait for that. */
  start(): Promise<void> {
    if (this.loading) return this.loading;
    // One watcher on everything: VS Code's watcher reports a folder created or deleted with its
    // files as the folder alone (seen in the workbench: a new folder's compose.yaml never came).
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const touched = (uri: vscode.Uri, deleted: boolean) => {
      if (COMPOSE_FILE_NAMES.has(path.basename(uri.fsPath))) {
        this.deps.log(`Compose: ${uri.fsPath} ${deleted ? 'deleted' : 'changed'}`);
        return this.scheduleReload(path.dirname(uri.fsPath));
      }
      if (deleted) {
        for (const folder of this.projects.keys()) if (folder === uri.fsPath || folder.startsWith(uri.fsPath + path.sep)) this.scheduleReload(folder);
        return;
      }
      void vscode.workspace.fs.stat(uri).then(
        (st) => {
          if (st.type & vscode.FileType.Directory)
            void vscode.workspace.findFiles(new vscode.RelativePattern(uri, COMPOSE_MAIN_GLOB), '**/node_modules/**').then((files) => files.forEach((f) => this.scheduleReload(path.dirname(f.fsPath))));
        },
        () => undefined,
      );
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => touched(u, false)),
      watcher.onDidChange((u) => touched(u, false)),
      watcher.onDidDelete((u) => touched(u, true)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.loadAll()),
    );
    this.loading = this.loadAll();
    return this.loading;
  }

  /** Waits for the first load and any reload scheduled by a file change. */
  async settled(): Promise<void> {
    await this.start();
    while (this.reloadTimer || this.reloading) await (this.reloading ?? new Promise((r) => setTimeout(r, 50)));
  }

  private reloading?: Promise<void>;

  private async loadAll(): Promise<void> {
    const files = await vscode.workspace.findFiles(COMPOSE_MAIN_GLOB, '**/node_modules/**');
    const folders = new Set(files.map((f) => path.dirname(f.fsPath)));
    for (const folder of this.projects.keys()) if (!folders.has(folder)) folders.add(folder);
    for (const folder of this.deps.extraFolders?.() ?? []) folders.add(folder);
    await this.loadFolders([...folders]);
  }

  /** Reads a folder's project again now (after the user added a file to it). */
  async reload(folder: string): Promise<void> {
    await this.start();
    await this.loadFolders([folder]);
  }

  private scheduleReload(folder: string): void {
    this.pendingFolders.add(folder);
    // An editor's save can touch a file twice; one read after the burst.
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      const folders = [...this.pendingFolders];
      this.pendingFolders.clear();
      this.reloading = this.loadFolders(folders).finally(() => (this.reloading = undefined));
    }, 100);
  }

  private async loadFolders(folders: string[]): Promise<void> {
    const compose = composeModule();
    for (const folder of folders) {
      try {
        const project = await compose.loadComposeProject({ folder, environment: this.deps.environment(), extraFiles: this.deps.extraFiles?.(folder) ?? [] });
        const gone = project.problems.some((p) => p.code === 'folderMissing' || p.code === 'noComposeFile');
        const old = this.projects.get(folder);
        if (old) for (const f of old.files) this.deps.diagnostics.delete(vscode.Uri.file(f));
        if (gone) this.projects.delete(folder);
        else this.projects.set(folder, project);
        for (const [file, list] of composeDiagnostics(project.problems)) this.deps.diagnostics.set(vscode.Uri.file(file), list);
      } catch (err) {
        this.deps.log(`Compose: reading ${folder} failed: ${(err as Error).stack ?? err}`);
      }
    }
    this.recompute();
    this.loadedEmitter.fire();
  }

  /** The project read from files, by name. */
  project(name: string): ComposeProject | undefined {
    return [...this.projects.values()].find((p) => p.name === name);
  }

  /** The project whose -f list holds this file. */
  projectForFile(file: string): ComposeProject | undefined {
    const resolved = path.resolve(file);
    return [...this.projects.values()].find((p) => p.name && p.files.includes(resolved));
  }

  allProjects(): ProjectRow[] {
    return this.rows;
  }

  row(key: string): ProjectRow | ServiceRow | undefined {
    return this.byKey.get(key);
  }

  private recompute(): void {
    const now = Date.now();
    const shown = this.shownAs;
    this.shownAs = new WeakMap();
    this.rows = composeRows([...this.projects.values()], this.session.containers.all());
    this.byKey.clear();
    this.ports.clear();
    const signatures = new Map<string, string>();
    for (const p of this.rows) {
      this.byKey.set(p.key, p);
      signatures.set(p.key, JSON.stringify([p.running, p.total, p.containers, stateFlags(p.services.flatMap((s) => s.containers)), !!p.project, p.project?.folder, p.project?.problems.length]));
      for (const s of p.services) {
        this.byKey.set(s.key, s);
        signatures.set(s.key, JSON.stringify([serviceSummary(s), stateFlags(s.containers)]));
        for (const c of s.containers) {
          // A record unchanged since the last recompute keeps its signature: building every
          // replica's row on each event cost a millisecond per hundred containers.
          const sig = shown.get(c) ?? rowSignature(c, now);
          this.shownAs.set(c, sig);
          signatures.set(c.id, sig);
          for (const port of publishedPorts(c)) this.ports.set(portKey(c.id, port), { container: c, port });
        }
      }
    }
    const children = composeChildMap(this.rows);
    const parents = changedParents(this.children, children);
    const fire = new Set<string>(parents);
    // A row that gains its first child or loses its last one changes whether it can expand,
    // which VS Code only takes from the row's parent's refresh.
    for (const key of parents) {
      if (!key || !!this.children.get(key)?.length === !!children.get(key)?.length) continue;
      const parent = this.getParent(key);
      fire.add(parent ?? '');
    }
    for (const [key, sig] of signatures) if (this.signatures.has(key) && this.signatures.get(key) !== sig) fire.add(key);
    this.signatures = signatures;
    this.children = children;
    if (fire.has('')) this.changed.fire(undefined);
    else for (const key of fire) if (children.has(key) || signatures.has(key)) this.changed.fire(key);
  }

  getChildren(key?: string): string[] | Promise<string[]> {
    if (!this.loading) return this.start().then(() => this.getChildren(key));
    if (!key) return this.rows.map((r) => r.key);
    const row = this.byKey.get(key);
    if (row && 'services' in row) return row.services.map((s) => s.key);
    if (row) return row.containers.map((c) => c.id);
    const c = this.session.containers.get(key);
    return c ? publishedPorts(c).map((p) => portKey(c.id, p)) : [];
  }

  getParent(key: string): string | undefined {
    const parsed = parseComposeKey(key);
    if (parsed?.service) return parsed.project && `compose:${parsed.project}`;
    if (parsed) return undefined;
    for (const [parent, kids] of this.children) if (parent && kids.includes(key)) return parent;
    const port = this.ports.get(key);
    return port?.container.id;
  }

  getTreeItem(key: string): vscode.TreeItem {
    const row = this.byKey.get(key);
    if (row && 'services' in row) return projectItem(row);
    if (row) return serviceItem(row);
    const port = this.ports.get(key);
    if (port) return portTreeItem(key, port.port, port.container.image);
    const c = this.session.containers.get(key);
    if (c) return containerTreeItem(c, Date.now());
    return new vscode.TreeItem(key);
  }

  resolveTreeItem(item: vscode.TreeItem, key: string): vscode.TreeItem {
    const c = this.session.containers.get(key);
    if (c && !item.tooltip) item.tooltip = containerTooltip(c);
    return item;
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Which containers a row has: running, paused, stopped (exited or created: Start applies). */
function stateFlags(list: readonly ContainerRecord[]): string {
  const has = (states: readonly string[]) => list.some((c) => states.includes(c.state));
  return `${has(['running']) ? ':running' : ''}${has(['paused']) ? ':paused' : ''}${has(['exited', 'created', 'dead']) ? ':stopped' : ''}`;
}

/** "127.0.0.1:5433 → 5432/tcp" read aloud: a screen reader reads "→" as an arrow, or not at all. */
function spokenPorts(text: string): string {
  const [outside, inside] = text.split(' → ');
  return inside ? vscode.l10n.t('{0} to {1}', outside, inside) : text;
}

function projectItem(p: ProjectRow): vscode.TreeItem {
  const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = p.key;
  item.iconPath = new vscode.ThemeIcon('layers', p.running ? new vscode.ThemeColor('charts.green') : undefined);
  const problems = p.project?.problems.length ?? 0;
  const running = p.containers ? plural(p.total, vscode.l10n.t('{0} of {1} service running', p.running, p.total), vscode.l10n.t('{0} of {1} services running', p.running, p.total)) : vscode.l10n.t('not running');
  const where = p.project ? vscode.workspace.asRelativePath(p.project.folder) : vscode.l10n.t('no file in the workspace');
  const problemText = problems ? plural(problems, vscode.l10n.t('{0} problem', problems), vscode.l10n.t('{0} problems', problems)) : undefined;
  item.description = [running, where, ...(problemText ? [problemText] : [])].join(' · ');
  // composeProject:files|engine[:running][:paused][:stopped]: Up needs files, Stop something running, Start something stopped.
  item.contextValue = `composeProject:${p.project ? 'files' : 'engine'}${stateFlags(p.services.flatMap((s) => s.containers))}`;
  if (p.project) item.tooltip = [p.project.folder, ...p.project.files.map((f) => path.basename(f))].join('\n');
  // Its accessible name is a sentence, not the tooltip (a path and the file names).
  item.accessibilityInformation = {
    label: vscode.l10n.t('Compose project {0}, {1}', p.name, [running, p.project ? vscode.l10n.t('folder {0}', where) : where, ...(problemText ? [problemText] : [])].join(', ')),
  };
  return item;
}

function serviceItem(s: ServiceRow): vscode.TreeItem {
  // Expanded even with no replica: VS Code keeps a row that had nothing to expand shut when its
  // first replica arrives (seen in the workbench), and draws no twistie for an empty one.
  const item = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = s.key;
  const sum = serviceSummary(s);
  // Rare, so its words load with the checks' bundle only when a file has it.
  const unresolved = s.service?.unresolvedImage && composeChecksModule().unresolvedImageText(s.service.unresolvedImage);
  item.iconPath = new vscode.ThemeIcon('symbol-class', sum.running ? new vscode.ThemeColor('charts.green') : undefined);
  item.description = [
    vscode.l10n.t('{0} of {1} running', sum.running, sum.wanted),
    unresolved ? unresolved.description : (sum.image ?? (sum.build !== undefined ? vscode.l10n.t('build {0}', sum.build) : undefined)),
    ...sum.ports,
    ...(sum.profiles.length ? [vscode.l10n.t('profiles: {0}', sum.profiles.join(', '))] : []),
  ]
    .filter(Boolean)
    .join(' · ');
  if (unresolved) item.tooltip = unresolved.tooltip;
  item.contextValue = `composeService:${s.service ? 'files' : 'engine'}${stateFlags(s.containers)}`;
  const made = unresolved ? unresolved.description : sum.image ? vscode.l10n.t('image {0}', sum.image) : sum.build !== undefined ? vscode.l10n.t('built from {0}', sum.build) : undefined;
  item.accessibilityInformation = {
    label: [
      vscode.l10n.t('Service {0} of {1}', s.name, s.project),
      plural(sum.wanted, vscode.l10n.t('{0} of {1} replica running', sum.running, sum.wanted), vscode.l10n.t('{0} of {1} replicas running', sum.running, sum.wanted)),
      ...(made ? [made] : []),
      ...(sum.ports.length ? [vscode.l10n.t('ports {0}', sum.ports.map(spokenPorts).join(', '))] : []),
      ...(sum.profiles.length ? [vscode.l10n.t('profiles: {0}', sum.profiles.join(', '))] : []),
    ].join(', '),
  };
  return item;
}
