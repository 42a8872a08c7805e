// The build's live output: a terminal named after the tag. Ctrl+C or closing it cancels the build.
import * as vscode from 'vscode';
import type { Segment } from '../model/buildOutput';

const STYLE: Record<Segment['kind'], [string, string]> = {
  step: ['\x1b[1;36m', '\x1b[0m'],
  output: ['', ''],
  status: ['\x1b[2m', '\x1b[0m'],
  error: ['\x1b[1;31m', '\x1b[0m'],
};

export class BuildTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly pending: string[] = [];
  private opened = false;
  private finished = false;
  readonly terminal: vscode.Terminal;

  constructor(
    name: string,
    private readonly cancel: () => void,
  ) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('package') });
  }

  open(): void {
    this.opened = true;
    for (const text of this.pending.splice(0)) this.writer.fire(text);
  }

  close(): void {
    if (!this.finished) this.cancel();
  }

  handleInput(data: string): void {
    if (this.finished) return this.closer.fire();
    if (data === '\x03') this.cancel();
  }

  write(segment: Segment): void {
    const [on, off] = STYLE[segment.kind];
    this.raw(`${on}${segment.text.replace(/\r?\n/g, `${off}\r\n${on}`)}${off}`);
  }

  line(text: string, kind: Segment['kind'] = 'output'): void {
    this.write({ kind, text: `${text}\n` });
  }

  /** Marks the build over: the next key closes the terminal. */
  finish(text: string, kind: Segment['kind']): void {
    this.finished = true;
    this.line(text, kind);
    this.line(vscode.l10n.t('Press any key to close this terminal.'), 'status');
  }

  private raw(text: string): void {
    if (this.opened) this.writer.fire(text);
    else this.pending.push(text);
  }

  dispose(): void {
    this.writer.dispose();
    this.closer.dispose();
  }
}
