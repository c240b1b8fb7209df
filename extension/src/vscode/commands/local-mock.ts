import * as vscode from 'vscode';
import { COMMANDS } from '../../core/command-ids';
import { isRunningTasksError } from '../../core/errors';
import type { Services } from '../services';

/** Starts the project's mock server on a free port; the tree points at it by itself. */
export function registerStartLocalMock(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.startLocalMock, async () => {
    try {
      const url = await vscode.window.withProgress(
        {
          location: { viewId: 'runningTasks.running' },
          title: vscode.l10n.t('Starting the local mock…'),
        },
        () => services.mock.start(),
      );
      vscode.window.setStatusBarMessage(vscode.l10n.t('Local mock listening at {0}', url), 5000);
      return url;
    } catch (thrown) {
      if (!isRunningTasksError(thrown)) throw thrown;
      services.log.error(thrown.message);

      const showLog = vscode.l10n.t('Show Log');
      const settings = vscode.l10n.t('Open Settings');
      const choice = await vscode.window.showErrorMessage(
        vscode.l10n.t('The local mock did not start: {0}', thrown.message.split('\n')[0] ?? ''),
        showLog,
        settings,
      );
      if (choice === showLog) services.log.show();
      if (choice === settings) {
        await vscode.commands.executeCommand(
          'workbench.action.openSettings',
          'runningTasks.localMock',
        );
      }
      return undefined;
    }
  });
}

/** Stops the mock this window started. */
export function registerStopLocalMock(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.stopLocalMock, () => services.mock.stop());
}
