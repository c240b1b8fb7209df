import * as vscode from 'vscode';
import { COMMANDS } from '../../core/command-ids';
import type { Services } from '../services';
import { pickBackend } from './pick-backend';

/**
 * Asks for a backend's API token and keeps it in SecretStorage. The token goes nowhere else:
 * not to settings, not to the log. Scripts and tests may pass `{ backendId, token }`; the
 * token is then taken as given instead of asked for.
 */
export function registerSetToken(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.setToken, async (arg: unknown) => {
    const backend = await pickBackend(
      services,
      arg,
      vscode.l10n.t('Which backend is the token for?'),
    );
    if (!backend) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Configure a backend first.'));
      return false;
    }

    const given = tokenOf(arg);
    const token =
      given ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('API token for {0}', backend.label),
        prompt: vscode.l10n.t(
          'Sent as the Authorization header of {0}; stored in the OS keychain.',
          backend.baseUrl,
        ),
        password: true,
        ignoreFocusOut: true,
        validateInput: (value) =>
          value.trim() ? undefined : vscode.l10n.t('The token cannot be empty'),
      }));
    if (!token?.trim()) return false;

    await services.tokens.set(backend, token.trim());
    services.log.info(`token set for backend ${backend.id}`);
    vscode.window.setStatusBarMessage(
      vscode.l10n.t('API token saved for {0}', backend.label),
      3000,
    );
    return true;
  });
}

/** Forgets a backend's token. */
export function registerClearToken(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.clearToken, async (arg: unknown) => {
    const backend = await pickBackend(
      services,
      arg,
      vscode.l10n.t('Which backend’s token should be removed?'),
    );
    if (!backend) return;

    await services.tokens.delete(backend);
    services.log.info(`token removed for backend ${backend.id}`);
    vscode.window.setStatusBarMessage(
      vscode.l10n.t('API token removed for {0}', backend.label),
      3000,
    );
  });
}

function tokenOf(arg: unknown): string | undefined {
  if (typeof arg !== 'object' || arg === null || !('token' in arg)) return undefined;
  const token = arg.token;
  return typeof token === 'string' ? token : undefined;
}
