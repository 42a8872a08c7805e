// The benchmark's own dockerd: its own socket, data, exec root and bridge, so 1,000 containers never
// touch the engine the tests share. Like test/support/emptyEngine.ts, but with the subnet as a
// parameter so it cannot collide with a test's empty engine running at the same time (198.18.250.0/24).
// Never --bridge=none: that makes dockerd delete the host's docker0.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

export interface BenchEngine {
  socket: string;
  stop(): Promise<void>;
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath: socket, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

export async function startBenchEngine(bridgeCidr = process.env.BENCH_BRIDGE_CIDR ?? '198.18.251.1/24'): Promise<BenchEngine> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark starts its own dockerd, which needs root');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-engine-'));
  const socket = path.join(dir, 'docker.sock');
  const logFile = path.join(dir, 'dockerd.log');
  const bridge = `berth-b${Math.random().toString(36).slice(2, 7)}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  let child: ChildProcess | undefined;

  async function stop(): Promise<void> {
    const c = child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000).unref())]);
      // Its own process group: take a stuck dockerd and its containerd down together.
      if (c.exitCode === null && c.signalCode === null) {
        try {
          process.kill(-c.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited;
      }
    }
    try {
      ip('link', 'del', bridge);
    } catch {
      // never made, or already gone
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
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', bridgeCidr, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    const c = spawn(
      'dockerd',
      ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid'), '-H', `unix://${socket}`, '--bridge', bridge, '--iptables=false', '--ip-masq=false'],
      { stdio: ['ignore', fs.openSync(logFile, 'a'), fs.openSync(logFile, 'a')], detached: true },
    );
    child = c;
    const deadline = Date.now() + 30_000;
    while (!(await ping(socket))) {
      if (c.exitCode !== null || Date.now() > deadline) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n') : '';
        throw new Error(`the benchmark's dockerd did not start:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { socket, stop };
}
