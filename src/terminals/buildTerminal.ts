// The build's live output: a terminal named after the tag. Ctrl+C or closing it cancels the build.
// The next build of the same tag reuses the finished terminal instead of opening another.
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

  private closed = false;

  constructor(
    name: string,
    private cancel: () => void,
  ) {
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('package') });
  }

  /** Whether another build may take this terminal over: its build is over and it is still open. */
  get reusable(): boolean {
    return this.finished && !this.closed;
  }

  /** Starts the next build in this terminal: the old output is cleared, keys cancel again. */
  restart(cancel: () => void): void {
    this.cancel = cancel;
    this.finished = false;
    this.raw('\x1b[2J\x1b[3J\x1b[H'); // clear the screen and the scrollback
  }

  open(): void {
    this.opened = true;
    for (const text of this.pending.splice(0)) this.writer.fire(text);
  }

  close(): void {
    this.closed = true;
    if (!this.finished) this.cancel();
  }

  handleInput(data: string): void {
    if (this.finished) {
      this.closed = true;
      return this.closer.fire();
    }
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

/** One build terminal per tag: a finished one is reused by the tag's next build. */
export class BuildTerminals implements vscode.Disposable {
  private readonly byName = new Map<string, BuildTerminal>();
  /** Every terminal still open, also one whose name a newer build took over. */
  private readonly live = new Set<BuildTerminal>();
  private readonly sub = vscode.window.onDidCloseTerminal((t) => {
    for (const b of this.live)
      if (b.terminal === t) {
        this.live.delete(b);
        if (this.byName.get(b.terminal.name) === b) this.byName.delete(b.terminal.name);
        b.dispose();
      }
  });

  open(name: string, cancel: () => void): BuildTerminal {
    const old = this.byName.get(name);
    if (old?.reusable) {
      old.restart(cancel);
      return old;
    }
    // A build still running under this name keeps its terminal; this one gets its own.
    const created = new BuildTerminal(name, cancel);
    this.byName.set(name, created);
    this.live.add(created);
    return created;
  }

  /** Closes every build terminal: they belong to this extension's lifetime. */
  dispose(): void {
    this.sub.dispose();
    for (const b of this.live) {
      b.terminal.dispose();
      b.dispose();
    }
    this.live.clear();
    this.byName.clear();
  }
}
