// A container's log stream, and execs: probing for a shell, and an interactive shell with a TTY.
import type Docker from 'dockerode';
import type { ExecSession, LogOptions } from '../contract/client';
import type { Connection } from './connection';

export function logs(c: Connection, id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
  return c.call(
    (d) =>
      d.getContainer(id).logs({
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: opts.timestamps,
        tail: opts.tail === undefined ? 'all' : String(opts.tail),
        since: opts.since ?? 0,
        // Not following: stream up to now rather than have dockerode buffer the whole log.
        until: opts.follow ? undefined : String(Math.ceil(Date.now() / 1000)),
        abortSignal: signal,
      } as unknown as Docker.ContainerLogsOptions & { follow: true }) as unknown as Promise<NodeJS.ReadableStream>,
  );
}

export function execStatus(c: Connection, id: string, cmd: string[]): Promise<number> {
  return c.call(async (d) => {
    const exec = await d.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
      stream.resume();
    });
    for (let i = 0; i < 50; i++) {
      const info = await exec.inspect();
      if (!info.Running) return info.ExitCode ?? -1;
      await new Promise((r) => setTimeout(r, 20));
    }
    return -1;
  });
}

export function execTty(c: Connection, id: string, cmd: string[], size?: { rows: number; cols: number }): Promise<ExecSession> {
  return c.call(async (d) => {
    const exec = await d.getContainer(id).exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Env: ['TERM=xterm-256color'] });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true, ...(size ? { ConsoleSize: [size.rows, size.cols] } : {}) } as object)) as NodeJS.ReadWriteStream;
    return {
      stream,
      resize: async (rows, cols) => {
        await exec.resize({ h: rows, w: cols }).catch(() => undefined);
      },
      exitCode: async () => {
        for (let i = 0; i < 50; i++) {
          const info = await exec.inspect().catch(() => undefined);
          if (!info) return undefined;
          if (!info.Running) return info.ExitCode ?? undefined;
          await new Promise((r) => setTimeout(r, 20));
        }
        return undefined;
      },
    };
  });
}
