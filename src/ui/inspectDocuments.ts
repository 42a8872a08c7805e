// Read-only JSON documents of the engine's inspect payloads (berth-inspect:/container/<id>/<name>.json).
// Secret-looking environment values are masked; the editor title has a refresh button.
import * as vscode from 'vscode';
import type { InspectKind } from '../contract/client';
import type { EngineFailure } from '../contract/errors';
import type { StoreChange } from '../model/store';
import type { EngineSession } from '../session/engineSession';
import { maskInspect } from '../model/secrets';

export const INSPECT_SCHEME = 'berth-inspect';
const INSPECT_KINDS: readonly InspectKind[] = ['container', 'image', 'volume', 'network'];

/** A kind of object another bundle inspects (Swarm services, tasks, nodes): how to read it, masked, and its store. */
export interface InspectSource {
  read(id: string): Promise<unknown>;
  store: { onDidChange(l: (c: StoreChange) => void): { dispose(): void } };
}

export function inspectUri(kind: string, id: string, name: string): vscode.Uri {
  const safe = name.replace(/[^\w.:-]+/g, '_');
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${encodeURIComponent(id)}/${safe}.json` });
}

/**
 * The documents follow their objects: each store change (an engine event, already coalesced per
 * object by the session) re-reads the open documents of the objects it touched, so a paused
 * container's document says "Paused": true without a click. When it cannot be read again (the
 * object is gone, the engine does not answer), the last content stays under a line saying so,
 * with the time.
 */
export class InspectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** The last content read per document, kept under the stale note when it cannot be read again. */
  private readonly last = new Map<string, string>();
  private readonly subscriptions: { dispose(): void }[];
  private readonly sources = new Map<string, InspectSource>();

  constructor(private readonly session: EngineSession) {
    const follow = (kind: InspectKind, store: { onDidChange(l: (c: StoreChange) => void): { dispose(): void } }) => store.onDidChange((c) => this.objectsChanged(kind, c));
    this.subscriptions = [
      follow('container', session.containers),
      follow('image', session.images),
      follow('volume', session.volumes),
      follow('network', session.networks),
      vscode.workspace.onDidCloseTextDocument((d) => this.last.delete(d.uri.toString())),
    ];
  }

  /** Documents of another bundle's kind of object, live like the engine's own. */
  addSource(kind: string, source: InspectSource): { dispose(): void } {
    this.sources.set(kind, source);
    const sub = source.store.onDidChange((c) => this.objectsChanged(kind, c));
    return {
      dispose: () => {
        sub.dispose();
        if (this.sources.get(kind) === source) this.sources.delete(kind);
      },
    };
  }

  private objectsChanged(kind: string, change: StoreChange): void {
    const ids = new Set([...change.updated, ...change.removed]);
    if (!ids.size) return;
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== INSPECT_SCHEME) continue;
      const [, k, id] = doc.uri.path.split('/');
      if (k === kind && ids.has(decodeURIComponent(id))) this.changed.fire(doc.uri);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, kind, id] = uri.path.split('/');
    const source = this.sources.get(kind);
    if (!source && !INSPECT_KINDS.includes(kind as InspectKind)) throw new Error(vscode.l10n.t('Unknown inspect document: {0}', uri.toString()));
    const key = uri.toString();
    try {
      const payload = source ? await source.read(decodeURIComponent(id)) : maskInspect(await this.session.requireClient().inspect(kind as InspectKind, decodeURIComponent(id)));
      const text = `${JSON.stringify(payload, null, 2)}\n`;
      this.last.set(key, text);
      return text;
    } catch (err) {
      const last = this.last.get(key)?.replace(/^\/\/.*\n/, '');
      if (last === undefined) throw err;
      const time = new Date().toLocaleTimeString(vscode.env.language, { hour12: false });
      const note =
        (err as EngineFailure).statusCode === 404
          ? vscode.l10n.t('It no longer exists on the engine (seen at {0}): below is its last inspect, no longer updated.', time)
          : vscode.l10n.t('It could not be read again at {0} ({1}): below is its last inspect, no longer updated.', time, (err as Error).message);
      const text = `// ${note}\n${last}`;
      this.last.set(key, text);
      return text;
    }
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

export interface InspectOptions {
  /** Keep the focus where it is (a row's click or Enter, so the arrow keys go on in the tree). */
  preserveFocus?: boolean;
}

/** The options object a row's command passes; the context menu passes the selection (an array) instead. */
export function inspectOptions(arg: unknown): InspectOptions {
  return arg && typeof arg === 'object' && !Array.isArray(arg) ? { preserveFocus: (arg as InspectOptions).preserveFocus === true } : {};
}

export async function openInspect(kind: string, id: string, name: string, options: InspectOptions = {}): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(inspectUri(kind, id, name));
  // JSON with comments: a document that can no longer be read again says so on its first line.
  await vscode.languages.setTextDocumentLanguage(doc, 'jsonc');
  return vscode.window.showTextDocument(doc, { preview: true, preserveFocus: options.preserveFocus });
}
