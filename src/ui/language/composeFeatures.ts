// Compose files while typing: keys and values from the Compose Specification (with its
// descriptions), hover, the problems Berth reports on save now live (debounced), the outline, and
// services, networks, volumes, configs and secrets to go to, find, highlight and rename across the
// project's files. From the engine: a host port someone else holds, a service named but not
// defined, an image Up would pull. The Compose model comes from dist/compose.js.
import * as path from 'path';
import * as vscode from 'vscode';
import type { ComposeFs } from '../../model/compose/discovery';
import type { NamedRef, RefKind } from '../../model/compose/language';
import type { ComposeProject } from '../../model/compose/project';
import { COMPOSE_SERVICE_LABEL, serviceKey } from '../../model/composeTree';
import { COMPOSE_PROJECT_LABEL } from '../../model/grouping';
import { looksSecret } from '../../model/secrets';
import { composeModule } from '../composeModule';
import { composeDiagnostics } from '../composeText';
import { hostCheck, portHolderText } from '../portPlanning';
import type { LanguageDeps } from './deps';

export const COMPOSE_SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml', pattern: '**/{compose,docker-compose}*.{yml,yaml}' },
  // Docker's extension gives Compose files a language of their own.
  { language: 'dockercompose' },
];
export const COMPOSE_CHECK_DELAY_MS = 100;
const NAME = /^[a-zA-Z0-9._-]+$/;

export function isComposeDocument(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(COMPOSE_SELECTOR, doc) > 0;
}

function kindText(kind: RefKind): string {
  switch (kind) {
    case 'service':
      return vscode.l10n.t('service');
    case 'network':
      return vscode.l10n.t('network');
    case 'volume':
      return vscode.l10n.t('volume');
    case 'config':
      return vscode.l10n.t('config');
    case 'secret':
      return vscode.l10n.t('secret');
  }
}

interface FileRefs {
  doc: vscode.TextDocument;
  /** Undefined while the file is not valid YAML. */
  refs: NamedRef[] | undefined;
}

export class ComposeFeatures implements vscode.Disposable {
  /** What Berth knows from the engine about the file (ports taken, services not defined, images to pull). */
  private readonly engineDiagnostics = vscode.languages.createDiagnosticCollection('berth.composeEditor');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly versions = new Map<string, number>();
  /** Each document's references when it last read as YAML: completion needs them while a line is half typed. */
  private readonly lastRefs = new Map<string, NamedRef[]>();
  /** Names each folder's project defined when last read (completion offers them without reading again). */
  private readonly lastNames = new Map<string, Record<RefKind, string[]>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly lensesChanged = new vscode.EventEmitter<void>();

