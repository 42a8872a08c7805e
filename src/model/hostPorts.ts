// Whether this machine can bind a port right now: the host side of "free on both sides".
import * as dgram from 'dgram';
import * as net from 'net';
import type { Protocol } from '../contract/records';

/**
 * Tries to bind, then lets go. Only "in use" counts as taken: a port this user may not bind
 * (below 1024) or an address not on this machine says nothing about what the engine can bind.
 */
export function hostPortFree(port: number, protocol: Protocol, ip: string): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (free: boolean) => resolve(free);
    const onError = (err: NodeJS.ErrnoException) => done(err.code !== 'EADDRINUSE');
    if (protocol === 'udp') {
      const sock = dgram.createSocket(ip.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', (e) => {
        sock.close();
        onError(e);
      });
      sock.bind({ port, address: ip, exclusive: true }, () => sock.close(() => done(true)));
      return;
    }
    const server = net.createServer();
    server.once('error', onError);
    server.listen({ port, host: ip, exclusive: true }, () => server.close(() => done(true)));
  });
}
