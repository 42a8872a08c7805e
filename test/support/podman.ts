// A Podman API service on its own socket and storage, for the Podman tests. Podman serves a
// Docker-compatible API; running containers under it fails in this VM, listing works.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pingSocket } from './emptyEngine';

export interface PodmanService {
  socket: string;
  /** Runs the podman CLI against this service's storage (test setup only). */
  podman(...args: string[]): string;
  stop(): Promise<void>;
}

export async function startPodman(): Promise<PodmanService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-podman-'));
  const socket = path.join(dir, 'podman.sock');
  const storage = ['--root', path.join(dir, 'root'), '--runroot', path.join(dir, 'run')];
  const child: ChildProcess = spawn('podman', [...storage, 'system', 'service', '--time=0', `unix://${socket}`], { stdio: 'ignore', detached: true });
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot start podman: ${e.message}`))));
  const deadline = Date.now() + 20_000;
  while (!(await Promise.race([pingSocket(socket), failed]))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the Podman API service did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    socket,
    podman: (...args) => execFileSync('podman', [...storage, ...args], { encoding: 'utf8', stdio: 'pipe' }),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      try {
        execFileSync('podman', [...storage, 'system', 'reset', '--force'], { stdio: 'pipe' });
      } catch {
        // best effort: the folder goes next anyway
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
