// The engine's pull, push and load progress, per layer as `docker pull` shows it, and what a
// failed transfer means for the user (credentials, not found, registry unreachable).
import type { TransferMessage } from '../contract/transfer';

export type LayerPhase =
  | 'waiting'
  | 'downloading'
  | 'verifying'
  | 'downloaded'
  | 'extracting'
  | 'pulled'
  | 'exists'
  | 'preparing'
  | 'pushing'
  | 'pushed'
  | 'alreadyPushed'
  | 'mounted'
  | 'loading'
  | 'other';

export interface LayerState {
  id: string;
  phase: LayerPhase;
  /** Bytes of the current phase (download, extract, push, load) so far, and its total when known. */
  current?: number;
  total?: number;
  /** The layer's size once known (from the download or push total). */
  size?: number;
  /** For 'mounted': the repository the registry mounted the layer from. */
  from?: string;
  /** The engine's own status, for phases Berth does not know. */
  status: string;
}

const DONE: ReadonlySet<LayerPhase> = new Set(['pulled', 'exists', 'pushed', 'alreadyPushed', 'mounted']);

function phaseOf(status: string): { phase: LayerPhase; from?: string } {
  switch (status) {
    case 'Pulling fs layer':
    case 'Waiting':
      return { phase: 'waiting' };
    case 'Downloading':
      return { phase: 'downloading' };
    case 'Verifying Checksum':
      return { phase: 'verifying' };
    case 'Download complete':
      return { phase: 'downloaded' };
    case 'Extracting':
      return { phase: 'extracting' };
    case 'Pull complete':
      return { phase: 'pulled' };
    case 'Already exists':
      return { phase: 'exists' };
    case 'Preparing':
      return { phase: 'preparing' };
    case 'Pushing':
      return { phase: 'pushing' };
    case 'Pushed':
      return { phase: 'pushed' };
    case 'Layer already exists':
      return { phase: 'alreadyPushed' };
    case 'Loading layer':
      return { phase: 'loading' };
  }
  const mounted = /^Mounted from (.+)$/.exec(status);
  if (mounted) return { phase: 'mounted', from: mounted[1] };
  return { phase: 'other' };
}

/** Statuses with an id that are about the whole transfer, not a layer. */
function isHeader(status: string): boolean {
  return /^(Pulling from |The push refers to |Digest: |Status: )/.test(status);
}

export class TransferProgress {
  readonly layers = new Map<string, LayerState>();
  /** Whole-transfer lines in the engine's words ("Digest: …", "Status: Downloaded newer image…"). */
  readonly notes: string[] = [];
  /** What a load reports: "app:1", or an image ID for an untagged one. */
  readonly loaded: string[] = [];
  /** The manifest digest a push reports. */
  digest?: string;
  /** How many messages arrived (a benchmark compares it with the renders). */
  messages = 0;

  apply(m: TransferMessage): void {
    this.messages++;
    if (m.aux?.Digest) this.digest = m.aux.Digest;
    if (m.stream) {
      const loaded = /^Loaded image(?: ID)?: (.+)$/.exec(m.stream.trim());
      if (loaded) this.loaded.push(loaded[1]);
      return;
    }
    const status = m.status ?? '';
    if (!status) return;
    if (!m.id || isHeader(status)) {
      if (!this.notes.includes(status)) this.notes.push(status);
      return;
    }
    const { phase, from } = phaseOf(status);
    const layer = this.layers.get(m.id) ?? { id: m.id, phase, status };
    layer.phase = phase;
    layer.status = status;
    layer.from = from;
    const detail = m.progressDetail;
    if (detail && typeof detail.current === 'number') {
      layer.current = detail.current;
      layer.total = detail.total && detail.total > 0 ? detail.total : undefined;
      if ((phase === 'downloading' || phase === 'pushing' || phase === 'loading') && layer.total) layer.size = layer.total;
    } else {
      layer.current = undefined;
      layer.total = undefined;
    }
    this.layers.set(m.id, layer);
  }

  /** Layers finished, layers in all, and bytes moved of the bytes known so far (download or push). */
  summary(): { done: number; layers: number; bytes: number; totalBytes: number } {
    let done = 0;
    let bytes = 0;
    let totalBytes = 0;
    for (const l of this.layers.values()) {
      if (DONE.has(l.phase)) done++;
      if (l.size === undefined) continue;
      totalBytes += l.size;
      const moving = l.phase === 'downloading' || l.phase === 'pushing' || l.phase === 'loading';
      bytes += moving ? Math.min(l.current ?? 0, l.size) : l.phase === 'waiting' || l.phase === 'preparing' ? 0 : l.size;
    }
    return { done, layers: this.layers.size, bytes, totalBytes };
  }
}

/**
 * The progress's render interval: at most 10 renders a second, counting the first (at once) and
 * the last (the flush at the end) of a transfer.
 */
export const PROGRESS_INTERVAL_MS = 110;

/** Runs `render` at most once per interval while pokes come, and once more at the end (flush). */
export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = 0;
  private pending = false;
  /** How many times render ran. */
  renders = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly render: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  poke(): void {
    this.pending = true;
    if (this.timer) return;
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) this.run();
    else this.timer = setTimeout(() => this.run(), wait);
  }

  flush(): void {
    if (this.pending) this.run();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }

  private run(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    this.last = this.now();
    this.renders++;
    this.render();
  }
}

export type TransferFailure =
  | { kind: 'credentials'; said: string } // the registry wants (other) credentials
  | { kind: 'notFound'; said: string } // no such repository or tag
  | { kind: 'unreachable'; said: string } // the engine could not reach the registry
  | { kind: 'other'; said: string };

/** What a pull or push error means, from the engine's words (its HTTP status says little). */
export function transferFailure(message: string): TransferFailure {
  // dockerode prefixes a stream request's error with "(HTTP code 500) server error - ".
  const said = message.replace(/^\(HTTP code \d+\)[^-]*- /, '').trim();
  if (/no basic auth credentials|unauthorized|authentication required|denied|requested access to the resource is denied|may require 'docker login'/i.test(said)) return { kind: 'credentials', said };
  if (/manifest unknown|not found|name unknown|No such image|does not exist/i.test(said)) return { kind: 'notFound', said };
  if (/connection refused|no such host|dial tcp|i\/o timeout|TLS handshake|server gave HTTP response to HTTPS client|x509/i.test(said)) return { kind: 'unreachable', said };
  return { kind: 'other', said };
}
