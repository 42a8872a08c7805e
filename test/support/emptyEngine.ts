// A second, empty Docker engine on its own socket, for the "no containers" state. Needs root and
// dockerd, as CI has. It gets its own data, exec root and bridge: with --bridge=none a dockerd
// deletes docker0 and breaks the developer's engine, so it must never run that way.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';

export interface EmptyEngine {
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

export async function startEmptyEngine(): Promise<EmptyEngine> {
  if (process.getuid?.() !== 0) throw new Error('starting a second, empty dockerd for the empty-state test needs root');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-empty-engine-'));
  const socket = path.join(dir, 'docker.sock');
  const logFile = path.join(dir, 'dockerd.log');
  const bridge = `berth-e${Math.random().toString(36).slice(2, 7)}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  ip('link', 'add', bridge, 'type', 'bridge');
  ip('addr', 'add', '198.18.250.1/24', 'dev', bridge);
  ip('link', 'set', bridge, 'up');
  const child: ChildProcess = spawn(
    'dockerd',
    ['--data-root', path.join(dir, 'data'), '--exec-root', path.join(dir, 'exec'), '--pidfile', path.join(dir, 'dockerd.pid'), '-H', `unix://${socket}`, '--bridge', bridge, '--iptables=false', '--ip-masq=false'],
    { stdio: ['ignore', fs.openSync(logFile, 'w'), fs.openSync(logFile, 'a')] },
  );
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start dockerd: ${e.message}`))));
  const deadline = Date.now() + 30_000;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    try {
      ip('link', 'del', bridge);
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (;;) {
    if (await Promise.race([ping(socket), spawnError])) return { socket, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-5).join('\n') : '';
      await stop();
      throw new Error(`the empty test engine did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
