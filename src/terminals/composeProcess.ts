// The Compose program as a child process, vscode-free so the bench runs exactly what the terminal
// runs: the invocation's argument array, no shell, in the project's folder, output as it comes.
import { spawn } from 'child_process';
import type { ComposeInvocation } from '../model/compose/program';

export interface ComposeProcess {
  /** The exit code; null when killed or when the program could not start. */
  done: Promise<number | null>;
  /** Interrupts it as Ctrl+C would (Compose stops what it was doing). */
  interrupt(): void;
}

export function startComposeProcess(invocation: ComposeInvocation, output: (text: string) => void): ComposeProcess {
  const { file, args, cwd, env } = invocation;
  const child = spawn(file, args, { cwd, env, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.setEncoding('utf8').on('data', output);
  child.stderr?.setEncoding('utf8').on('data', output);
  const done = new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      output(`\x1b[1;31m${err.message}\x1b[0m\n`);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  return {
    done,
    interrupt: () => {
      if (child.exitCode === null) child.kill('SIGINT');
    },
  };
}
