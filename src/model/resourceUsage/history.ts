// What Berth remembers of each container's usage while it runs: a ring of points covering the
// last ten minutes, the previous reading (for rates), and markers where a series ended or resumed.
// Held by the extension host, so closing and reopening the panel keeps the history.
import type { EngineStats } from '../../contract/stats';
import { Ring } from './ring';
import { toPoint, toReading, type Reading, type UsagePoint } from './figures';

export const WINDOW_SECONDS = 600;

/** 'unreachable': the engine stopped answering while the container ran; what became of it is
 * marked when the engine answers again. */
export type MarkerKind = 'stopped' | 'removed' | 'resumed' | 'unreachable';

export interface UsageMarker {
  /** Whole seconds since the epoch. */
  t: number;
  kind: MarkerKind;
  /** Increases with each marker of the history, so a panel sends each once. */
  seq: number;
}

/** Who a container is, for its series' label and the totals it counts in. */
export interface TrackMeta {
  id: string;
  name: string;
  /** Compose project and service, from the container's labels. */
  project?: string;
  service?: string;
}

export interface TrackSnapshot {
  meta: TrackMeta;
  live: boolean;
  points: UsagePoint[];
  markers: UsageMarker[];
}

class Track {
  /** One point per second at most, so the window's length plus one is all it can hold. */
  readonly points: Ring<UsagePoint>;
  readonly markers: UsageMarker[] = [];
  last: Reading | undefined;
  live = false;
  /** Whether it ever had a point (a first point is a start, not a resume). */
  started = false;
  constructor(
    public meta: TrackMeta,
    windowSeconds: number,
  ) {
    this.points = new Ring(windowSeconds + 1);
  }
}

export class UsageHistory {
  private readonly tracks = new Map<string, Track>();
  /** Bumped on every change, so a panel knows whether it has anything new to send. */
  private revision = 0;
  private markerSeq = 0;

  constructor(private readonly windowSeconds = WINDOW_SECONDS) {}

  get version(): number {
    return this.revision;
  }

  /** Adds an engine answer; returns the point it made, or undefined for a stale or repeated one. */
  record(meta: TrackMeta, stats: EngineStats): UsagePoint | undefined {
    let track = this.tracks.get(meta.id);
    if (!track) this.tracks.set(meta.id, (track = new Track(meta, this.windowSeconds)));
    track.meta = meta;
    const reading = toReading(stats);
    if (!Number.isFinite(reading.time) || (track.last && reading.time <= track.last.time)) return undefined;
    const point = toPoint(reading, track.last);
    if (!track.live && track.started) track.markers.push({ t: point.t, kind: 'resumed', seq: ++this.markerSeq });
    track.live = true;
    track.started = true;
    track.last = reading;
    // Two answers in one second (a one-shot beside a stream): the newer one stands for that second.
    if (track.points.last()?.t === point.t) track.points.replaceLast(point);
    else track.points.push(point);
    this.trim(track, point.t);
    this.revision++;
    return point;
  }

  /**
   * Ends a container's series with a marker; its history stays. 'stopped' and 'removed' are what
   * the engine said; 'unreachable' is the engine gone silent, and a stop or removal found when it
   * answers again is marked then.
   */
  end(id: string, kind: 'stopped' | 'removed' | 'unreachable', nowMs: number): void {
    const track = this.tracks.get(id);
    if (!track) return;
    const last = track.markers[track.markers.length - 1];
    const afterOutage = !track.live && last?.kind === 'unreachable';
    if (kind !== 'removed' && !track.live && !(kind === 'stopped' && afterOutage)) return;
    const t = Math.round(nowMs / 1000);
    // Removed right after it stopped (docker rm -f): one marker, 'removed', not two on one spot.
    if (kind === 'removed' && last?.kind === 'stopped' && t - last.t <= 2) track.markers.pop();
    if (kind === 'removed' && !track.live && last?.kind === 'removed') return;
    track.markers.push({ t, kind, seq: ++this.markerSeq });
    track.live = false;
    track.last = undefined;
    this.revision++;
  }

  /** The engine answers again: a container cut off by the outage that it no longer lists was removed. */
  endMissing(exists: (id: string) => boolean, nowMs: number): void {
    for (const [id, track] of this.tracks) {
      if (track.markers[track.markers.length - 1]?.kind === 'unreachable' && !exists(id)) this.end(id, 'removed', nowMs);
    }
  }

  /** Forgets everything (another engine: its containers are not these). */
  clear(): void {
    this.tracks.clear();
    this.revision++;
  }

  /** The newest point of a running container, for the tree's short text. */
  latest(id: string): UsagePoint | undefined {
    const track = this.tracks.get(id);
    return track?.live ? track.points.last() : undefined;
  }

  isLive(id: string): boolean {
    return this.tracks.get(id)?.live ?? false;
  }

  /** Drops points and markers older than the window, and containers with nothing left. */
  prune(nowMs: number): void {
    const now = Math.round(nowMs / 1000);
    for (const [id, track] of this.tracks) {
      this.trim(track, now);
      if (!track.live && !track.points.size) this.tracks.delete(id);
    }
  }

  ids(): string[] {
    return [...this.tracks.keys()];
  }

  /** A container's points after second `sinceT` and markers after `sinceSeq` (all by default). */
  snapshot(id: string, sinceT = -Infinity, sinceSeq = 0): TrackSnapshot | undefined {
    const track = this.tracks.get(id);
    if (!track) return undefined;
    return {
      meta: track.meta,
      live: track.live,
      points: track.points.toArray().filter((p) => p.t > sinceT),
      markers: track.markers.filter((m) => m.seq > sinceSeq),
    };
  }

  private trim(track: Track, now: number): void {
    const from = now - this.windowSeconds;
    track.points.dropWhile((p) => p.t < from);
    while (track.markers.length && track.markers[0].t < from) track.markers.shift();
  }
}
