// Reaches an engine over SSH the way the user's own ssh does: the system `ssh` (their config,
// keys, agent and known_hosts) forwards the remote socket to a local one. Arguments go as an array,
// never through a shell. BatchMode makes an unknown host or a password prompt fail at once, with
// ssh's own words, instead of hanging.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EngineError } from './errors';

export interface SshTarget {
  host: string;
  port?: number;
  username?: string;
  /** The engine's socket on the remote machine. */
  remoteSocket?: string;
  /** Extra ssh arguments from the berth.engines setting (an identity file, options). */
  args?: string[];
}

export interface SshTunnel {
  socketPath: string;
  close(): void;
}

export function sshArgs(t: SshTarget, localSocket: string): string[] {
  return [
    '-o', 'BatchMode=yes',
    '-o', 'ExitOnForwardFailure=yes',
    '-o', 'ConnectTimeout=10',
    '-o', 'StreamLocalBindUnlink=yes',
    '-nNT',
    '-L', `${localSocket}:${t.remoteSocket ?? '/var/run/docker.sock'}`,
    ...(t.port ? ['-p', String(t.port)] : []),
    ...(t.args ?? []),
    '--',
    t.username ? `${t.username}@${t.host}` : t.host,
  ];
}

/** What ssh said, as something the user can act on. */
export function sshFailure(target: string, stderr: string): EngineError {
  const said = stderr.trim().split('\n').filter(Boolean).pop() ?? 'ssh exited';
  if (/Host key verification failed|No .* host key is known/i.test(stderr))
    return new EngineError('ssh', `the SSH host key of ${target} is not known yet: run "ssh ${target}" once in a terminal to check it and add it to known_hosts (${said})`, undefined, {
      reason: 'unknownHost',
      target,
      said,
    });
  if (/Permission denied/i.test(stderr))
    return new EngineError('ssh', `ssh could not log in to ${target}: add your key to ssh-agent or to your ssh config (${said})`, undefined, { reason: 'denied', target, said });
  if (/Could not resolve hostname/i.test(stderr)) return new EngineError('not-found', said);
  if (/Connection refused|Connection timed out|No route to host/i.test(stderr)) return new EngineError('refused', said);
  return new EngineError('other', `ssh to ${target} failed: ${said}`);
}

export async function openSshTunnel(t: SshTarget, timeoutMs = 15_000): Promise<SshTunnel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ssh-'));
  const socketPath = path.join(dir, 'docker.sock');
  const target = t.username ? `${t.username}@${t.host}` : t.host;
  let stderr = '';
  const child: ChildProcess = spawn('ssh', sshArgs(t, socketPath), { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const close = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (e) => {
      stderr += e.message;
      resolve();
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  // The forward is up once ssh has bound the local socket.
  while (!fs.existsSync(socketPath)) {
    if (gone) {
      close();
      throw sshFailure(target, stderr);
    }
    if (Date.now() > deadline) {
      close();
      throw new EngineError('timeout', `ssh to ${target} did not set up the forward within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { socketPath, close };
}
