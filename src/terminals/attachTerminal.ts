// A terminal attached to a container's TTY (interactive run). Bytes are decoded per stream, not per
// chunk, so a multi-byte character split across chunks stays whole.
import { TextDecoder } from 'util';
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/index';

export function openAttachTerminal(client: EngineClient, id: string, name: string): vscode.Terminal {
  const writer = new vscode.EventEmitter<string>();
  const closer = new vscode.EventEmitter<number | void>();
  const decoder = new TextDecoder('utf-8');
  let stream: NodeJS.ReadWriteStream | undefined;
  let ended = false;
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writer.event,
    onDidClose: closer.event,
    open: (dims) => {
      void (async () => {
        try {
          stream = await client.attach(id);
          if (dims) await client.resize(id, dims.rows, dims.columns).catch(() => undefined);
          stream.on('data', (chunk: Buffer) => writer.fire(decoder.decode(chunk, { stream: true })));
          stream.on('end', () => {
            ended = true;
            writer.fire(`${decoder.decode()}\r\n\x1b[2m${vscode.l10n.t('The container’s process ended. Press any key to close this terminal.')}\x1b[0m\r\n`);
          });
        } catch (err) {
          ended = true;
          writer.fire(`\x1b[31m${(err as Error).message}\x1b[0m\r\n`);
        }
      })();
    },
    close: () => {
      // Closing the terminal detaches; the container keeps running.
      (stream as unknown as { destroy?: () => void })?.destroy?.();
    },
    handleInput: (data) => {
      if (ended) return closer.fire();
      stream?.write(data);
    },
    setDimensions: (dims) => void client.resize(id, dims.rows, dims.columns).catch(() => undefined),
  };
  return vscode.window.createTerminal({ name, pty, iconPath: new vscode.ThemeIcon('terminal') });
}
