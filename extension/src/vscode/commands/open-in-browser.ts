import * as vscode from 'vscode';
import { taskBrowserUrl } from '../../core/browser-url';
import { COMMANDS } from '../../core/command-ids';
import { isRunningTasksError } from '../../core/errors';
import type { Services } from '../services';
import { taskArgumentOf } from './task-argument';

/** Opens a task in the backend's web UI, through `runningTasks.browserUrlTemplate`. */
export function registerOpenInBrowser(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.openInBrowser, async (arg: unknown) => {
    const target = taskArgumentOf(arg);
    const backend = target && services.board.model.backendConfig(target.backendId);
    if (!target || !backend) return;

    let url: string | undefined;
    try {
      url = taskBrowserUrl(backend, target.task);
    } catch (thrown) {
      if (!isRunningTasksError(thrown)) throw thrown;
      services.log.warn(thrown.message);
      void vscode.window.showErrorMessage(thrown.message);
      return;
    }

    if (!url) {
      const configure = vscode.l10n.t('Open Settings');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('Set a browser URL template to open tasks in the browser.'),
        configure,
      );
      if (choice === configure) {
        await vscode.commands.executeCommand(
          'workbench.action.openSettings',
          'runningTasks.browserUrlTemplate',
        );
      }
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  });
}
