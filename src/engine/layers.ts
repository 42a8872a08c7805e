// Image history, the saved image as a stream (GET /images/{name}/get), and GET /system/df.
import type Docker from 'dockerode';
import type { DiskUsage, HistoryEntry, LayersClient } from '../contract/layers';
import type { Connection } from './connection';
import { classifyError } from './errors';

interface RawHistory {
  Id?: string;
  Created?: number;
  CreatedBy?: string;
  Size?: number;
  Tags?: string[] | null;
  Comment?: string;
}

export function toHistoryEntry(h: RawHistory): HistoryEntry {
  return { id: h.Id ?? '<missing>', created: h.Created ?? 0, createdBy: h.CreatedBy ?? '', size: h.Size ?? 0, tags: h.Tags ?? [], comment: h.Comment ?? '' };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- /system/df's payload, read field by field */
export function toDiskUsage(df: any): DiskUsage {
  return {
    layersSize: df?.LayersSize ?? 0,
    images: (df?.Images ?? []).map((i: any) => ({
      id: i.Id ?? '',
      tags: (i.RepoTags ?? []).filter((t: string) => t !== '<none>:<none>'),
      size: i.Size ?? 0,
      sharedSize: Math.max(0, i.SharedSize ?? 0),
      containers: Math.max(0, i.Containers ?? 0),
      created: i.Created ?? 0,
    })),
    containers: (df?.Containers ?? []).map((c: any) => ({
      id: c.Id ?? '',
      name: String(c.Names?.[0] ?? c.Id ?? '').replace(/^\//, ''),
      image: c.Image ?? '',
      state: c.State ?? '',
      sizeRw: c.SizeRw ?? 0,
    })),
    volumes: (df?.Volumes ?? []).map((v: any) => ({ name: v.Name ?? '', size: Math.max(0, v.UsageData?.Size ?? 0), refCount: Math.max(0, v.UsageData?.RefCount ?? 0) })),
    buildCache: (df?.BuildCache ?? []).map((b: any) => ({
      id: b.ID ?? '',
      type: b.Type ?? '',
      description: b.Description ?? '',
      size: b.Size ?? 0,
      inUse: !!b.InUse,
      shared: !!b.Shared,
      lastUsed: b.LastUsedAt ?? undefined,
    })),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function layersClient(c: Connection): LayersClient {
  return {
    history: (ref) => c.orMissing(async (d) => ((await d.getImage(ref).history()) as RawHistory[]).map(toHistoryEntry)),
    rootLayers: (ref) => c.orMissing(async (d) => ((await d.getImage(ref).inspect()).RootFS?.Layers ?? []) as string[]),
    exportImage: (ref, signal) =>
      c.call(
        (d: Docker) =>
          // dockerode's Image.get takes no abort signal: the same request through the modem, which does.
          new Promise<NodeJS.ReadableStream>((resolve, reject) => {
            d.modem.dial(
              { path: `/images/${encodeURIComponent(ref)}/get`, method: 'GET', isStream: true, abortSignal: signal, statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } },
              (err: unknown, stream: unknown) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
            );
          }),
      ),
    diskUsage: (signal) =>
      c.call(async (d) => {
        try {
          return toDiskUsage(await (d as unknown as { df(o: { abortSignal?: AbortSignal }): Promise<unknown> }).df({ abortSignal: signal }));
        } catch (err) {
          throw classifyError(err);
        }
      }),
  };
}
