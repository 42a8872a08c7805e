// A container's log stream, and execs: probing for a shell, and an interactive shell with a TTY.
import type { ExecSession, LogOptions } from '../contract/client';
import type { Connection } from './connection';

type Dial = { dial(opts: object, cb: (err: Error | null, res: NodeJS.ReadableStream) => void): void };

export function logs(c: Connection, id: string, opts: LogOptions, signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
  // Dialled directly: dockerode's logs() buffers the whole log in memory unless it follows, and
  // following with `until` never ends on Docker 20.10 while the container runs (issue 14). As
  // `docker logs` without -f does, a saved log asks follow=0: the engine reads up to the log's
  // size when the request arrives and ends the response, running container or not; no `until`,
  // whose client clock could cut lines on a remote engine with a skewed clock.
  return c.call(
    (d) =>
      new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        (d as unknown as { modem: Dial }).modem.dial(
          {
            path: `/containers/${encodeURIComponent(id)}/logs?`,
            method: 'GET',
            options: {
              follow: opts.follow,
              stdout: true,
              stderr: true,
              timestamps: opts.timestamps,
              tail: opts.tail === undefined ? 'all' : String(opts.tail),
              since: opts.since ?? 0,
            },
            isStream: true,
            abortSignal: signal,
            statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
          },
          (err, res) => (err ? reject(err) : resolve(res)),
        ),
      ),
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
