// The build benchmark's context: 200 MiB under node_modules (ignored by .dockerignore) and 5 MiB of
// sources in ~500 files of varied sizes in nested folders. Seeded, so every run sends the same bytes.
import * as fs from 'fs';
import * as path from 'path';
import { BENCH_BASE_IMAGE } from './engineHttp';

const MiB = 1024 * 1024;

export interface BuildContextFixture {
  dir: string;
  dockerfile: string;
  /** What the build must send, counted as the fixture wrote it: sources, Dockerfile, .dockerignore. */
  sentFiles: number;
  sentBytes: number;
  ignoredFiles: number;
  ignoredBytes: number;
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeBuildContext(dir: string, opts = { sourceFiles: 500, sourceBytes: 5 * MiB, ignoredBytes: 200 * MiB }): BuildContextFixture {
  const rand = mulberry32(4);
  const write = (rel: string, data: Buffer | string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  };

  // Log-uniform sizes (about 200 B to 60 KB), scaled so they sum to exactly sourceBytes.
  const weights = Array.from({ length: opts.sourceFiles }, () => Math.exp(rand() * Math.log(300)));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.max(1, Math.floor((w / sum) * opts.sourceBytes)));
  sizes[sizes.length - 1] += opts.sourceBytes - sizes.reduce((a, b) => a + b, 0);
  sizes.forEach((size, i) => {
    const buf = Buffer.allocUnsafe(size);
    for (let b = 0; b < size; b++) buf[b] = b % 64 === 63 ? 10 : 32 + Math.floor(rand() * 95);
    // Depth 1 to 4 under src/, eight top-level modules.
    const folders = ['src', `m${i % 8}`, `d${(i >> 3) % 5}`, `e${(i >> 5) % 3}`, 'deep'].slice(0, 2 + (i % 4));
    write(`${folders.join('/')}/file${i}.ts`, buf);
  });

  // Never read by either client (both skip an ignored folder), but real bytes on disk.
  const ignoredFile = Buffer.alloc(51_200, 0x61);
  const ignoredFiles = Math.round(opts.ignoredBytes / ignoredFile.length);
  for (let i = 0; i < ignoredFiles; i++) write(`node_modules/pkg${i >> 4}/lib/f${i & 15}.js`, ignoredFile);

  const ignore = 'node_modules\n';
  const sentFiles = opts.sourceFiles + 2;
  // The RUN step checks on the engine that every file came and nothing ignored did, for both clients.
  const dockerfile = `FROM ${BENCH_BASE_IMAGE}\nCOPY . /ctx\nRUN test "$(find /ctx -type f | wc -l)" -eq ${sentFiles} && test ! -e /ctx/node_modules\n`;
  write('.dockerignore', ignore);
  write('Dockerfile', dockerfile);
  return {
    dir,
    dockerfile: path.join(dir, 'Dockerfile'),
    sentFiles,
    sentBytes: opts.sourceBytes + Buffer.byteLength(ignore) + Buffer.byteLength(dockerfile),
    ignoredFiles,
    ignoredBytes: ignoredFiles * ignoredFile.length,
  };
}

/** Exactly what a ustar stream of these entries takes: a 512 B header each, files padded to 512, two end blocks. */
export function tarSize(root: string, entries: readonly string[]): { headers: number; padding: number; end: number } {
  let padding = 0;
  for (const e of entries) {
    const st = fs.lstatSync(path.join(root, e));
    if (st.isFile()) padding += (512 - (st.size % 512)) % 512;
  }
  return { headers: 512 * entries.length, padding, end: 1024 };
}
