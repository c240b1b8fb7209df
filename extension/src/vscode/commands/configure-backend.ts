import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../../core/backend';
import { DEFAULT_BACKEND_URL } from '../../core/backend-settings';
import { COMMANDS } from '../../core/command-ids';
import { isRunningTasksError } from '../../core/errors';
import { readSettings, SECTION } from '../settings';
import type { Services } from '../services';

/**
 * A short guided setup of the primary backend: its URL, then its API version, written to
 * the user settings (or to the workspace, when the workspace already sets them). Several
 * backends, header style and the browser template live in the Settings editor, offered last.
 */
export function registerConfigureBackend(_services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.configureBackend, async () => {
    const current = readSettings();
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('Backend URL'),
      prompt: vscode.l10n.t('The address of a server that speaks the running-tasks API'),
      value: current.backendUrl || DEFAULT_BACKEND_URL,
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          normalizeBaseUrl(value);
          return undefined;
        } catch (thrown) {
          if (!isRunningTasksError(thrown)) throw thrown;
          return thrown.message;
        }
      },
    });
    if (url === undefined) return;

    const version = await vscode.window.showQuickPick(
      [
        { label: 'V2', description: '/api/v2/tasks/running', value: 'v2' as const },
        { label: 'V1', description: '/api/tasks/running', value: 'v1' as const },
      ],
      { title: vscode.l10n.t('API version'), placeHolder: current.apiVersion.toUpperCase() },
    );
    if (!version) return;

    await write('backendUrl', normalizeBaseUrl(url));
    await write('apiVersion', version.value);

    const more = vscode.l10n.t('More Settings');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Backend set to {0} ({1}).', normalizeBaseUrl(url), version.label),
      more,
    );
    if (choice === more) {
      await vscode.commands.executeCommand(
        'workbench.action.openSettings',
        `@ext:running-tasks.running-tasks-vscode`,
      );
    }
  });
}

async function write(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect(key);
  const target =
    inspected?.workspaceValue !== undefined
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
