// A Compose program's live output in a terminal named after the project. The program runs with
// an argument array and no shell, in the project's folder; Ctrl+C or closing the terminal kills it.
// The project's next run reuses its terminal once the previous run is over.
import * as vscode from 'vscode';
import type { ComposeInvocation } from '../model/compose/program';
import { startComposeProcess, type ComposeProcess } from './composeProcess';

export interface ComposeRun {
  terminal: vscode.Terminal;
  /** The exit code; null when killed (Ctrl+C, closing the terminal). */
  done: Promise<number | null>;
  /** What the program printed in this run (its last 256 KB), to read a failure's reason from. */
  output(): string;
  /** Writes a line of Berth's own after the program's output (what Berth did around it). */
  note(text: string): void;
}

const KEPT_OUTPUT = 256 * 1024;

export class ComposeTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly pending: string[] = [];
  private opened = false;
  private child?: ComposeProcess;
  private finished = false;
  private closed = false;
  readonly terminal: vscode.Terminal;
  done: Promise<number | null>;
  private resolveDone!: (code: number | null) => void;
  /** This run's output as the program wrote it. */
  output = '';

  constructor(
    name: string,
    private invocation: ComposeInvocation,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.terminal = vscode.window.createTerminal({ name, pty: this, iconPath: new vscode.ThemeIcon('layers') });
  }

  /** Whether the next run may take this terminal over: its run is over and it is still open. */
  get reusable(): boolean {
    return this.finished && !this.closed;
  }

  /** Runs the next invocation here, after the previous run's output. */
  rerun(invocation: ComposeInvocation): void {
    this.invocation = invocation;
    this.finished = false;
    this.child = undefined;
    this.output = '';
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.write('\n');
    if (this.opened) this.start();
  }

  /** A line of Berth's, set apart from the program's output. */
  note(text: string): void {
    this.write(`\x1b[1;36m${text}\x1b[0m\n`);
  }

  private write(text: string): void {
    // A pseudoterminal needs CRLF; the program writes LF.
    const out = text.replace(/\r?\n/g, '\r\n');
    if (this.opened) this.writer.fire(out);
    else this.pending.push(out);
  }

  open(): void {
    this.opened = true;
    for (const text of this.pending.splice(0)) this.writer.fire(text);
    if (this.child || this.finished) return;
    this.start();
  }

  private start(): void {
    const { file, args } = this.invocation;
    this.write(`\x1b[2m${[file, ...args].join(' ')}\x1b[0m\n`);
    this.child = startComposeProcess(this.invocation, (d) => {
      this.output = (this.output + d).slice(-KEPT_OUTPUT);
      this.write(d);
    });
    void this.child.done.then((code) => this.finish(code));
  }

  private finish(code: number | null): void {
    if (this.finished) return;
    this.finished = true;
    const text =
      code === 0 ? vscode.l10n.t('— done —') : code === null ? vscode.l10n.t('— stopped —') : vscode.l10n.t('— exited with code {0} —', code);
    this.write(`\n${code === 0 ? '\x1b[2m' : '\x1b[1;31m'}${text}\x1b[0m\n`);
    this.resolveDone(code);
  }

  close(): void {
    this.closed = true;
    this.kill();
  }

  handleInput(data: string): void {
    if (this.finished) {
      this.closed = true;
      return this.closer.fire();
    }
    if (data === '\x03') this.kill();
  }

  private kill(): void {
    if (!this.finished) this.child?.interrupt();
  }
}

/** One terminal per project, reused by its next run once the previous one is over. */
export class ComposeTerminals {
  private readonly byName = new Map<string, ComposeTerminal>();

  run(name: string, invocation: ComposeInvocation): ComposeRun {
    let t = this.byName.get(name);
    if (t?.reusable) t.rerun(invocation);
    else {
      t = new ComposeTerminal(name, invocation);
      this.byName.set(name, t);
    }
    t.terminal.show(true);
    const run = t;
    return { terminal: t.terminal, done: t.done, output: () => run.output, note: (text) => run.note(text) };
  }
}
