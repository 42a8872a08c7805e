// What the extension-host half of the benchmark hands back to the launcher.

/** One container start, timed on one wall clock (engine event, extension host, page). */
export interface StartSample {
  /** The engine's own timestamp of the start event, ms since the epoch. */
  eventMs: number;
  /** The event reached Berth's session in the extension host. */
  receivedMs: number;
  /** The containers provider fired onDidChangeTreeData for the row. */
  firedMs: number;
  /** Since the provider's previous onDidChangeTreeData: VS Code delays a fire within 200 ms of one. */
  sincePreviousFireMs: number;
  /** A MutationObserver in the page saw the row in the running state. */
  domMs?: number;
  /** EngineSession.eventRequests spent on this start (and its create, for a new container). */
  requests: number;
  /** HTTP requests Berth's client sent in the same window, by route: an independent count. */
  calls: Record<string, number>;
  /** Engine events about this container in the window ("network connect", "container start"). */
  events: string[];
  /** Extension host CPU (user + system) over a fixed window after the start request. */
  cpuMs: number;
  /** Per view, onDidChangeTreeData fires and getTreeItem calls in the window ("compose fire"). */
  viewWork?: Record<string, number>;
  /** Time spent in the container store's listeners (every view's reaction to the records). */
  storeMs?: number;
}

export interface StartPhase {
  label: string;
  containers: number;
  samples: StartSample[];
  /** The same window's CPU with no event: what the host spends anyway. */
  idleCpuMs: number[];
  windowMs: number;
}

export interface ColdList {
  rows: number;
  treeItems: number;
  rawMs: number[];
  berthMs: number[];
  /** The engine-layer part of berthMs: listContainers to records. */
  berthListMs: number[];
  cliMs: number[];
  /** A whole cold EngineSession.connect (ping, version, containers and images lists). */
  connectMs: number[];
}

export interface BenchResults {
  images: number;
  /** activate()'s own measure of itself (BerthApi.activationMs) in the bench's workbench. */
  activationMs?: number;
  coldList?: ColdList;
  phases: StartPhase[];
  /** Anything odd seen on the way, printed under the table. */
  notes: string[];
}
