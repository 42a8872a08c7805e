// Read-only JSON documents of the engine's inspect payloads (berth-inspect:/container/<id>/<name>.json).
// Secret-looking environment values are masked; the editor title has a refresh button.
import * as vscode from 'vscode';
import type { InspectKind } from '../contract/client';
import type { EngineSession } from '../session/engineSession';
import { maskInspect } from '../model/secrets';

export const INSPECT_SCHEME = 'berth-inspect';
const INSPECT_KINDS: readonly InspectKind[] = ['container', 'image', 'volume', 'network'];

export function inspectUri(kind: InspectKind, id: string, name: string): vscode.Uri {
  const safe = name.replace(/[^\w.:-]+/g, '_');
  return vscode.Uri.from({ scheme: INSPECT_SCHEME, path: `/${kind}/${encodeURIComponent(id)}/${safe}.json` });
}

export class InspectDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly session: EngineSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, kind, id] = uri.path.split('/');
    if (!INSPECT_KINDS.includes(kind as InspectKind)) throw new Error(vscode.l10n.t('Unknown inspect document: {0}', uri.toString()));
    const payload = await this.session.requireClient().inspect(kind as InspectKind, decodeURIComponent(id));
    return `${JSON.stringify(maskInspect(payload), null, 2)}\n`;
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
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

export async function openInspect(kind: InspectKind, id: string, name: string, options: InspectOptions = {}): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(inspectUri(kind, id, name));
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(doc, { preview: true, preserveFocus: options.preserveFocus });
}
