// Pull, push, tag, save and load through the Engine API: the engine talks to the registry, Berth
// sends the credentials in X-Registry-Auth (dockerode's authconfig) and follows the progress stream.
import type Docker from 'dockerode';
import type { PullRequest, PushRequest, RegistryAuth, TransferMessage } from '../contract/transfer';
import type { Connection } from './connection';
import { classifyError, EngineError } from './errors';
import { JsonLineDecoder } from './jsonLines';

function aborted(what: string): Error {
  return Object.assign(new Error(`the ${what} was cancelled`), { name: 'AbortError' });
}

/** "host:5000/app:1" → app and tag; "app@sha256:…" keeps the digest in the name, as the CLI sends it. */
function splitReference(ref: string): { name: string; tag?: string } {
  if (ref.includes('@')) return { name: ref };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref };
}

/** The auth object dockerode base64-encodes into X-Registry-Auth; only the fields that are set. */
function authconfig(auth: RegistryAuth | undefined): Record<string, string> | undefined {
  if (!auth) return undefined;
  const out: Record<string, string> = { serveraddress: auth.serveraddress };
  if (auth.identitytoken) out.identitytoken = auth.identitytoken;
  else {
    if (auth.username !== undefined) out.username = auth.username;
    if (auth.password !== undefined) out.password = auth.password;
  }
  return out;
}

/**
 * Follows a JSON progress stream to its end. The engine reports a failed pull, push or load inside
 * the stream (errorDetail) after a 200, so that message, not the status, decides the outcome.
 */
function follow(stream: NodeJS.ReadableStream, what: string, signal: AbortSignal | undefined, onMessage: (m: TransferMessage) => void): Promise<void> {
  const decoder = new JsonLineDecoder<TransferMessage>();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (err) {
        reject(err);
        (stream as unknown as { destroy?: () => void }).destroy?.();
      } else resolve();
    };
    const onAbort = () => settle(aborted(what));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      let messages: TransferMessage[];
      try {
        messages = decoder.push(chunk);
      } catch (err) {
        return settle(new EngineError('other', `the engine's ${what} answer could not be read: ${(err as Error).message}`));
      }
      for (const m of messages) {
        if (m.error || m.errorDetail) return settle(new EngineError('api', m.errorDetail?.message || m.error || `the ${what} failed`));
        onMessage(m);
      }
    });
    stream.on('end', () => settle());
    stream.on('error', (err: Error) => settle(signal?.aborted ? aborted(what) : classifyError(err)));
    // A socket closed under us (the engine went away) ends with 'close' and no 'end'.
    stream.on('close', () => settle(signal?.aborted ? aborted(what) : undefined));
  });
}

async function request(c: Connection, what: string, signal: AbortSignal | undefined, open: (d: Docker) => Promise<NodeJS.ReadableStream>): Promise<NodeJS.ReadableStream> {
  if (signal?.aborted) throw aborted(what);
  try {
    return await c.call(open);
  } catch (err) {
    if (signal?.aborted) throw aborted(what);
    throw err;
  }
}

export async function pull(c: Connection, req: PullRequest, onMessage: (m: TransferMessage) => void): Promise<void> {
  const { name, tag } = splitReference(req.reference);
  // Without a tag the engine pulls every tag: "latest" is what a reference without one means.
  const options = { fromImage: name, tag: req.allTags ? undefined : name.includes('@') ? undefined : (tag ?? 'latest'), platform: req.platform || undefined, abortSignal: req.signal };
  const stream = await request(c, 'pull', req.signal, (d) => d.createImage(authconfig(req.auth) as Docker.AuthConfig, options as object) as Promise<NodeJS.ReadableStream>);
  await follow(stream, 'pull', req.signal, onMessage);
}

export async function push(c: Connection, req: PushRequest, onMessage: (m: TransferMessage) => void): Promise<void> {
  const { name, tag } = splitReference(req.reference);
  const stream = await request(c, 'push', req.signal, (d) => d.getImage(name).push({ tag: tag ?? 'latest', authconfig: authconfig(req.auth), abortSignal: req.signal } as object) as Promise<NodeJS.ReadableStream>);
  await follow(stream, 'push', req.signal, onMessage);
}

export function tag(c: Connection, image: string, reference: string): Promise<void> {
  const { name, tag } = splitReference(reference);
  return c.call(async (d) => void (await d.getImage(image).tag({ repo: name, tag: tag ?? 'latest' })));
}

export function saveImages(c: Connection, names: string[], signal?: AbortSignal): Promise<NodeJS.ReadableStream> {
  return request(c, 'save', signal, (d) => (d as unknown as { getImages(o: object): Promise<NodeJS.ReadableStream> }).getImages({ names, abortSignal: signal }));
}

export async function loadImages(c: Connection, tar: NodeJS.ReadableStream, onMessage: (m: TransferMessage) => void, signal?: AbortSignal): Promise<void> {
  const stream = await request(c, 'load', signal, (d) => d.loadImage(tar, { quiet: false, abortSignal: signal } as object) as Promise<NodeJS.ReadableStream>);
  await follow(stream, 'load', signal, onMessage);
}
