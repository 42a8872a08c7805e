// Everything one connection owns: the client, the event applier, the event stream and the retry
// timer. A connect makes a scope; a reconnect or an engine switch disposes it, and every async
// step started for it checks `disposed` (or its signal) before touching the session, so a late
// answer from an old connection is dropped in one place rather than by generation checks.
import type { EngineClient, EventSubscription } from '../contract/client';
import type { Endpoint } from '../contract/endpoint';
import type { EventApplier } from './eventApplier';
import type { Timers } from './timers';

export class ConnectionScope {
  private readonly controller = new AbortController();
  private clientRef: EngineClient | undefined;
  private applierRef: EventApplier | undefined;
  private streamRef: EventSubscription | undefined;
  private retryHandle: unknown;
  private heartbeatHandle: unknown;

  constructor(
    /** Undefined when the endpoint could not be resolved. */
    readonly endpoint: Endpoint | undefined,
    private readonly timers: Timers,
  ) {}

  get disposed(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when the scope is disposed. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get client(): EngineClient | undefined {
    return this.clientRef;
  }

  get applier(): EventApplier | undefined {
    return this.applierRef;
  }

  get stream(): EventSubscription | undefined {
    return this.streamRef;
  }

  /** Takes ownership of a connected client and its applier; a disposed scope disposes them at once. */
  attach(client: EngineClient, applier: EventApplier): void {
    if (this.disposed) {
      applier.dispose();
      client.dispose();
      return;
    }
    this.clientRef = client;
    this.applierRef = applier;
  }

  /** Takes ownership of a stream, closing the one it replaces; a disposed scope closes it at once. */
  setStream(sub: EventSubscription): boolean {
    if (this.disposed) {
      sub.close();
      return false;
    }
    this.closeStream();
    this.streamRef = sub;
    return true;
  }

  closeStream(): void {
    const s = this.streamRef;
    this.streamRef = undefined;
    s?.close();
  }

  /** Runs `fn` after `ms` unless the scope is disposed or the retry cancelled first. One at a time. */
  retryAfter(ms: number, fn: () => void): void {
    this.cancelRetry();
    if (this.disposed) return;
    this.retryHandle = this.timers.setTimeout(() => {
      this.retryHandle = undefined;
      if (!this.disposed) fn();
    }, ms);
  }

  get retryPending(): boolean {
    return this.retryHandle !== undefined;
  }

  cancelRetry(): void {
    if (this.retryHandle !== undefined) this.timers.clearTimeout(this.retryHandle);
    this.retryHandle = undefined;
  }

  /** Runs `fn` after `ms` unless the scope is disposed, lost or the heartbeat cancelled first. */
  heartbeatAfter(ms: number, fn: () => void): void {
    this.cancelHeartbeat();
    if (this.disposed) return;
    this.heartbeatHandle = this.timers.setTimeout(() => {
      this.heartbeatHandle = undefined;
      if (!this.disposed) fn();
    }, ms);
  }

  cancelHeartbeat(): void {
    if (this.heartbeatHandle !== undefined) this.timers.clearTimeout(this.heartbeatHandle);
    this.heartbeatHandle = undefined;
  }

  /**
   * The connection failed: close the stream, drop the client and its applier (late answers go
   * nowhere), but keep the scope, which may still hold the retry timer.
   */
  lose(): void {
    this.cancelHeartbeat();
    this.closeStream();
    this.applierRef?.dispose();
    this.applierRef = undefined;
    this.clientRef?.dispose();
    this.clientRef = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.controller.abort();
    this.cancelRetry();
    this.lose();
  }
}
