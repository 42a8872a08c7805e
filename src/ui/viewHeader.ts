// A view's header text (TreeView.description): the active filter, and the endpoint when unreachable.
// A TreeView message would hide the welcome content, so neither goes there.
import * as vscode from 'vscode';

export class ViewHeader {
  private filterText: string | undefined;
  private problem: string | undefined;

  constructor(private readonly view: vscode.TreeView<unknown>) {}

  set filter(value: string | undefined) {
    this.filterText = value;
    this.render();
  }

  set unreachable(text: string | undefined) {
    this.problem = text;
    this.render();
  }

  private render(): void {
    const parts = [this.filterText && vscode.l10n.t('filter: “{0}”', this.filterText), this.problem].filter(Boolean);
    this.view.description = parts.length ? parts.join(' · ') : undefined;
  }
}
