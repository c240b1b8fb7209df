import * as vscode from 'vscode';
import { VIEW_ID } from '../core/command-ids';
import type { BoardSummary } from '../core/task-board';

/** The running count in the status bar; a click opens the view. */
export class TaskStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem(
      'runningTasks.status',
      vscode.StatusBarAlignment.Left,
      20,
    );
    this.item.name = vscode.l10n.t('Pipeline Tasks');
    this.item.command = `${VIEW_ID}.focus`;
  }

  update(summary: BoardSummary): void {
    if (summary.welcome === 'unconfigured') {
      this.item.hide();
      return;
    }

    const stale = summary.staleBackends.length > 0;
    const icon = stale ? '$(warning)' : summary.runningCount > 0 ? '$(sync~spin)' : '$(pulse)';
    this.item.text = `${icon} ${summary.runningCount}`;
    this.item.tooltip = stale
      ? vscode.l10n.t(
          '{0} running of {1} tasks; some data is stale',
          summary.runningCount,
          summary.taskCount,
        )
      : vscode.l10n.t('{0} running of {1} tasks', summary.runningCount, summary.taskCount);
    this.item.backgroundColor = stale
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
