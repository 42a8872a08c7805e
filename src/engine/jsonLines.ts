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
