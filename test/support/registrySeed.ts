// Puts small, real, pullable images into a test registry through the registry API (no engine):
// one gzipped layer holding a text file, a config labelled berth.test, a Docker v2 manifest; or an
// OCI index over two platforms. Fast enough to fill a catalog of many repositories.
import { createHash } from 'crypto';
import { gzipSync } from 'zlib';
import * as tarStream from 'tar-stream';
import type { RegistryClient } from '../../src/model/registry/client';
import { MANIFEST_TYPES } from '../../src/model/registry/client';

async function layerTar(text: string): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => pack.on('end', r));
  pack.entry({ name: 'hello.txt', mtime: new Date(0), mode: 0o644 }, text);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface SeededImage {
  digest: string;
  /** Config plus layer bytes, as the registry stores them. */
  size: number;
  created: string;
}

/** Uploads an image `repo:tag` for linux/`arch`; the same `text` gives the same manifest (and digest). */
export async function seedImage(client: RegistryClient, repo: string, tag: string, text = 'hello', arch = 'amd64', created = '2026-01-02T03:04:05Z'): Promise<SeededImage> {
  const tar = await layerTar(text);
  const layer = gzipSync(tar);
  const config = Buffer.from(
    JSON.stringify({ architecture: arch, os: 'linux', created, config: { Labels: { 'berth.test': 'registry' }, Cmd: ['/hello.txt'] }, rootfs: { type: 'layers', diff_ids: [sha(tar)] }, history: [{ created }] }),
  );
  await client.putBlob(repo, layer);
  await client.putBlob(repo, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.dockerV2,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: sha(config) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: sha(layer) }],
    }),
  );
  const digest = await client.putManifest(repo, tag, MANIFEST_TYPES.dockerV2, manifest);
  return { digest, size: config.length + layer.length, created };
}

/** An OCI index `repo:tag` over linux/amd64 and linux/arm64/v8 images. */
export async function seedIndex(client: RegistryClient, repo: string, tag: string): Promise<{ digest: string; platforms: string[] }> {
  const amd = await seedImage(client, repo, `${tag}-amd64`, `amd64 ${tag}`, 'amd64');
  const arm = await seedImage(client, repo, `${tag}-arm64`, `arm64 ${tag}`, 'arm64');
  const m = (d: string) => client.manifest(repo, d);
  const [a, b] = await Promise.all([m(amd.digest), m(arm.digest)]);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPES.ociIndex,
      manifests: [
        { mediaType: MANIFEST_TYPES.dockerV2, digest: amd.digest, size: a.manifestSize, platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: MANIFEST_TYPES.dockerV2, digest: arm.digest, size: b.manifestSize, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    }),
  );
  const digest = await client.putManifest(repo, tag, MANIFEST_TYPES.ociIndex, index);
  return { digest, platforms: ['linux/amd64', 'linux/arm64/v8'] };
}
