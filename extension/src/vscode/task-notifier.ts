import * as vscode from 'vscode';
import { statusLabel } from '../core/status-style';
import type { TaskBoard, TaskTransition } from '../core/task-board';
import { COMMANDS } from '../core/command-ids';

/** More than this many at once become one summary notification instead of a stream. */
const MAX_SINGLE_NOTIFICATIONS = 3;

/**
 * Opt-in notifications (`runningTasks.notifications.enabled`) when a task reaches a terminal
 * state, or leaves the running list before the tree saw one (the running list drops a task
 * as it finishes, so that is the usual way to learn of the end).
 */
export class TaskNotifier implements vscode.Disposable {
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly board: TaskBoard,
    private readonly enabled: () => boolean,
  ) {
    this.subscription = board.onTaskTransitions((transitions) => this.notify(transitions));
  }

  private notify(transitions: TaskTransition[]): void {
    if (!this.enabled()) return;

    if (transitions.length > MAX_SINGLE_NOTIFICATIONS) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('{0} pipeline tasks finished or left the running list', transitions.length),
      );
      return;
    }
    for (const transition of transitions) void this.notifyOne(transition);
  }

  private async notifyOne({ backendId, task, kind }: TaskTransition): Promise<void> {
    const backend = this.board.model.backendLabel(backendId);
    const name = `${task.pipeline} #${task.id}`;
    const message =
      kind === 'finished'
        ? vscode.l10n.t('{0} on {1}: {2}', name, backend, statusLabel(task.status, vscode.l10n.t))
        : vscode.l10n.t('{0} on {1} is no longer running', name, backend);

    const open = vscode.l10n.t('Open in Browser');
    const hasUrl = Boolean(this.board.model.backendConfig(backendId)?.browserUrlTemplate);
    const failed = ['failed', 'timeout', 'reject'].includes(task.status);
    const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;

    const choice = await show(message, ...(hasUrl ? [open] : []));
    if (choice === open) {
      await vscode.commands.executeCommand(COMMANDS.openInBrowser, { backendId, task });
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
