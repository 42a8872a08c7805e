// Dockerfile help while typing: BuildKit's checks as live diagnostics (debounced), their certain
// fixes, stages in the outline, go to a stage's or a variable's definition, and the engine's images
// after FROM. The parsing and the checks are in dist/dockerfile.js (src/model/dockerfileLanguage.ts);
// completion of instructions and flags, hover, signature help and formatting come from
// dockerfile-language-service through src/model/dockerfileAssist.ts.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckResult, Span } from '../../model/dockerfileLanguage';
import { dockerfileCompletions, dockerfileHover, dockerfileSignatureHelp, formatDockerfile } from '../../model/dockerfileAssist';
import type * as lsp from 'vscode-languageserver-types';
import { ignoreFileFor, ignoreMatcher, parseIgnoreFile } from '../../model/dockerignore';
import { sizeText } from '../locale';
import { dockerfileModule } from '../dockerfileModule';
import type { LanguageDeps } from './deps';

export const DOCKERFILE_SELECTOR: vscode.DocumentSelector = [{ language: 'dockerfile' }];
/** Quiet time after the last keystroke before the checks run again. */
export const CHECK_DELAY_MS = 250;

const toRange = (s: Span) => new vscode.Range(s.start.line, s.start.character, s.end.line, s.end.character);

const toMarkdown = (doc: string | lsp.MarkupContent | lsp.MarkedString | lsp.MarkedString[]): vscode.MarkdownString => {
  if (Array.isArray(doc)) return new vscode.MarkdownString(doc.map((d) => (typeof d === 'string' ? d : d.value)).join('\n\n'));
  return typeof doc === 'string' ? new vscode.MarkdownString().appendText(doc) : new vscode.MarkdownString(doc.value);
};

/** A library completion as VS Code shows it (LSP kinds count from 1, VS Code's from 0). */
function toCompletion(c: lsp.CompletionItem): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, c.kind !== undefined ? ((c.kind - 1) as vscode.CompletionItemKind) : undefined);
  const edit = c.textEdit && 'range' in c.textEdit ? c.textEdit : undefined;
  const text = edit?.newText ?? c.insertText ?? c.label;
  item.insertText = c.insertTextFormat === 2 ? new vscode.SnippetString(text) : text;
  if (edit) item.range = toRange(edit.range);
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = toMarkdown(c.documentation);
  if (c.sortText) item.sortText = c.sortText;
  if (c.filterText) item.filterText = c.filterText;
  if (c.deprecated || c.tags?.includes(1)) item.tags = [vscode.CompletionItemTag.Deprecated];
  if (c.command) item.command = { title: c.command.title, command: c.command.command, arguments: c.command.arguments };
  return item;
}

function toSignatureHelp(h: lsp.SignatureHelp): vscode.SignatureHelp {
  const help = new vscode.SignatureHelp();
  help.signatures = h.signatures.map((s) => {
    const sig = new vscode.SignatureInformation(s.label, s.documentation ? toMarkdown(s.documentation) : undefined);
    sig.parameters = (s.parameters ?? []).map((p) => new vscode.ParameterInformation(p.label, p.documentation ? toMarkdown(p.documentation) : undefined));
    if (typeof s.activeParameter === 'number') sig.activeParameter = s.activeParameter;
    return sig;
  });
  help.activeSignature = h.activeSignature ?? 0;
  help.activeParameter = typeof h.activeParameter === 'number' ? h.activeParameter : 0;
  return help;
}

const toTextEdits = (edits: lsp.TextEdit[]) => edits.map((e) => vscode.TextEdit.replace(toRange(e.range), e.newText));

