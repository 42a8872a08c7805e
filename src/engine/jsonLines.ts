// Splits a byte stream of newline-delimited JSON into objects. One decoder per stream, so a
// multi-byte character or an object split across chunks comes out whole.
import { StringDecoder } from 'string_decoder';

export class JsonLineDecoder<T = unknown> {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';

  push(chunk: Buffer | string): T[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const out: T[] = [];
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) out.push(JSON.parse(line) as T);
    }
    return out;
  }
}

/**
 * Feeds each object of a followed JSON-lines stream to `onItem`. `ended` settles when the stream
 * ends (undefined) or fails (the error), and never once the caller has closed it.
 */
export function followJsonLines<T>(stream: NodeJS.ReadableStream, abort: AbortController, onItem: (item: T) => void): { ended: Promise<Error | undefined>; close(): void } {
  const decoder = new JsonLineDecoder<T>();
  let closedByUs = false;
  const ended = new Promise<Error | undefined>((resolve) => {
    const done = (err?: Error) => {
      if (!closedByUs) resolve(err);
    };
    stream.on('data', (chunk: Buffer) => {
      try {
        for (const item of decoder.push(chunk)) onItem(item);
      } catch (err) {
        done(err as Error);
      }
    });
    stream.on('end', () => done());
    stream.on('close', () => done());
    stream.on('error', (err: Error) => done(err));
  });
  return {
    ended,
    close: () => {
      closedByUs = true;
      abort.abort();
      (stream as unknown as { destroy?: () => void }).destroy?.();
    },
  };
}
