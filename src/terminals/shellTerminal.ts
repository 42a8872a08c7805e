// A shell in a running container: an exec with a TTY through the Engine API. Resizing the terminal
// resizes the exec; when the shell ends its exit status is shown.
import { StringDecoder } from 'string_decoder';
import * as vscode from 'vscode';
import type { EngineClient, ExecSession } from '../engine/index';
import type { StreamTerminal } from './logTerminal';

export function openShellTerminal(client: EngineClient, id: string, name: string, shell: string[]): StreamTerminal {
  const writer = new vscode.EventEmitter<string>();
  const closer = new vscode.EventEmitter<number | void>();
  const decoder = new StringDecoder('utf8');
  let exec: ExecSession | undefined;
  let ended = false;
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    onDidClose: closer.event,
    open: (dims) => {
      void (async () => {
        try {
          exec = await client.execTty(id, shell, dims ? { rows: dims.rows, cols: dims.columns } : undefined);
          if (dims) await exec.resize(dims.rows, dims.columns);
          exec.stream.on('data', (d: Buffer) => writer.fire(decoder.write(d)));
          const finish = async () => {
            if (ended) return;
            ended = true;
            const code = await exec?.exitCode();
            writer.fire(`${decoder.end()}\r\n\x1b[2m${vscode.l10n.t('— shell exited with status {0}. Press any key to close. —', code ?? '?')}\x1b[0m\r\n`);
          };
          exec.stream.on('end', () => void finish());
          exec.stream.on('close', () => void finish());
        } catch (err) {
          ended = true;
          writer.fire(`\x1b[31m${(err as Error).message}\x1b[0m\r\n`);
        }
      })();
    },
    close: () => (exec?.stream as unknown as { destroy?: () => void } | undefined)?.destroy?.(),
    handleInput: (data) => (ended ? closer.fire() : exec?.stream.write(data)),
    setDimensions: (dims) => void exec?.resize(dims.rows, dims.columns),
  };
  const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Shell: {0}', name), pty, iconPath: new vscode.ThemeIcon('terminal') });
  return {
    terminal,
    stop: (message) => {
      ended = true;
      (exec?.stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
      writer.fire(`\r\n\x1b[2m${message}\x1b[0m\r\n`);
    },
  };
}
