// Builds with the engine's builder, handing every stream message over as it arrives. Whether the
// build succeeded is in the messages (errorDetail), never in the HTTP status.
import type Docker from 'dockerode';
import type { BuildMessage } from '../contract/build';
import type { BuildRequest } from '../contract/client';
import type { Connection } from './connection';
import { classifyError } from './errors';
import { JsonLineDecoder } from './jsonLines';

export async function build(c: Connection, req: BuildRequest, onMessage: (m: BuildMessage) => void): Promise<void> {
  const stream = await c.call(
    (d) =>
      d.buildImage(req.context, {
        t: req.tag,
        dockerfile: req.dockerfile,
        buildargs: req.buildArgs ?? {},
        target: req.target || undefined,
        nocache: req.noCache || undefined,
        pull: req.pull ? 'true' : undefined,
        labels: req.labels ?? {},
        rm: true,
        forcerm: true,
        abortSignal: req.signal,
      } as Docker.ImageBuildOptions) as Promise<NodeJS.ReadableStream>,
  );
  const decoder = new JsonLineDecoder<BuildMessage>();
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('the build was cancelled'), { name: 'AbortError' }));
    req.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      for (const m of decoder.push(chunk)) onMessage(m);
    });
    stream.on('end', resolve);
    stream.on('error', (err: Error) => (req.signal?.aborted ? onAbort() : reject(classifyError(err))));
    // A socket closed under us (the engine went away) ends with 'close' and no 'end'.
    stream.on('close', () => (req.signal?.aborted ? onAbort() : resolve()));
  });
}
