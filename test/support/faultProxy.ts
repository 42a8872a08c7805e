// A unix-socket HTTP pass-through that knows which requests are open right now: the tests count
// event streams and requests in flight at the wire, independently of the session's own state.
// When the client side goes, the upstream request goes too, so the proxy itself piles nothing up.
import * as fs from 'fs';
import * as http from 'http';

export interface FaultProxy {
  socket: string;
  /** Paths of the requests whose response has not ended (streams included). */
  open(): string[];
  total: number;
  close(): Promise<void>;
}

export async function startFaultProxy(socket: string, engineSocket: string): Promise<FaultProxy> {
  const open = new Set<{ path: string }>();
  let total = 0;
  const server = http.createServer((req, res) => {
    const entry = { path: `${req.method} ${req.url}` };
    open.add(entry);
    total++;
    const up = http.request({ socketPath: engineSocket, method: req.method, path: req.url, headers: req.headers, agent: false }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      // Node holds headers back until the first body byte; a quiet /events stream has none for a while.
      res.flushHeaders();
      ur.pipe(res);
    });
    const done = () => {
      open.delete(entry);
      up.destroy();
    };
    res.on('close', done);
    up.on('error', (err) => res.destroy(err));
    req.pipe(up);
  });
  fs.rmSync(socket, { force: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  return {
    socket,
    open: () => [...open].map((e) => e.path),
    get total() {
      return total;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
