import * as vscode from 'vscode';
import { COMMANDS } from '../../core/command-ids';
import { backendIdOf, type Services } from '../services';

/** Refresh (view title): every backend asks again now. */
export function registerRefresh(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.refresh, () => services.board.refresh());
}

/** Retry (a backend row or an error row): that backend asks again now. */
export function registerRetryBackend(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.retryBackend, (arg: unknown) =>
    services.board.refresh(backendIdOf(arg)),
  );
}
