// A pull's, push's or load's progress in a terminal, one line per layer redrawn in place as
// `docker pull` draws it. Ctrl+C or closing the terminal cancels the transfer.
import * as vscode from 'vscode';

export class TransferTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly pending: string[] = [];
  private opened = false;
  private finished = false;
  /** Lines of the live table drawn last, rewritten by the next render. */
  private drawn = 0;
  readonly terminal: vscode.Terminal;

  constructor(
    name: string,
    private readonly cancel: () => void,
  ) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('cloud-download') });
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

  private write(text: string): void {
    if (this.opened) this.writer.fire(text);
    else this.pending.push(text);
  }

  /** A line below the live table, which stays as last drawn: the next table starts after it. */
  line(text: string, style: 'plain' | 'dim' | 'error' | 'done' = 'plain'): void {
    const [on, off] = style === 'dim' ? ['\x1b[2m', '\x1b[0m'] : style === 'error' ? ['\x1b[1;31m', '\x1b[0m'] : style === 'done' ? ['\x1b[1;32m', '\x1b[0m'] : ['', ''];
    this.drawn = 0;
    this.write(`\x1b[2K${on}${text}${off}\r\n`);
  }

  /** Replaces the live table (one line per layer): up to its first line, then each line rewritten. */
  table(lines: string[]): void {
    const up = this.drawn ? `\x1b[${this.drawn}F` : '';
    this.write(up + lines.map((l) => `\x1b[2K${l}\r\n`).join(''));
    this.drawn = lines.length;
  }

  /** The transfer is over: keys close the terminal from now on. */
  finish(): void {
    this.finished = true;
    this.drawn = 0;
    this.write(`\r\n\x1b[2m${vscode.l10n.t('Press any key to close this terminal.')}\x1b[0m\r\n`);
  }
}
