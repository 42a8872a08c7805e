// Terminals on a container's TTY: an interactive run (attach) and Attach Shell (an exec). Bytes are
// decoded per stream, not per chunk, so a character split across chunks stays whole. Resizing the
// terminal resizes the TTY; when the process ends its last line says so and any key closes.
import { StringDecoder } from 'string_decoder';
import * as vscode from 'vscode';
import type { AttachedRun, EngineClient } from '../contract/client';
import type { StreamTerminal } from './logTerminal';

interface TtySession {
  stream: NodeJS.ReadWriteStream;
  resize(rows: number, cols: number): Promise<void>;
  /** The line to show once the process ended. */
  endedLine(): Promise<string>;
}

function openTtyTerminal(name: string, icon: string, connect: (dims?: vscode.TerminalDimensions) => Promise<TtySession>): StreamTerminal {
  const writer = new vscode.EventEmitter<string>();
  const closer = new vscode.EventEmitter<number | void>();
  const decoder = new StringDecoder('utf8');
  let session: TtySession | undefined;
  let ended = false;
  // Keys typed (or sendText) before the stream is connected are sent once it is, not dropped.
  const early: string[] = [];
  const destroy = () => (session?.stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    onDidClose: closer.event,
    open: (dims) => {
      void (async () => {
        try {
          const s = await connect(dims);
          session = s;
          for (const data of early.splice(0)) s.stream.write(data);
          if (dims) await s.resize(dims.rows, dims.columns);
          s.stream.on('data', (d: Buffer) => writer.fire(decoder.write(d)));
          const finish = async () => {
            if (ended) return;
            ended = true;
            writer.fire(`${decoder.end()}\r\n\x1b[2m${await s.endedLine()}\x1b[0m\r\n`);
          };
          s.stream.on('end', () => void finish());
          s.stream.on('close', () => void finish());
        } catch (err) {
          ended = true;
          writer.fire(`\x1b[31m${(err as Error).message}\x1b[0m\r\n`);
        }
      })();
    },
    // Closing detaches (an attached container keeps running) or ends the exec's stream.
    close: destroy,
    handleInput: (data) => (ended ? closer.fire() : session ? session.stream.write(data) : early.push(data)),
    setDimensions: (dims) => void session?.resize(dims.rows, dims.columns),
  };
  const terminal = vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon(icon) });
  return {
    terminal,
    stop: (message) => {
      ended = true;
      destroy();
      writer.fire(`\r\n\x1b[2m${message}\x1b[0m\r\n`);
    },
  };
}

/**
 * An interactive run: the container's own TTY, attached before it started (see runAttached), so a
 * short command's output is all there; the socket holds what arrives before the terminal opens.
 */
export function openAttachTerminal(client: EngineClient, run: AttachedRun, name: string): StreamTerminal {
  return openTtyTerminal(name, 'terminal', async () => ({
    stream: run.stream,
    resize: (rows, cols) => client.resize(run.id, rows, cols).catch(() => undefined),
    endedLine: async () => {
      const code = await run.exitCode;
      const exited = code === undefined ? vscode.l10n.t('— the container’s process ended —') : vscode.l10n.t('— exited with code {0} —', code);
      return `${exited}\r\n${vscode.l10n.t('Press any key to close this terminal.')}`;
    },
  }));
}

/** Attach Shell: an exec with a TTY. */
export function openShellTerminal(client: EngineClient, id: string, name: string, shell: string[]): StreamTerminal {
  return openTtyTerminal(vscode.l10n.t('Shell: {0}', name), 'terminal', async (dims) => {
    const exec = await client.execTty(id, shell, dims ? { rows: dims.rows, cols: dims.columns } : undefined);
    return {
      stream: exec.stream,
      resize: exec.resize,
      endedLine: async () => {
        const code = await exec.exitCode();
        // No status: the engine went away (killed, restarted) with the shell, so say it was closed.
        return code === undefined
          ? vscode.l10n.t('— the shell was closed: the engine did not say how it ended. Press any key to close. —')
          : vscode.l10n.t('— shell exited with status {0}. Press any key to close. —', code);
      },
    };
  });
}
