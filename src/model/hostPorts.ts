// Whether this machine can bind a port right now: the host side of "free on both sides".
import * as dgram from 'dgram';
import * as fs from 'fs';
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

/** A process of this machine. */
export interface HostProcess {
  pid: number;
  command: string;
}

/**
 * Which process listens on a host port, read from Linux's /proc (sockets in /proc/net, their
 * owners by the fd links in /proc/PID/fd). Undefined elsewhere, or when the owner cannot be read
 * (another user's process when not root).
 */
export async function portHolderProcess(port: number, protocol: Protocol, proc = '/proc'): Promise<HostProcess | undefined> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  // TCP listens in state 0A; a bound UDP socket sits in state 07.
  const state = protocol === 'udp' ? '07' : '0A';
  for (const table of protocol === 'udp' ? ['udp', 'udp6'] : ['tcp', 'tcp6']) {
    const text = await fs.promises.readFile(`${proc}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[1].endsWith(`:${hexPort}`) && f[3] === state && f[9] !== '0') inodes.add(`socket:[${f[9]}]`);
    }
  }
  if (!inodes.size) return undefined;
  const pids = (await fs.promises.readdir(proc).catch(() => [] as string[])).filter((d) => /^\d+$/.test(d));
  for (const pid of pids) {
    const fds = await fs.promises.readdir(`${proc}/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await fs.promises.readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '');
      if (!inodes.has(link)) continue;
      return { pid: Number(pid), command: await processName(`${proc}/${pid}`) };
    }
  }
  return undefined;
}

/** A process's program name: its argv[0]'s file name ("postgres", "node"); comm is a thread's name, which programs rename. */
export async function processName(dir: string): Promise<string> {
  const argv0 = (await fs.promises.readFile(`${dir}/cmdline`, 'utf8').catch(() => '')).split('\0')[0];
  const name = argv0.split('/').pop()?.split(' ')[0];
  return name || (await fs.promises.readFile(`${dir}/comm`, 'utf8').catch(() => '')).trim() || '?';
}
