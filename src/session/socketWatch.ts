// Tells the session the moment a local engine's socket file is (re)created, so a restarted engine
// is retried at once rather than after the rest of a backoff. dockerd unlinks a stale socket and
// binds a new one when it starts; only a path that is a socket again counts.
import * as fs from 'fs';
import * as path from 'path';

export interface SocketWatch {
  close(): void;
}

/** Calls `onSocket` whenever `socketPath` changes and is a socket; undefined when it cannot watch. */
export type WatchSocket = (socketPath: string, onSocket: () => void) => SocketWatch | undefined;

export const watchSocketFile: WatchSocket = (socketPath, onSocket) => {
  const base = path.basename(socketPath);
  let closed = false;
  try {
    // The folder, not the file: the file is gone (or about to be replaced) while the engine is down.
    const w = fs.watch(path.dirname(socketPath), { persistent: false }, (_event, name) => {
      if (name !== null && String(name) !== base) return;
      fs.lstat(socketPath, (err, st) => {
        if (!closed && !err && st.isSocket()) onSocket();
      });
    });
    // The folder removed or unwatchable: the backoff alone retries.
    w.on('error', () => w.close());
    return {
      close: () => {
        closed = true;
        w.close();
      },
    };
  } catch {
    return undefined;
  }
};
