// A byte-level pass-through on its own unix socket to the engine's socket that cuts chosen
// responses: once a request whose path matches `cut` goes through a connection, the engine's answer
// on it is passed on for a random number of bytes (headers, chunk framing and body alike), then
// both sides are destroyed, as a dropped connection would. Everything else passes untouched.
import * as fs from 'fs';
import * as net from 'net';

export interface CuttingProxy {
  socket: string;
  /** Connections cut so far. */
  readonly cuts: number;
  /** Stops (or resumes) cutting; connections already counted keep their budget only while on. */
  cutting: boolean;
  close(): Promise<void>;
}

export interface CutOptions {
  /** Which requests' responses to cut, by path (with its query). */
  cut: RegExp;
  /** How many response bytes pass before the cut. */
  budget: () => number;
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r\n/;

export async function startCuttingProxy(socket: string, engineSocket: string, opts: CutOptions): Promise<CuttingProxy> {
  const open = new Set<net.Socket>();
  const state = { cuts: 0, cutting: true };
  const server = net.createServer((client) => {
    const upstream = net.connect(engineSocket);
    open.add(client).add(upstream);
    let remaining: number | undefined;
    let dropped = false;
    const finish = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      const m = REQUEST_LINE.exec(chunk.toString('latin1'));
      // A keep-alive connection carries requests one after another: the budget counts from the
      // matching request on.
      if (m && opts.cut.test(m[1])) remaining = opts.budget();
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropped) return;
      if (remaining === undefined || !state.cutting) return void client.write(chunk);
      if (chunk.length < remaining) {
        remaining -= chunk.length;
        return void client.write(chunk);
      }
      const last = chunk.subarray(0, remaining);
      state.cuts++;
      dropped = true;
      // Written, then dropped: the client sees exactly these bytes and then a closed connection.
      client.write(last, () => finish());
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', finish);
    upstream.on('error', finish);
    client.on('close', finish);
    upstream.on('close', finish);
  });
  fs.rmSync(socket, { force: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  return {
    socket,
    get cuts() {
      return state.cuts;
    },
    get cutting() {
      return state.cutting;
    },
    set cutting(on: boolean) {
      state.cutting = on;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
        fs.rmSync(socket, { force: true });
      }),
  };
}
