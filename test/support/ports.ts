// Loopback ports for tests: one free right now, or one held by a real listening socket.
import * as net from 'net';

export function listen(): Promise<net.Server & { port: number }> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => resolve(Object.assign(server, { port: (server.address() as net.AddressInfo).port })));
  });
}

export async function freePort(): Promise<number> {
  const server = await listen();
  await new Promise((r) => server.close(r));
  return server.port;
}
