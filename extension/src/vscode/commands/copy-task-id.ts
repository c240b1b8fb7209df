import * as vscode from 'vscode';
import { COMMANDS } from '../../core/command-ids';
import type { Services } from '../services';
import { taskArgumentOf } from './task-argument';

/** Copies a task's id to the clipboard. */
export function registerCopyTaskId(_services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.copyTaskId, async (arg: unknown) => {
    const target = taskArgumentOf(arg);
    if (!target) return;

    await vscode.env.clipboard.writeText(String(target.task.id));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied task id {0}', target.task.id), 3000);
  });
}