  constructor(private readonly deps: LanguageDeps) {
    const sel = COMPOSE_SELECTOR;
    this.disposables.push(
      this.engineDiagnostics,
      vscode.languages.registerCompletionItemProvider(sel, { provideCompletionItems: (d, p) => this.complete(d, p) }, ':', ' ', '-'),
      vscode.languages.registerHoverProvider(sel, { provideHover: (d, p) => this.hover(d, p) }),
      vscode.languages.registerDocumentSymbolProvider(sel, { provideDocumentSymbols: (d) => this.symbols(d) }),
      vscode.languages.registerDefinitionProvider(sel, { provideDefinition: (d, p) => this.definition(d, p) }),
      vscode.languages.registerReferenceProvider(sel, { provideReferences: (d, p, c) => this.references(d, p, c.includeDeclaration) }),
      vscode.languages.registerDocumentHighlightProvider(sel, { provideDocumentHighlights: (d, p) => this.highlights(d, p) }),
      this.lensesChanged,
      vscode.languages.registerCodeLensProvider(sel, { provideCodeLenses: (d) => this.codeLenses(d), onDidChangeCodeLenses: this.lensesChanged.event }),
      vscode.languages.registerInlayHintsProvider(sel, { provideInlayHints: (d, r) => this.inlayHints(d, r) }),
      vscode.languages.registerRenameProvider(sel, { prepareRename: (d, p) => this.prepareRename(d, p), provideRenameEdits: (d, p, n) => this.rename(d, p, n) }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      // A change in one file of a folder's project can settle another's problems (a service defined in the override).
      vscode.workspace.onDidChangeTextDocument((e) => {
        const folder = path.dirname(e.document.uri.fsPath);
        for (const d of vscode.workspace.textDocuments) if (d === e.document || path.dirname(d.uri.fsPath) === folder) this.schedule(d, COMPOSE_CHECK_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.engineDiagnostics.delete(d.uri);
        this.lastRefs.delete(d.uri.toString());
      }),
      vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((f) => this.engineDiagnostics.delete(f))),
      deps.session.containers.onDidChange(() => {
        this.recheckAll();
        this.lensesChanged.fire();
      }),
      deps.session.images.onDidChange(() => this.recheckAll()),
      deps.onDidChangeEnabled(() => this.recheckAll()),
    );
    this.recheckAll();
  }

  private recheckAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, COMPOSE_CHECK_DELAY_MS);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.uri.scheme !== 'file' || !isComposeDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.check(doc).catch((err) => this.deps.log(`Compose editor checks of ${doc.uri.fsPath} failed: ${(err as Error).stack ?? err}`));
      }, delay),
    );
  }

  /** The project the file belongs to, read with the editor's unsaved text for open files. */
  async liveProject(doc: vscode.TextDocument): Promise<ComposeProject> {
    const open = new Map(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file').map((d) => [d.uri.fsPath, d]));
    const fs: ComposeFs = {
      readFile: async (file) => open.get(file)?.getText() ?? (await vscode.workspace.fs.readFile(vscode.Uri.file(file)).then((b) => new TextDecoder().decode(b), () => undefined)),
      stat: async (file) =>
        open.has(file) ? 'file' : await vscode.workspace.fs.stat(vscode.Uri.file(file)).then((s) => (s.type & vscode.FileType.Directory ? 'directory' : 'file'), () => undefined),
    };
    const folder = path.dirname(doc.uri.fsPath);
    const extraFiles = this.deps.extraFiles(folder);
    const compose = composeModule();
    const project = await compose.loadComposeProject({ folder, environment: process.env, extraFiles, fs });
    if (project.files.includes(doc.uri.fsPath)) return project;
    // A file outside the folder's project (compose.prod.yaml): read as if added to it.
    return compose.loadComposeProject({ folder, environment: process.env, extraFiles: [...extraFiles, doc.uri.fsPath], fs });
  }

  async check(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    // A file deleted (or never saved) while open says nothing more: its folder has no project to check it in.
    const exists = await vscode.workspace.fs.stat(doc.uri).then(() => true, () => false);
    if (!this.deps.enabled() || !exists) {
      this.engineDiagnostics.delete(doc.uri);
      if (!exists) this.deps.composeDiagnostics.delete(doc.uri);
      return;
    }
    const project = await this.liveProject(doc);
    this.rememberNames(doc, project);
    const extra = await this.engineChecks(doc, project);
    if (this.versions.get(key) !== version || doc.isClosed) return;
    // The same problems (and the same collection) as the Compose view sets on save, so none shows twice.
    this.deps.composeDiagnostics.set(doc.uri, composeDiagnostics(project.problems).get(doc.uri.fsPath) ?? []);
    this.engineDiagnostics.set(doc.uri, extra);
  }

  private async engineChecks(doc: vscode.TextDocument, project: ComposeProject): Promise<vscode.Diagnostic[]> {
    const out: vscode.Diagnostic[] = [];
    const compose = composeModule();
    // From the parsed data first (no second parse); positions are read only when a name is undefined.
    // A file of the project that does not read (half typed) may define the service: nothing to say then.
    const parsedFiles = project.parsedFiles ?? [];
    const unknown = parsedFiles.every((f) => f.data) ? compose.undefinedServiceNames(parsedFiles).filter((u) => u.file === doc.uri.fsPath) : [];
    const refs = unknown.length ? (this.refsOf(doc, true) ?? []) : [];
    for (const ref of refs.filter((r) => r.kind === 'service' && !r.definition && unknown.some((u) => u.name === r.name))) {
      const d = new vscode.Diagnostic(this.rangeOf(doc, ref), vscode.l10n.t('No service {0} in this project ({1}).', ref.name, project.files.map((f) => path.basename(f)).join(', ')), vscode.DiagnosticSeverity.Error);
      d.source = 'Berth';
      d.code = 'undefinedService';
      out.push(d);
    }
    const session = this.deps.session;
    if (session.status.state !== 'ready') return out;
    const parsed = project.parsedFiles?.find((p) => p.file === doc.uri.fsPath);
    const servicesHere = (parsed?.data?.services ?? {}) as Record<string, Record<string, unknown> | null>;
    // Images: a service with an image and no build, not on the engine, is pulled by Up.
    const tags = new Set(session.images.all().flatMap((i) => i.repoTags));
    for (const s of project.services) {
      const own = servicesHere[s.name];
      if (!own || !s.image || s.build || typeof own.image !== 'string') continue;
      const ref = s.image.includes(':') || s.image.includes('@') ? s.image : `${s.image}:latest`;
      if (tags.has(ref) || session.images.all().some((i) => i.repoDigests.includes(s.image!))) continue;
      const at = parsed!.locate(`/services/${s.name.replace(/~/g, '~0').replace(/\//g, '~1')}/image`);
      if (!at) continue;
      const d = new vscode.Diagnostic(toRange(at), vscode.l10n.t('Image {0} is not on the engine: Up will pull it.', ref), vscode.DiagnosticSeverity.Information);
      d.source = 'Berth';
      d.code = 'imageNotOnEngine';
      out.push(d);
    }
    // Host ports another container or a process of this machine already holds (Up's own check).
    const published = new Map<string, { name: string; project?: string; service?: string }>();
    for (const c of session.containers.all()) for (const p of c.ports) if (p.hostPort) published.set(`${p.hostPort}/${p.protocol}`, { name: c.name, project: c.labels[COMPOSE_PROJECT_LABEL], service: c.labels[COMPOSE_SERVICE_LABEL] });
    const conflicts = await compose.upPortConflicts({ project: project.name, services: project.services.filter((s) => servicesHere[s.name]), published, hostFree: hostCheck(session) });
    for (const c of conflicts) {
      const ports = servicesHere[c.service]?.ports;
      const index = Array.isArray(ports) ? ports.findIndex((p) => (typeof p === 'object' && p ? Number((p as { published?: unknown }).published) === c.hostPort : new RegExp(`(^|:)${c.hostPort}:`).test(String(p)))) : -1;
      const at = index >= 0 ? parsed!.locate(`/services/${c.service}/ports/${index}`) : undefined;
      if (!at) continue;
      const holder = await portHolderText(session, c);
      const d = new vscode.Diagnostic(toRange(at), vscode.l10n.t('Host port {0} is taken, {1}: Up would fail to start {2}.', c.hostPort, holder, c.service), vscode.DiagnosticSeverity.Warning);
      d.source = 'Berth';
      d.code = 'portInUse';
      out.push(d);
    }
    return out;
  }

  private rememberNames(doc: vscode.TextDocument, project: ComposeProject): void {
    const names: Record<RefKind, string[]> = { service: [], network: [], volume: [], config: [], secret: [] };
    for (const f of project.parsedFiles ?? [])
      for (const [section, kind] of [['services', 'service'], ['networks', 'network'], ['volumes', 'volume'], ['configs', 'config'], ['secrets', 'secret']] as const) {
        const v = f.data?.[section];
        if (v && typeof v === 'object') names[kind].push(...Object.keys(v).filter((n) => !names[kind].includes(n)));
      }
    this.lastNames.set(path.dirname(doc.uri.fsPath), names);
  }

  private rangeOf(doc: vscode.TextDocument, r: { start: number; end: number }): vscode.Range {
    return new vscode.Range(doc.positionAt(r.start), doc.positionAt(r.end));
  }

  /** The document's references now; while it is not YAML, those it had when it last was (strict: none). */
  private refsOf(doc: vscode.TextDocument, strict = false): NamedRef[] | undefined {
    const refs = composeModule().namedRefs(doc.getText());
    if (refs) this.lastRefs.set(doc.uri.toString(), refs);
    return refs ?? (strict ? undefined : this.lastRefs.get(doc.uri.toString()));
  }

  /** Every project file's named references (the files opened as documents, so unsaved text counts). */
  private async projectRefs(doc: vscode.TextDocument, project?: ComposeProject): Promise<FileRefs[]> {
    const files = project?.files.length ? project.files : [doc.uri.fsPath];
    const docs = await Promise.all(files.map((f) => (f === doc.uri.fsPath ? doc : vscode.workspace.openTextDocument(vscode.Uri.file(f)).then((d) => d, () => undefined))));
    const out = docs.filter((d): d is vscode.TextDocument => !!d).map((d) => ({ doc: d, refs: this.refsOf(d, true) }));
    if (!out.some((f) => f.doc === doc)) out.push({ doc, refs: this.refsOf(doc, true) });
    return out;
  }

  /** The reference under the cursor and every occurrence of the same name across the project. */
  private async occurrences(doc: vscode.TextDocument, pos: vscode.Position): Promise<{ at: NamedRef; all: { doc: vscode.TextDocument; ref: NamedRef }[] } | undefined> {
    if (!this.deps.enabled()) return undefined;
    const compose = composeModule();
    const at = compose.refAt(compose.namedRefs(doc.getText()) ?? [], doc.offsetAt(pos));
    if (!at) return undefined;
    const files = await this.projectRefs(doc, await this.liveProject(doc));
    const all = files.flatMap((f) => (f.refs ?? []).filter((r) => r.kind === at.kind && r.name === at.name).map((ref) => ({ doc: f.doc, ref })));
    return { at, all };
  }

  async definition(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Location[] | undefined> {
    const o = await this.occurrences(doc, pos);
    return o?.all.filter((x) => x.ref.definition).map((x) => new vscode.Location(x.doc.uri, this.rangeOf(x.doc, x.ref)));
  }

  async references(doc: vscode.TextDocument, pos: vscode.Position, withDefinition: boolean): Promise<vscode.Location[] | undefined> {
    const o = await this.occurrences(doc, pos);
    return o?.all.filter((x) => withDefinition || !x.ref.definition).map((x) => new vscode.Location(x.doc.uri, this.rangeOf(x.doc, x.ref)));
  }

  highlights(doc: vscode.TextDocument, pos: vscode.Position): vscode.DocumentHighlight[] | undefined {
    if (!this.deps.enabled()) return undefined;
    const compose = composeModule();
    const refs = compose.namedRefs(doc.getText()) ?? [];
    const at = compose.refAt(refs, doc.offsetAt(pos));
    if (!at) return undefined;
    return refs.filter((r) => r.kind === at.kind && r.name === at.name).map((r) => new vscode.DocumentHighlight(this.rangeOf(doc, r), r.definition ? vscode.DocumentHighlightKind.Write : vscode.DocumentHighlightKind.Read));
  }

  prepareRename(doc: vscode.TextDocument, pos: vscode.Position): { range: vscode.Range; placeholder: string } {
    const compose = composeModule();
    const at = this.deps.enabled() ? compose.refAt(compose.namedRefs(doc.getText()) ?? [], doc.offsetAt(pos)) : undefined;
    if (!at) throw new Error(vscode.l10n.t('Only the name of a service, network, volume, config or secret can be renamed here.'));
    return { range: this.rangeOf(doc, at), placeholder: at.name };
  }

  async rename(doc: vscode.TextDocument, pos: vscode.Position, newName: string): Promise<vscode.WorkspaceEdit | undefined> {
    const o = await this.occurrences(doc, pos);
    if (!o) return undefined;
    if (!NAME.test(newName)) throw new Error(vscode.l10n.t('A {0} name may hold only letters, digits, ".", "_" and "-": {1}', kindText(o.at.kind), newName));
    const edit = new vscode.WorkspaceEdit();
    for (const x of o.all) edit.replace(x.doc.uri, this.rangeOf(x.doc, x.ref), newName);
    return edit;
  }

  /**
   * After a key a later file of the project (an override) sets otherwise: that value and the file;
   * after each ${VAR}: the value Compose would use (secret-looking ones masked).
   */
  async inlayHints(doc: vscode.TextDocument, range: vscode.Range): Promise<vscode.InlayHint[] | undefined> {
    if (!this.deps.enabled() || doc.uri.scheme !== 'file') return undefined;
    const project = await this.liveProject(doc);
    const hints: vscode.InlayHint[] = [];
    const files = project.parsedFiles ?? [];
    const index = files.findIndex((f) => f.file === doc.uri.fsPath);
    const here = files[index];
    const services = (here?.data?.services ?? {}) as Record<string, Record<string, unknown> | null>;
    for (const [name, own] of Object.entries(services)) {
      if (!own || typeof own !== 'object') continue;
      for (const [key, value] of Object.entries(own)) {
        if (value !== null && typeof value === 'object') continue;
        // The last later file that sets this key for this service wins.
        const later = files
          .slice(index + 1)
          .map((f) => ({ file: f.file, value: ((f.data?.services as Record<string, Record<string, unknown> | null> | undefined)?.[name] ?? undefined)?.[key] }))
          .filter((x) => x.value !== undefined && (x.value === null || typeof x.value !== 'object'))
          .at(-1);
        if (!later || later.value === value) continue;
        const at = here!.locate(`/services/${name.replace(/~/g, '~0').replace(/\//g, '~1')}/${key}`);
        if (!at) continue;
        const end = doc.lineAt(at.end.line - 1).range.end;
        if (!range.contains(end)) continue;
        const shown = looksSecret(key) ? '••••••' : String(later.value);
        const hint = new vscode.InlayHint(end, vscode.l10n.t('{0} in {1}', shown, path.basename(later.file)), vscode.InlayHintKind.Parameter);
        hint.paddingLeft = true;
        hint.tooltip = vscode.l10n.t('{0} sets {1} of {2} to {3}: that is the value Compose uses.', path.basename(later.file), key, name, shown);
        hints.push(hint);
      }
    }
    for (let line = range.start.line; line <= Math.min(range.end.line, doc.lineCount - 1); line++) {
      const text = doc.lineAt(line).text;
      if (text.trimStart().startsWith('#')) continue;
      for (const m of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)) {
        const name = m[1];
        const value = project.variables.get(name);
        // What Compose puts there: the value, or the default after :- / -, or nothing.
        const resolved = composeModule().interpolate(m[0], (n) => project.variables.get(n));
        if (!('value' in resolved)) continue;
        const label = value === undefined && resolved.value === '' ? vscode.l10n.t('unset') : `= ${looksSecret(name) ? '••••••' : JSON.stringify(resolved.value)}`;
        const hint = new vscode.InlayHint(new vscode.Position(line, (m.index ?? 0) + m[0].length), label, vscode.InlayHintKind.Type);
        hint.paddingLeft = true;
        const from = process.env[name] !== undefined ? vscode.l10n.t('the environment') : project.envFile ? path.basename(project.envFile) : undefined;
        if (value !== undefined && from) hint.tooltip = vscode.l10n.t('{0} from {1}', name, from);
        hints.push(hint);
      }
    }
    return hints;
  }

  /** Above each service of a project that runs: Up, Logs, and Open in Browser when its containers publish a TCP port (the Compose view's commands). */
  async codeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[] | undefined> {
    if (!this.deps.enabled() || doc.uri.scheme !== 'file') return undefined;
    const project = await this.liveProject(doc);
    const running = this.deps.session.containers.all().filter((c) => c.labels[COMPOSE_PROJECT_LABEL] === project.name && c.state === 'running');
    if (!running.length) return undefined;
    // The commands find the service's row in the Compose view, which reads the workspace's projects once started.
    await this.deps.composeReady();
    const lenses: vscode.CodeLens[] = [];
    for (const section of composeModule().composeOutline(doc.getText())) {
      if (section.section !== 'services') continue;
      for (const e of section.entries) {
        const range = this.rangeOf(doc, { start: e.keyStart, end: e.keyEnd });
        const key = serviceKey(project.name, e.name);
        const mine = running.filter((c) => c.labels[COMPOSE_SERVICE_LABEL] === e.name);
        lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Up'), command: 'berth.compose.up', arguments: [key] }));
        if (mine.length) lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Logs'), command: 'berth.compose.viewLogs', arguments: [key] }));
        const web = mine.flatMap((c) => c.ports.filter((p) => p.hostPort && p.protocol === 'tcp'));
        if (web.length) lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Open in Browser ({0})', [...new Set(web.map((p) => p.hostPort))].join(', ')), command: 'berth.compose.openInBrowser', arguments: [key] }));
      }
    }
    return lenses;
  }

  symbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] | undefined {
    if (!this.deps.enabled()) return undefined;
    const kinds: Record<RefKind, vscode.SymbolKind> = { service: vscode.SymbolKind.Class, network: vscode.SymbolKind.Interface, volume: vscode.SymbolKind.Struct, config: vscode.SymbolKind.File, secret: vscode.SymbolKind.Key };
    return composeModule()
      .composeOutline(doc.getText())
      .map((s) => {
        const section = new vscode.DocumentSymbol(s.section, '', vscode.SymbolKind.Namespace, this.rangeOf(doc, s), this.rangeOf(doc, { start: s.keyStart, end: s.keyEnd }));
        section.children = s.entries.map((e) => new vscode.DocumentSymbol(e.name, kindText(e.kind), kinds[e.kind], this.rangeOf(doc, e), this.rangeOf(doc, { start: e.keyStart, end: e.keyEnd })));
        return section;
      });
  }

  async complete(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    if (!this.deps.enabled()) return undefined;
    const compose = composeModule();
    const ctx = compose.cursorContext(doc.getText(), pos.line, pos.character);
    if (!ctx) return undefined;
    const range = new vscode.Range(ctx.word.line, ctx.word.start, ctx.word.line, ctx.word.end);
    const names = (kind: RefKind) => {
      const defined = new Set(this.lastNames.get(path.dirname(doc.uri.fsPath))?.[kind] ?? (this.refsOf(doc) ?? []).filter((r) => r.kind === kind && r.definition).map((r) => r.name));
      return [...defined].filter((n) => !ctx.siblings.includes(n)).map((n) => {
        const item = new vscode.CompletionItem({ label: n, description: kindText(kind) }, vscode.CompletionItemKind.Reference);
        item.range = range;
        return item;
      });
    };
    const p = ctx.path;
    const parent = p.at(-1) === '[]' ? p.at(-2) : p.at(-1);
    const inService = p[0] === 'services' && p.length >= 3;
    if (inService && ctx.typing === 'key' && (parent === 'depends_on' || parent === 'links') && p.length <= 5) return names('service');
    if (inService && ctx.typing === 'key' && parent === 'networks' && p.length <= 5) return names('network');
    if (inService && ctx.typing === 'value' && ctx.key === 'extends') return names('service');
    if (inService && ctx.typing === 'value' && ctx.key === 'image' && p.length === 4) {
      return this.deps.session.images.all().flatMap((i) =>
        i.repoTags
          .filter((t) => !t.startsWith('<none>'))
          .map((t) => {
            const item = new vscode.CompletionItem({ label: t, description: vscode.l10n.t('on the engine') }, vscode.CompletionItemKind.Module);
            item.range = range;
            return item;
          }),
      );
    }
    if (ctx.typing === 'value') {
      return compose.valuesAt(p).map((v) => {
        const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember);
        item.range = range;
        return item;
      });
    }
    const indent = ' '.repeat(ctx.word.start + 2);
    return compose
      .keysAt(p)
      .filter((k) => !ctx.siblings.includes(k.key))
      .map((k) => {
        const item = new vscode.CompletionItem(k.key, vscode.CompletionItemKind.Property);
        item.range = range;
        item.insertText = k.block ? new vscode.SnippetString(`${k.key}:\n${indent}$0`) : `${k.key}: `;
        if (k.description) item.documentation = new vscode.MarkdownString(k.description);
        if (k.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
        item.command = k.block ? undefined : { title: '', command: 'editor.action.triggerSuggest' };
        return item;
      });
  }

  async hover(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.deps.enabled()) return undefined;
    const line = doc.lineAt(pos.line).text;
    // ${VAR}: its value and where it comes from, secrets masked.
    for (const m of line.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const start = m.index ?? 0;
      if (pos.character < start || pos.character > start + m[0].length) continue;
      const name = m[1] ?? m[2];
      const project = await this.liveProject(doc);
      const value = project.variables.get(name);
      const from = process.env[name] !== undefined ? vscode.l10n.t('the environment') : project.envFile ? path.basename(project.envFile) : undefined;
      const shown = value === undefined ? undefined : looksSecret(name) ? '••••••' : value;
      const md = new vscode.MarkdownString();
      md.appendMarkdown(shown === undefined ? vscode.l10n.t('`{0}` is not set: Compose uses an empty string (or the default written after `:-`).', name) : vscode.l10n.t('`{0}` = `{1}` (from {2})', name, shown, from ?? '?'));
      return new vscode.Hover(md, new vscode.Range(pos.line, start, pos.line, start + m[0].length));
    }
    const key = composeModule().keyAt(doc.getText(), pos.line, pos.character);
    const description = key && composeModule().describeKey(key.path);
    if (!key || !description) return undefined;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${key.path.at(-1)}**\n\n`);
    md.appendText(description);
    return new vscode.Hover(md, new vscode.Range(pos.line, key.start, pos.line, key.end));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

function toRange(at: { start: { line: number; column: number }; end: { line: number; column: number } }): vscode.Range {
  return new vscode.Range(at.start.line - 1, at.start.column - 1, at.end.line - 1, at.end.column - 1);
}
