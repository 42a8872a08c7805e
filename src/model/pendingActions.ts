// Stop and restart wait out the stop grace period (10 s by default) before Docker reports anything:
// the engine sends no event until the container has stopped, so its row would still say "Up 5
// minutes" with nothing happening. Berth's own stop and restart mark the row ("stopping…",
// "restarting…") while their request is in flight; the engine's change to the record, or the
// request's failure, ends the mark. No polling: the store's changes come from the event stream.
import { Emitter } from './emitter';
import type { ContainerRecord } from '../contract/records';
import type { Store } from './store';

export type PendingAction = 'stopping' | 'restarting';

interface Mark {
  action: PendingAction;
  /** The record when the request was sent. */
  from: ContainerRecord | undefined;
}

/** Whether the engine has shown the outcome of `action` since `from`. */
function isOver(action: PendingAction, from: ContainerRecord | undefined, now: ContainerRecord | undefined): boolean {
  if (!now || now.state === 'dead' || now.state === 'removing') return true;
  // A restart first stops (the row keeps saying "restarting…" through its "exited"), then starts.
  if (action === 'restarting') return now.startedAt !== from?.startedAt;
  return now.state !== from?.state || now.finishedAt !== from?.finishedAt;
}

export class PendingActions {
  private readonly marks = new Map<string, Mark>();
  private readonly changed = new Emitter<string>();
  /** The id whose mark was set or cleared. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly store: Store<ContainerRecord>) {
    this.subscription = store.onDidChange((change) => {
      for (const id of [...change.updated, ...change.removed]) this.settleIfOver(id);
    });
  }

  get(id: string): PendingAction | undefined {
    return this.marks.get(id)?.action;
  }

  /** Berth is about to send the request. */
  begin(id: string, action: PendingAction): void {
    this.marks.set(id, { action, from: this.store.get(id) });
    this.changed.fire(id);
  }

  /** The request succeeded: the mark ends now if the engine's change has arrived, else when it does. */
  succeeded(id: string): void {
    this.settleIfOver(id);
  }

  /** The request failed: the engine did not act, so the row shows its state again. */
  failed(id: string): void {
    this.clear(id);
  }

  private settleIfOver(id: string): void {
    const mark = this.marks.get(id);
    if (mark && isOver(mark.action, mark.from, this.store.get(id))) this.clear(id);
  }

  private clear(id: string): void {
    if (this.marks.delete(id)) this.changed.fire(id);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
