// A throwaway sshd on 127.0.0.1 with its own host key and a key made for the test, so ssh://
// engines are tested against a real ssh server reaching the local engine's socket.
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort } from './ports';

export interface Sshd {
  port: number;
  user: string;
  keyFile: string;
  knownHosts: string;
  emptyKnownHosts: string;
  stop(): Promise<void>;
}

export async function startSshd(): Promise<Sshd> {
  const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => fs.existsSync(p));
  if (!sshd) throw new Error('sshd is not installed (Debian: apt-get install openssh-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sshd-'));
  const f = (n: string) => path.join(dir, n);
  for (const key of ['host_key', 'user_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f(key)], { stdio: 'pipe' });
  fs.copyFileSync(f('user_key.pub'), f('authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(
    f('sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${f('host_key')}`,
      `PidFile ${f('sshd.pid')}`,
      `AuthorizedKeysFile ${f('authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'StrictModes no',
      'UsePAM no',
      'AllowStreamLocalForwarding yes',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(f('known_hosts'), `[127.0.0.1]:${port} ${fs.readFileSync(f('host_key.pub'), 'utf8')}`);
  fs.writeFileSync(f('empty_known_hosts'), '');
  fs.mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation folder
  const child: ChildProcess = spawn(sshd, ['-D', '-e', '-f', f('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    user: os.userInfo().username,
    keyFile: f('user_key'),
    knownHosts: f('known_hosts'),
    emptyKnownHosts: f('empty_known_hosts'),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill();
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
