// What Berth asks an engine about where space goes: an image's history, its saved tar (read as a
// stream, never held whole), and the engine's disk usage. Types only.

/** One entry of GET /images/{name}/history, newest first as the engine sends it. */
export interface HistoryEntry {
  /** The image id this step made ("sha256:…"), or "<missing>" for layers pulled or loaded. */
  id: string;
  /** Seconds since the epoch. */
  created: number;
  /** The instruction, as the builder recorded it ("/bin/sh -c #(nop)  CMD [\"sh\"]"). */
  createdBy: string;
  /** Bytes this step added (0 for metadata-only steps). */
  size: number;
  /** Tags naming the image at this step: a base image shows up here. */
  tags: string[];
  comment: string;
}

/** GET /system/df, as the disk overview needs it. */
export interface DiskUsage {
  /** Bytes shared by images' layers (counted once). */
  layersSize: number;
  images: { id: string; tags: string[]; size: number; sharedSize: number; containers: number; created: number }[];
  containers: { id: string; name: string; image: string; state: string; sizeRw: number }[];
  volumes: { name: string; size: number; refCount: number }[];
  buildCache: { id: string; type: string; description: string; size: number; inUse: boolean; shared: boolean; lastUsed?: string }[];
}

export interface LayersClient {
  /** The image's history (newest first); undefined when the image does not exist. */
  history(ref: string): Promise<HistoryEntry[] | undefined>;
  /** The image's RootFS layers (diff ids, oldest first); undefined when it does not exist. */
  rootLayers(ref: string): Promise<string[] | undefined>;
  /** GET /images/{ref}/get as a stream: the caller reads it once and must consume or destroy it. */
  exportImage(ref: string, signal?: AbortSignal): Promise<NodeJS.ReadableStream>;
  diskUsage(signal?: AbortSignal): Promise<DiskUsage>;
}
