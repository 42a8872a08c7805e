// The Resource Usage feature's extension-host side, a bundle of its own (dist/usage.js): the
// history, the sampler, the panels and the rows' text. Loaded by commands/usage.ts on the first
// panel, or when the rows' usage is turned on with the Containers view visible.
import * as vscode from 'vscode';
import { UsageHistory } from '../model/resourceUsage/history';
import type { EngineSession } from '../session/engineSession';
import { UsageSampler } from '../session/usageSampler';
import type { ContainersProvider } from '../tree/containers/containersProvider';
import { RowUsage } from '../tree/containers/usageRows';
import { UsagePanels } from '../ui/usagePanel';

export class UsageFeature implements vscode.Disposable {
  readonly history = new UsageHistory();
  readonly sampler: UsageSampler;
  readonly panels: UsagePanels;
  readonly rows: RowUsage;
  private lastPrune = 0;
  private readonly pruning: { dispose(): void };
  private readonly switching: { dispose(): void };

  constructor(session: EngineSession, extensionUri: vscode.Uri, log: vscode.LogOutputChannel, containers: ContainersProvider, containersView: vscode.TreeView<string>) {
    this.sampler = new UsageSampler({
      client: () => (session.status.state === 'ready' ? session.requireClient() : undefined),
      container: (id) => session.containers.get(id),
      onContainersChange: (l) => session.containers.onDidChange(l),
      reachable: () => session.status.state !== 'unreachable',
      onReachableChange: (l) =>
        session.onDidChangeStatus((s) => {
          if (s.state === 'ready' || s.state === 'unreachable') l(s.state === 'ready');
        }),
      history: this.history,
      log: (m) => log.debug(m),
    });
    this.panels = new UsagePanels({ extensionUri, session, sampler: this.sampler, history: this.history });
    this.rows = new RowUsage(containers, containersView, session, this.sampler, this.history);
    // Points older than the window go as new ones come; nothing runs while nothing is sampled.
    this.pruning = this.sampler.onDidSample(() => {
      if (Date.now() - this.lastPrune < 60_000) return;
      this.lastPrune = Date.now();
      this.history.prune(this.lastPrune);
    });
    // Another engine: the old one's figures are not its containers'. The panels close (their
    // scope named the old engine's containers) and the rows start again from nothing.
    this.switching = session.onDidChangeEngine(() => {
      const closed = this.panels.closeAll();
      this.history.clear();
      if (closed) void vscode.window.showInformationMessage(vscode.l10n.t('Resource Usage closed: it showed the previous engine’s containers. Open it again for this engine’s.'));
    });
  }

  dispose(): void {
    this.pruning.dispose();
    this.switching.dispose();
    this.rows.dispose();
    this.panels.dispose();
    this.sampler.dispose();
  }
}
