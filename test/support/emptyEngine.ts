// A second, empty Docker engine on its own socket, for the "no containers" state and for
// killing and restarting an engine under test. Needs root and dockerd, as CI has. It gets its own
// data, exec root and bridge: with --bridge=none a dockerd deletes docker0 and breaks the
// developer's engine, so it must never run that way.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

export interface EmptyEngine {
  socket: string;
  /** Kills dockerd at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Starts dockerd again on the same socket and data; resolves when it answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** SIGSTOP (freeze) or SIGCONT (thaw) to dockerd alone: a wedged engine keeps its sockets open. */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): void;
}

export function pingSocket(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/**
 * `extraArgs` adds listeners (a TLS tcp:// one) to the engine's own unix socket; `bridgeCidr` lets
 * two such engines (a test's and the benchmark's) run at once without sharing a subnet.
 */
export async function startEmptyEngine(opts: { extraArgs?: string[]; bridgeCidr?: string } = {}): Promise<EmptyEngine> {
  if (process.getuid?.() !== 0) throw new Error('starting a second, empty dockerd for the tests needs root');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-empty-engine-'));
  const socket = path.join(dir, 'docker.sock');
  const logFile = path.join(dir, 'dockerd.log');
  const bridge = `berth-e${Math.random().toString(36).slice(2, 7)}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('link', 'add', bridge, 'type', 'bridge');
  ip('addr', 'add', opts.bridgeCidr ?? '198.18.250.1/24', 'dev', bridge);
  ip('link', 'set', bridge, 'up');
  let child: ChildProcess | undefined;

  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));

  async function start(): Promise<void> {
    const log = fs.openSync(logFile, 'a');
    const c = spawn(
      'dockerd',
      ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid'), '-H', `unix://${socket}`, '--bridge', bridge, '--iptables=false', '--ip-masq=false', ...(opts.extraArgs ?? [])],
      // Its own process group, so a kill takes its containerd down with it, as a crash of the host's would.
      { stdio: ['ignore', log, log], detached: true },
    );
    // dockerd has its own copy: ours would leak one per start (20 restarts, 20 fds).
    fs.closeSync(log);
    child = c;
    const spawnError = new Promise<never>((_, reject) => c.once('error', (e) => reject(new Error(`cannot start dockerd: ${e.message}`))));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await Promise.race([pingSocket(socket), spawnError])) return;
      if (c.exitCode !== null || Date.now() > deadline) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n') : '';
        throw new Error(`the empty test engine did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function kill(): Promise<void> {
    if (!child) return;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited(child);
    // containerd may outlive dockerd by a moment; wait for the group to be empty.
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(-child.pid!, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    // A killed dockerd leaves pid files behind. Its containerd may linger as an unreaped zombie
    // whose pid dockerd would take for a live containerd, so drop that pid file too.
    fs.rmSync(path.join(dir, 'dockerd.pid'), { force: true });
    fs.rmSync(path.join(dir, 'exec', 'containerd', 'containerd.pid'), { force: true });
  }

  async function stop(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited(child), new Promise((r) => setTimeout(r, 10_000).unref())]);
      if (child.exitCode === null && child.signalCode === null) await kill();
    }
    try {
      ip('link', 'del', bridge);
    } catch {
      // already gone
    }
    // dockerd can leave mounts under its data root; unmount ours before removing the folder.
    const mounts = fs.readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(dir));
    for (const m of mounts.reverse()) {
      try {
        execFileSync('umount', ['-l', m], { stdio: 'pipe' });
      } catch {
        // not mounted any more
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  function signal(sig: 'SIGSTOP' | 'SIGCONT'): void {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) throw new Error('the empty test engine is not running');
    process.kill(child.pid, sig);
  }

  return { socket, kill, start, stop, signal };
}
