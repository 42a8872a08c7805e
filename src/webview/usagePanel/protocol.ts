// Messages between the Resource Usage panel's webview and the extension host. Types only.
import type { PlotTrack } from '../../model/resourceUsage/aggregate';

/** The panel's words, put in the user's language by the extension host. */
export interface UsageStrings {
  cpu: string;
  memory: string;
  network: string;
  block: string;
  pause: string;
  resume: string;
  paused: string;
  name: string;
  received: string;
  sent: string;
  read: string;
  written: string;
  limit: string;
  stopped: string;
  removed: string;
  resumed: string;
  unreachableMarker: string;
  unreachableSince: string;
  unreachable: string;
  total: string;
  empty: string;
  sortBy: string;
  time: string;
}

export type ToWebview =
  /** unreachableSince: the engine does not answer, since then (seconds; 0 when not known). */
  | { type: 'init'; strings: UsageStrings; locale: string; now: number; tracks: PlotTrack[]; unreachableSince?: number }
  | { type: 'engine'; unreachableSince?: number }
  /** New points and markers since the last message, per container; `live` and meta as now. */
  | { type: 'update'; now: number; tracks: PlotTrack[]; dropped: string[] };

export type FromWebview =
  | { type: 'ready' }
  /** The first plotted point was drawn (time to first point). */
  | { type: 'drawn'; points: number }
  /** A Content Security Policy violation the page saw. */
  | { type: 'csp'; directive: string; blocked: string }
  | { type: 'paused'; paused: boolean };
