// An HTTP pass-through on its own unix socket that counts each request's body as decoded HTTP (no
// chunk framing): an independent count of the context bytes Berth and the docker CLI send.
// Used for one untimed build each; the timed rounds talk to the engine directly.
import * as fs from 'fs';
import * as http from 'http';

export interface CountedRequest {
  method: string;
  path: string;
  bodyBytes: number;
}

export interface CountingProxy {
  socket: string;
  requests: CountedRequest[];
  close(): Promise<void>;
}

export async function startCountingProxy(socket: string, engineSocket: string): Promise<CountingProxy> {
  const requests: CountedRequest[] = [];
  const server = http.createServer((req, res) => {
    const entry: CountedRequest = { method: req.method ?? '', path: req.url ?? '', bodyBytes: 0 };
    requests.push(entry);
    const up = http.request({ socketPath: engineSocket, method: req.method, path: req.url, headers: req.headers, agent: false }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      // A stream (events, logs) gets its headers now, as from the engine, not with its first chunk.
      res.flushHeaders();
      ur.pipe(res);
    });
    up.on('error', (err) => res.destroy(err));
    req.on('data', (chunk: Buffer) => (entry.bodyBytes += chunk.length));
    req.pipe(up);
  });
  fs.rmSync(socket, { force: true });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socket, resolve));
  return {
    socket,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