/** The reference page BuildKit gives each check. */
export function checkDocs(name: string): vscode.Uri {
  const kebab = name.replace(/([a-z])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase();
  return vscode.Uri.parse(`https://docs.docker.com/reference/build-checks/${kebab}/`);
}

export function checkMessage(r: CheckResult): string {
  const [a, b] = r.args;
  switch (r.name) {
    case 'UndefinedVar':
      return b ? vscode.l10n.t("Usage of undefined variable '${0}' (did you mean ${1}?)", a, b) : vscode.l10n.t("Usage of undefined variable '${0}'", a);
    case 'UndefinedArgInFrom':
      return b ? vscode.l10n.t("FROM argument '{0}' is not declared (did you mean {1}?)", a, b) : vscode.l10n.t("FROM argument '{0}' is not declared", a);
    case 'JSONArgsRecommended':
      return vscode.l10n.t('JSON arguments recommended for {0} to prevent unintended behavior related to OS signals', a);
    case 'StageNameCasing':
      return vscode.l10n.t("Stage name '{0}' should be lowercase", a);
    case 'FromAsCasing':
      return vscode.l10n.t("'{0}' and '{1}' keywords' casing do not match", a, b);
    case 'SecretsUsedInArgOrEnv':
      return vscode.l10n.t('Do not use ARG or ENV instructions for sensitive data ({0} "{1}")', a, b);
    case 'ExposeInvalidFormat':
      return vscode.l10n.t("EXPOSE instruction should not define an IP address or host-port mapping, found '{0}'", a);
    case 'WorkdirRelativePath':
      return vscode.l10n.t('Relative workdir "{0}" can have unexpected results if the base image changes', a);
    case 'CopyIgnoredFile':
      return a === 'Add' ? vscode.l10n.t('Attempting to Add file "{0}" that is excluded by .dockerignore', b) : vscode.l10n.t('Attempting to Copy file "{0}" that is excluded by .dockerignore', b);
    case 'DuplicateStageName':
      return vscode.l10n.t('Duplicate stage name "{0}", stage names should be unique', a);
    case 'ReservedStageName':
      return vscode.l10n.t('Stage name should not use the same name as reserved stage "{0}"', a);
    case 'MaintainerDeprecated':
      return vscode.l10n.t('Maintainer instruction is deprecated in favor of using label');
  }
}

/** The folder `docker build` would send for this Dockerfile: berth.build.context, else its own folder (as Build Image… does). */
function contextOf(doc: vscode.TextDocument): string {
  const setting = vscode.workspace.getConfiguration('berth.build', doc.uri).get<string>('context', '').trim();
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  return setting ? path.resolve(folder?.uri.fsPath ?? path.dirname(doc.uri.fsPath), setting) : path.dirname(doc.uri.fsPath);
}

export class DockerfileFeatures implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('berth.dockerfile');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Base images' environment names from the engine; null while asked or when the engine does not have it. */
  private readonly imageEnv = new Map<string, string[] | null>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: LanguageDeps) {
    this.disposables.push(
      this.diagnostics,
      vscode.languages.registerDocumentSymbolProvider(DOCKERFILE_SELECTOR, { provideDocumentSymbols: (doc) => this.symbols(doc) }),
      vscode.languages.registerDefinitionProvider(DOCKERFILE_SELECTOR, { provideDefinition: (doc, pos) => this.definition(doc, pos) }),
      vscode.languages.registerCompletionItemProvider(DOCKERFILE_SELECTOR, { provideCompletionItems: (doc, pos) => this.complete(doc, pos) }, ':', '/', '-', '='),
      vscode.languages.registerHoverProvider(DOCKERFILE_SELECTOR, { provideHover: (doc, pos) => this.hover(doc, pos) }),
      vscode.languages.registerSignatureHelpProvider(DOCKERFILE_SELECTOR, { provideSignatureHelp: (doc, pos) => this.signatureHelp(doc, pos) }, ' ', '='),
      vscode.languages.registerDocumentFormattingEditProvider(DOCKERFILE_SELECTOR, { provideDocumentFormattingEdits: (doc, options) => this.format(doc, options) }),
      vscode.languages.registerDocumentRangeFormattingEditProvider(DOCKERFILE_SELECTOR, { provideDocumentRangeFormattingEdits: (doc, range, options) => this.format(doc, options, range) }),
      vscode.languages.registerCodeActionsProvider(DOCKERFILE_SELECTOR, { provideCodeActions: (doc, range, ctx) => this.fixes(doc, range, ctx) }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, CHECK_DELAY_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      deps.session.images.onDidChange(() => {
        this.imageEnv.clear();
        this.recheckAll();
      }),
      deps.onDidChangeEnabled(() => this.recheckAll()),
    );
    this.recheckAll();
  }

  private recheckAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.languageId !== 'dockerfile') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.check(doc);
      }, delay),
    );
  }

  /** The checks' results for the document as it is now. */
  results(doc: vscode.TextDocument): CheckResult[] {
    let ignored: ((p: string) => boolean) | undefined;
    if (doc.uri.scheme === 'file') {
      const ignoreFile = ignoreFileFor(contextOf(doc), doc.uri.fsPath);
      if (ignoreFile) {
        const matcher = ignoreMatcher(parseIgnoreFile(fs.readFileSync(ignoreFile, 'utf8')));
        ignored = (p) => matcher.ignores(p);
      } else ignored = () => false;
    }
    return dockerfileModule().checkDockerfile(doc.getText(), { ignored, imageEnv: (image) => this.envOf(image) });
  }

  check(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    if (!this.deps.enabled()) {
      this.diagnostics.delete(doc.uri);
      return;
    }
    const list = this.results(doc).map((r) => {
      const d = new vscode.Diagnostic(toRange(r.range), checkMessage(r), vscode.DiagnosticSeverity.Warning);
      d.source = 'Berth';
      d.code = { value: r.name, target: checkDocs(r.name) };
      return d;
    });
    this.diagnostics.set(doc.uri, list);
  }

  /** The environment an image gives, from the engine's inspect; asked once, the documents checked again when it answers. */
  private envOf(image: string): string[] | undefined {
    if (this.imageEnv.has(image)) return this.imageEnv.get(image) ?? undefined;
    // Only a whole reference is asked for: a half-typed or empty one would make a bad request path.
    if (this.deps.session.status.state !== 'ready' || !/^[a-z0-9][\w.\-/:@]*$/.test(image)) return undefined;
    this.imageEnv.set(image, null);
    void this.deps.session
      .requireClient()
      .inspect('image', image)
      .then(
        (raw) => {
          const env = (raw as { Config?: { Env?: string[] } }).Config?.Env ?? [];
          this.imageEnv.set(image, env.map((e) => e.split('=')[0]));
          this.recheckAll();
        },
        () => undefined,
      );
    return undefined;
  }

  symbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] | undefined {
    if (!this.deps.enabled()) return undefined;
    return dockerfileModule()
      .dockerfileStages(doc.getText())
      .map((s) => {
        const stage = new vscode.DocumentSymbol(s.name, s.image !== s.name ? s.image : '', vscode.SymbolKind.Module, toRange(s.range), toRange(s.selection));
        stage.children = s.variables.map((v) => new vscode.DocumentSymbol(v.name, v.keyword, v.keyword === 'ARG' ? vscode.SymbolKind.Variable : vscode.SymbolKind.Constant, toRange(v.range), toRange(v.range)));
        return stage;
      });
  }

  definition(doc: vscode.TextDocument, pos: vscode.Position): vscode.Location | undefined {
    if (!this.deps.enabled()) return undefined;
    const at = dockerfileModule().dockerfileDefinition(doc.getText(), pos);
    return at && new vscode.Location(doc.uri, toRange(at));
  }

  /** The library's instructions, flags and flag values, and after FROM the stages and the engine's images (each label once). */
  complete(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] | undefined {
    if (!this.deps.enabled()) return undefined;
    const text = doc.getText();
    const items = dockerfileCompletions(text, pos).map(toCompletion);
    const seen = new Set(items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
    for (const item of this.fromImages(text, pos)) {
      const label = typeof item.label === 'string' ? item.label : item.label.label;
      if (seen.has(label)) continue;
      seen.add(label);
      items.push(item);
    }
    return items;
  }

  private fromImages(text: string, pos: vscode.Position): vscode.CompletionItem[] {
    const where = dockerfileModule().fromImageAt(text, pos);
    if (!where) return [];
    const range = toRange(where.typed);
    const items: vscode.CompletionItem[] = where.stages.map((s) => {
      const item = new vscode.CompletionItem({ label: s, description: vscode.l10n.t('stage') }, vscode.CompletionItemKind.Reference);
      item.range = range;
      item.sortText = `0${s}`;
      return item;
    });
    for (const image of this.deps.session.images.all()) {
      for (const tag of image.repoTags) {
        if (tag.startsWith('<none>')) continue;
        const item = new vscode.CompletionItem({ label: tag, description: sizeText(image.size) }, vscode.CompletionItemKind.Module);
        item.detail = vscode.l10n.t('Image on the engine');
        item.range = range;
        item.sortText = `1${tag}`;
        items.push(item);
      }
    }
    return items;
  }

  hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    if (!this.deps.enabled()) return undefined;
    const h = dockerfileHover(doc.getText(), pos);
    return h && new vscode.Hover(toMarkdown(h.contents), h.range && toRange(h.range));
  }

  signatureHelp(doc: vscode.TextDocument, pos: vscode.Position): vscode.SignatureHelp | undefined {
    if (!this.deps.enabled()) return undefined;
    const h = dockerfileSignatureHelp(doc.getText(), pos);
    return h && toSignatureHelp(h);
  }

  format(doc: vscode.TextDocument, options: vscode.FormattingOptions, range?: vscode.Range): vscode.TextEdit[] | undefined {
    if (!this.deps.enabled()) return undefined;
    return toTextEdits(formatDockerfile(doc.getText(), { insertSpaces: options.insertSpaces, tabSize: options.tabSize }, range));
  }

  fixes(doc: vscode.TextDocument, range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] | undefined {
    if (!this.deps.enabled()) return undefined;
    const ours = ctx.diagnostics.filter((d) => d.source === 'Berth');
    if (!ours.length) return undefined;
    const actions: vscode.CodeAction[] = [];
    for (const r of this.results(doc)) {
      if (!r.fix || !toRange(r.range).intersection(range)) continue;
      const diagnostic = ours.find((d) => typeof d.code === 'object' && d.code.value === r.name && d.range.isEqual(toRange(r.range)));
      if (!diagnostic) continue;
      const title =
        r.name === 'JSONArgsRecommended' ? vscode.l10n.t('Use the JSON form: {0}', r.fix[0].newText) : r.name === 'StageNameCasing' ? vscode.l10n.t('Rename the stage to {0}', r.args[0].toLowerCase()) : vscode.l10n.t('Write {0}', r.fix[0].newText);
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      for (const e of r.fix) action.edit.replace(doc.uri, toRange(e.range), e.newText);
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
